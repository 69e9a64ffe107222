package sandbox

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge/templates"
)

// The people, channels, customers and templates every sandbox starts with.
const (
	businessName    = "Tienda Sol (SANDBOX)"
	businessPhone   = "15550783881" // Meta's test numbers look like this
	phoneNumberID   = "106540352242922"
	businessAccount = "102290129340398"
	workspaceName   = "Tienda Sol (SANDBOX)"
	botToken        = slacktest.Token

	supportChannel = "C0SBSUPPORT"
	salesChannel   = "C0SBSALES01"

	ana   = "U0SBANA001"
	bruno = "U0SBBRUNO1"
	carla = "U0SBCARLA1"
	sam   = "U0SBSAM001"

	lucia = "34612345678"
	joao  = "5511987654321"
	emma  = "447700900123"
)

var seedUsers = []User{
	{ID: ana, Name: "Ana", Role: "agent", Teams: []string{"support"}},
	{ID: bruno, Name: "Bruno", Role: "agent", Teams: []string{"support"}},
	{ID: carla, Name: "Carla", Role: "agent", Teams: []string{"sales"}},
	{ID: sam, Name: "Sam", Role: "supervisor", Teams: []string{"support", "sales"}},
}

var seedChannels = []Channel{
	{ID: supportChannel, Name: "support", Team: "support"},
	{ID: salesChannel, Name: "sales", Team: "sales"},
}

var seedCustomers = []Customer{
	{WaID: lucia, Name: "Lucía García", Language: "es"},
	{WaID: joao, Name: "João Silva", Language: "pt"},
	{WaID: emma, Name: "Emma Brown", Language: "en"},
}

// seedTemplates are the approved templates of the business account: an
// order update and a follow-up, in the three languages of the example's
// canned responses.
func seedTemplates() []templates.Template {
	body := func(text, example string) []templates.Component {
		return []templates.Component{{Type: "BODY", Text: text, Example: json.RawMessage(example)}}
	}
	t := func(name, lang, category string, c []templates.Component) templates.Template {
		return templates.Template{Name: name, Language: lang, Category: category, Status: templates.StatusApproved, Components: c}
	}
	return []templates.Template{
		t("order_update", "en", "UTILITY", body("Hi {{1}}, your order {{2}} is on its way.", `{"body_text":[["Emma","#1234"]]}`)),
		t("order_update", "es", "UTILITY", body("Hola {{1}}, tu pedido {{2}} está en camino.", `{"body_text":[["Lucía","#1234"]]}`)),
		t("order_update", "pt_BR", "UTILITY", body("Olá {{1}}, seu pedido {{2}} está a caminho.", `{"body_text":[["João","#1234"]]}`)),
		t("follow_up", "en", "MARKETING", body("Hello {{1}}, are you still there? Reply to this message and we will pick up where we left off.", `{"body_text":[["Emma"]]}`)),
		t("follow_up", "es", "MARKETING", body("Hola {{1}}, ¿sigues ahí? Responde a este mensaje y seguimos donde lo dejamos.", `{"body_text":[["Lucía"]]}`)),
		t("follow_up", "pt_BR", "MARKETING", body("Olá {{1}}, ainda está aí? Responda a esta mensagem e continuamos de onde paramos.", `{"body_text":[["João"]]}`)),
	}
}

// seed fills the simulators with the workspace's people and channels and
// the business account's templates.
func seed(wa *whatsapptest.Server, slack *slacktest.Server) {
	slack.SetTeamName(workspaceName)
	for _, u := range seedUsers {
		slack.AddUser(u.ID, u.Name)
	}
	for _, c := range seedChannels {
		slack.AddChannel(c.ID, c.Name)
		var members []string
		for _, u := range seedUsers {
			for _, team := range u.Teams {
				if team == c.Team {
					members = append(members, u.ID)
				}
			}
		}
		slack.SetChannelMembers(c.ID, members...)
	}
	wa.SetPhoneAccount(phoneNumberID, businessAccount)
	wa.SetTemplates(businessAccount, seedTemplates()...)
}

// picture draws the photo a customer sends: a small PNG, one colour per
// picture so two are told apart.
func picture(n int) []byte {
	palette := []color.RGBA{{0xf4, 0xa2, 0x61, 0xff}, {0x2a, 0x9d, 0x8f, 0xff}, {0xe7, 0x6f, 0x51, 0xff}, {0x26, 0x46, 0x53, 0xff}}
	c := palette[n%len(palette)]
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := range 120 {
		for x := range 160 {
			px := c
			if (x/20+y/20)%2 == 0 { // a checkerboard, so it reads as a picture
				px = color.RGBA{c.R / 2, c.G / 2, c.B / 2, 0xff}
			}
			img.SetRGBA(x, y, px)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // encoding to memory cannot fail
	return b.Bytes()
}
