package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge/templates"
)

// sendTemplates is what the fake Graph holds for waba in the sending
// tests: delivery_update in Spanish (an image header, two body values, a
// footer, two quick replies and a URL button) and Brazilian Portuguese,
// a named-parameter welcome in English, and a paused promo.
func sendTemplates() []templates.Template {
	return []templates.Template{
		{Name: "delivery_update", Language: "es", Category: "UTILITY", Status: templates.StatusApproved,
			Components: []templates.Component{
				{Type: "HEADER", Format: "IMAGE"},
				{Type: "BODY", Text: "Hola {{1}}, tu pedido {{2}} llega mañana.", Example: json.RawMessage(`{"body_text":[["Ana","#1234"]]}`)},
				{Type: "FOOTER", Text: "Tienda Sol"},
				{Type: "BUTTONS", Buttons: []templates.Button{{Type: "QUICK_REPLY", Text: "Sí, gracias"},
					{Type: "QUICK_REPLY", Text: "Cambiar dirección"},
					{Type: "URL", Text: "Seguir", URL: "https://ex.com/t/{{1}}", Example: []string{"https://ex.com/t/abc"}}}},
			}},
		{Name: "delivery_update", Language: "pt_BR", Category: "UTILITY", Status: templates.StatusApproved,
			Components: []templates.Component{{Type: "BODY", Text: "Olá {{1}}, seu pedido {{2}} chega amanhã."}}},
		{Name: "welcome", Language: "en_US", Category: "MARKETING", Status: templates.StatusApproved, ParameterFormat: templates.FormatNamed,
			Components: []templates.Component{{Type: "BODY", Text: "Welcome {{first_name}}!"}}},
		{Name: "promo", Language: "es", Category: "MARKETING", Status: templates.StatusPaused, Reason: "LOW_QUALITY",
			Components: []templates.Component{{Type: "BODY", Text: "¡Oferta!"}}},
	}
}

// withSendTemplates loads sendTemplates into the fake Graph and points
// the inbox at waba.
func withSendTemplates() option {
	return func(e *env, b *strings.Builder) {
		e.wa.SetTemplates(waba, sendTemplates()...)
		e.wa.SetPhoneAccount(phoneID, waba)
		withWhatsApp(fmt.Sprintf("  business_account_id: %q\n", waba))(e, b)
	}
}

// deliveryValues fill delivery_update@es: header image, {{1}}, {{2}},
// the URL button's end.
const deliveryValues = "https://ex.com/box.jpg | Ana | #1234 | abc123"

// deliveryBody is the Graph body of delivery_update@es with
// deliveryValues, exactly as Meta documents a template send.
const deliveryBody = `{"messaging_product":"whatsapp","recipient_type":"individual","to":"34612345678","type":"template",
 "template":{"name":"delivery_update","language":{"code":"es"},"components":[
  {"type":"header","parameters":[{"type":"image","image":{"link":"https://ex.com/box.jpg"}}]},
  {"type":"body","parameters":[{"type":"text","text":"Ana"},{"type":"text","text":"#1234"}]},
  {"type":"button","sub_type":"url","index":"2","parameters":[{"type":"text","text":"abc123"}]}]}}`

// pressQuickReply posts the customer's press of a template's quick-reply
// button, as Meta sends it (type "button", with the template as context).
func (e *env) pressQuickReply(from, wamid, contextID, text string) {
	e.t.Helper()
	msg := whatsapptest.Message(from, wamid, time.Now(), "button", map[string]any{"text": text, "payload": text})
	msg["context"] = map[string]any{"from": "15550783881", "id": contextID}
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: from, Name: "Ana"}}, Messages: []map[string]any{msg}}))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// status posts a status webhook for a message we sent.
func (e *env) status(wamid, status string, code int) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.StatusUpdate(phoneID, wamid, status, time.Now(), code))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// threadPost finds the post in the thread under ts containing sub.
func threadPost(posts []slacktest.Message, ts, sub string) (slacktest.Message, bool) {
	for _, p := range posts {
		if p.ThreadTS == ts && strings.Contains(p.Text, sub) {
			return p, true
		}
	}
	return slacktest.Message{}, false
}

// The must-show on Slack (text path): a reply refused outside the window
// answers privately with the template button; "!template" with values
// sends Meta's exact body; the template shows in the thread with its
// receipts; the customer's quick-reply answer arrives as such, reopens
// the window, and the card says so.
func TestSlackTemplateReachesACustomerOutsideTheWindow(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSendTemplates())
		e.waitSynced()
		e.customerWrites("34612345678", "Ana", "wamid.t1", time.Now().Add(-25*time.Hour), "¿Dónde está mi pedido?")
		card := e.waitCardAndThread("¿Dónde está mi pedido?")
		conv := conversationID(t, card)
		require.Contains(t, blocksText(card), "closed · templates only", "the card shows the closed window")
		require.Contains(t, string(card.Blocks), `"action_id":"sb:template"`, "and a Send template button")

		e.agentReplies("EvT1", card.TS, "1700000100.000100", "UAGENT1", "Perdona la espera")
		eph := waitEphemeral(t, e, "UAGENT1")
		require.Contains(t, eph.Text, "approved template")
		require.Contains(t, string(eph.Blocks), `"action_id":"sb:template#0"`)
		require.Contains(t, string(eph.Blocks), `"value":"`+conv+`/es"`, "the picker opens filtered to the customer's language")
		require.Empty(t, e.wa.Sends(), "the free text was not sent")

		e.agentReplies("EvT2", card.TS, "1700000101.000100", "UAGENT1", "!template delivery_update "+deliveryValues)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Len(t, sends, 1)
		require.JSONEq(t, deliveryBody, string(sends[0].Raw))

		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			_, ok := threadPost(p, card.TS, "Hola Ana, tu pedido #1234 llega mañana.")
			return ok
		}, waitLong)
		post, _ := threadPost(posts, card.TS, "delivery_update")
		require.Contains(t, post.Text, "<@UAGENT1>", "the post says who sent it")
		require.Contains(t, post.Text, "[Sí, gracias]", "with its buttons")
		e.slack.WaitForReactions(t, hasReaction(post.TS, "outbox_tray"), waitLong)
		e.status(sends[0].WAMID, "read", 0)
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction(post.TS, "eye")(rs) && !hasReaction(post.TS, "outbox_tray")(rs)
		}, waitLong)
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "UAGENT1") }) // the send claimed it

		e.pressQuickReply("34612345678", "wamid.t2", sends[0].WAMID, "Sí, gracias")
		e.waitThreadText(card.TS, "🔘 Chose: Sí, gracias")
		e.waitThreadText(card.TS, "In reply to: ")
		updates := waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "open · closes") })
		require.Contains(t, blocksText(updates[len(updates)-1]), "<!date^", "the closing time in each reader's own time zone")

		// The window is open again: free text goes out.
		e.agentReplies("EvT3", card.TS, "1700000102.000100", "UAGENT1", "¡Perfecto!")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "¡Perfecto!", sends[1].Text)
	})
}

// Every refusal is private, says what to do, and sends nothing.
func TestSlackTemplateRefusals(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSendTemplates(), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    exclude: [UOUTSIDE1]
`, channel)))
		e.waitSynced()
		e.customerWrites("34612345678", "Ana", "wamid.r1", time.Now().Add(-25*time.Hour), "Hola")
		card := e.waitCardAndThread("Hola")
		cases := []struct{ user, text, want string }{
			{"UAGENT1", "!template delivery_updat x", "Did you mean: delivery_update?"},
			{"UAGENT1", "!template promo", "paused by Meta for low quality (LOW_QUALITY)"},
			{"UAGENT1", "!template delivery_update Ana | #1", "takes 4 values and you gave 2"},
			{"UAGENT1", "!template delivery_update ftp://x | Ana | #1 | a", "must be an https:// link"},
			{"UAGENT1", "!template welcome@fr Ana", "no “fr” version"},
			{"UOUTSIDE1", "!template welcome Ana", "not an agent of team support"},
		}
		for i, tc := range cases {
			e.agentReplies(fmt.Sprintf("EvR%d", i), card.TS, fmt.Sprintf("1700000200.%06d", i), tc.user, tc.text)
			mine := waitEphemeralCount(t, e, tc.user, countUser(cases[:i+1], tc.user))
			require.Contains(t, mine[len(mine)-1].Text, tc.want, tc.text)
		}
		// Held by another agent: claimed by UAGENT1, refused for UAGENT2.
		e.clicks("trigR", "UAGENT1", card.TS, "claim", conversationID(t, card))
		e.waitCardAndThread("claimed this conversation")
		e.agentReplies("EvRH", card.TS, "1700000210.000100", "UAGENT2", "!template welcome Ana")
		held := waitEphemeral(t, e, "UAGENT2")
		require.Contains(t, held.Text, "<@UAGENT1> holds this conversation")
		require.Empty(t, e.wa.Sends(), "nothing was sent")
	})
}

func countUser(cases []struct{ user, text, want string }, user string) int {
	n := 0
	for _, c := range cases {
		if c.user == user {
			n++
		}
	}
	return n
}

// Meta's refusals at send time read in agents' words in the thread, and
// the template's post is marked failed. A status webhook failing a
// template later does the same.
func TestTemplateFailuresAreExplainedInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSendTemplates())
		e.waitSynced()
		e.customerWrites("34612345678", "Ana", "wamid.f1", time.Now().Add(-25*time.Hour), "Hola")
		card := e.waitCardAndThread("Hola")

		// Paused at Meta since the last sync: 132015.
		_, ok := e.wa.SetTemplateStatus(waba, "welcome", "en_US", templates.StatusPaused, "")
		require.True(t, ok)
		e.agentReplies("EvF1", card.TS, "1700000300.000100", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "the template is paused by Meta because customers blocked or reported it")
		// Disabled since: 132016.
		_, ok = e.wa.SetTemplateStatus(waba, "welcome", "en_US", templates.StatusDisabled, "")
		require.True(t, ok)
		e.agentReplies("EvF1b", card.TS, "1700000300.000200", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "the template was disabled by Meta")
		// Edited at Meta to take another value: 132000.
		edited := sendTemplates()
		edited[2].Components[0].Text = "Welcome {{first_name}}, your code is {{code}}!"
		e.wa.SetTemplates(waba, edited...)
		e.agentReplies("EvF1c", card.TS, "1700000300.000300", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "WhatsApp refused the template's values")
		// Deleted at Meta: 132001.
		e.wa.SetTemplates(waba, sendTemplates()[:2]...)
		e.agentReplies("EvF1d", card.TS, "1700000300.000400", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "WhatsApp has no approved template with that name in that language")
		e.wa.SetTemplates(waba, sendTemplates()...)

		// The customer cannot receive it: 131026.
		e.wa.FailRecipient("34612345678", 131026)
		e.agentReplies("EvF2", card.TS, "1700000301.000100", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "may not have accepted WhatsApp's latest terms")
		// The spam limit: 131048.
		e.wa.FailRecipient("34612345678", 131048)
		e.agentReplies("EvF3", card.TS, "1700000302.000100", "UAGENT1", "!template welcome Ana")
		e.waitThreadText(card.TS, "too many recent messages were blocked or reported as spam")
		e.wa.FailRecipient("34612345678", 0)

		// Sent, then failed by a status webhook (as 131026 often comes).
		e.agentReplies("EvF4", card.TS, "1700000303.000100", "UAGENT1", "!template welcome Ana")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			return containsText(inThread(p, card.TS), "Welcome Ana!") == 7
		}, waitLong)
		var last slacktest.Message
		for _, p := range posts {
			if p.ThreadTS == card.TS && strings.Contains(p.Text, "Welcome Ana!") {
				last = p
			}
		}
		e.slack.WaitForReactions(t, hasReaction(last.TS, "outbox_tray"), waitLong)
		e.status(sends[0].WAMID, "failed", 131056)
		e.waitThreadText(card.TS, "too many messages went to this customer in a short time")
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction(last.TS, "x")(rs) && !hasReaction(last.TS, "outbox_tray")(rs)
		}, waitLong)
		for _, p := range posts {
			if p.ThreadTS == card.TS && strings.Contains(p.Text, "Welcome Ana!") && p.TS != last.TS {
				e.slack.WaitForReactions(t, hasReaction(p.TS, "x"), waitLong) // the refused sends are marked too
			}
		}
	})
}

// The card's window: its closing time is shown as an instant the
// workspace renders itself, and the card is updated only when the window
// enters its last hour, closes, or is renewed by the customer — not for
// each message of a chatty customer, nor at each check.
func TestCardWindowIsUpdatedWhenItMatters(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		start := time.Now()
		clk := &clock{now: start}
		e := setup(t, dialect, withClock(clk))
		ctx := t.Context()
		e.customerWrites("34612345678", "Ana", "wamid.w1", start, "Hola")
		card := e.waitCardAndThread("Hola")
		require.Contains(t, blocksText(card), "open · closes")
		require.Contains(t, blocksText(card), fmt.Sprintf("<!date^%d^", start.Add(24*time.Hour).Unix()))
		updates := func() int { return len(e.slack.Updates()) }

		// A chatty customer: messages within the hour change nothing.
		clk.Advance(20 * time.Minute)
		e.customerWrites("34612345678", "Ana", "wamid.w2", clk.Now(), "¿Sigues ahí?")
		clk.Advance(20 * time.Minute)
		e.customerWrites("34612345678", "Ana", "wamid.w3", clk.Now(), "¿Hola?")
		e.waitThreadText(card.TS, "¿Hola?")
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		require.Zero(t, updates(), "no card update for messages that move the window by less than an hour")

		// Past an hour from what the card shows: one update.
		clk.Advance(30 * time.Minute)
		last := clk.Now()
		e.customerWrites("34612345678", "Ana", "wamid.w4", last, "Una cosa más")
		waitUpdates(t, e, func(u []slacktest.Message) bool {
			return len(u) == 1 && strings.Contains(blocksText(u[0]), fmt.Sprintf("<!date^%d^", last.Add(24*time.Hour).Unix()))
		})

		// The last hour: one update, however often the check runs.
		clk.Advance(23*time.Hour + time.Minute)
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		waitUpdates(t, e, func(u []slacktest.Message) bool { return len(u) == 2 && anyContains(u[1:], "🟠 open · closes") })
		// Closed: one more.
		clk.Advance(time.Hour)
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		waitUpdates(t, e, func(u []slacktest.Message) bool { return len(u) == 3 && anyContains(u[2:], "closed · templates only") })
		// The customer writes again: open again, at once.
		e.customerWrites("34612345678", "Ana", "wamid.w5", clk.Now(), "Hola otra vez")
		waitUpdates(t, e, func(u []slacktest.Message) bool { return len(u) == 4 && anyContains(u[3:], "🟢 open · closes") })
		require.NoError(t, e.app.Bridge.CheckWindows(ctx))
		e.waitThreadText(card.TS, "Hola otra vez")
		require.Len(t, e.slack.Updates(), 4)
	})
}

// The must-show on Discord: the refused reply's private answer carries
// the template button; it opens a select (approved only, the customer's
// language first), then a form of the template's values; its submission
// sends Meta's exact body; the template shows in the thread with its
// receipts; the customer's quick reply reopens the window on the card.
// /template autocompletes approved templates, the customer's language
// first, and sends like the text command.
func TestDiscordTemplatePickerAndCommand(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withSendTemplates())
		d.waitSynced()
		d.customerWrites("34612345678", "Ana", "wamid.d1", time.Now().Add(-25*time.Hour), "¿Dónde está?")
		c := d.waitConv(t, d.home, 1)
		d.waitCardShows(t, c, "closed · templates only")

		d.say(t, c, dAna, "Perdona la espera")
		var offer discordtest.Message
		d.fake.WaitFor(t, waitLong, "the private answer with the template button", func() bool {
			for _, m := range d.posts(c) {
				if m.AuthorID == discordtest.BotUserID && strings.Contains(string(m.Payload), "sb:template:"+c.id+"/es") {
					offer = m
					return true
				}
			}
			return false
		})
		require.Contains(t, offer.Content, "<@"+dAna.ID+">")

		// The button: a select of the approved templates, Spanish first.
		cb := d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: offer.ID, User: dAna,
			CustomID: "sb:template:" + c.id + "/es"}))
		require.True(t, cb.Ephemeral())
		var values []string
		for _, o := range cb.Options {
			values = append(values, o.Value)
		}
		require.Equal(t, []string{"delivery_update@es", "delivery_update@pt_BR", "welcome@en_US"}, values, "approved only, Spanish first")

		// The card's button (in the channel, off which the thread hangs)
		// offers the same.
		cardCB := d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.cardIn, MessageID: c.card, User: dAna,
			CustomID: "sb:template:" + c.id}))
		require.Len(t, cardCB.Options, 3)
		require.Contains(t, string(cardCB.Payload), "sbt:pick:"+c.thread, "the select names the thread, not the channel")

		// Choosing one opens a form of its four values.
		cb = d.fake.WaitCallback(t, d.fake.Select(t, discordtest.SelectSpec{ChannelID: c.thread, User: dAna,
			CustomID: "sbt:pick:" + c.thread, Values: []string{"delivery_update@es"}}))
		require.Equal(t, discordtest.CallbackModal, cb.Type)
		require.NotNil(t, cb.Modal)
		require.Len(t, cb.Modal.Inputs, 4)
		require.Equal(t, "2. {{1}}", cb.Modal.Inputs[1].Label)
		require.Equal(t, "Ana", cb.Modal.Inputs[1].Placeholder, "Meta's example as the hint")
		fields := []discordtest.ModalField{{CustomID: "v0", Value: "https://ex.com/box.jpg"}, {CustomID: "v1", Value: "Ana"},
			{CustomID: "v2", Value: "#1234"}, {CustomID: "v3", Value: "abc123"}}
		cb = d.fake.WaitCallback(t, d.fake.SubmitModal(t, discordtest.ModalSpec{ChannelID: c.thread, User: dAna, CustomID: cb.Modal.CustomID, Fields: fields}))
		require.True(t, cb.Ephemeral())

		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.JSONEq(t, deliveryBody, string(sends[0].Raw))
		d.waitPost(t, c, "Hola Ana, tu pedido #1234 llega mañana.")
		var post discordtest.Message
		for _, m := range d.posts(c) {
			if strings.Contains(m.Content, "Hola Ana, tu pedido #1234") && m.AuthorID == discordtest.BotUserID {
				post = m
			}
		}
		d.waitReaction(t, c, post.ID, "📤")
		d.status(sends[0].WAMID, "delivered", 0)
		d.waitReaction(t, c, post.ID, "☑️")

		d.pressQuickReply("34612345678", "wamid.d2", sends[0].WAMID, "Cambiar dirección")
		d.waitPost(t, c, "Cambiar dirección")
		d.waitCardShows(t, c, "open · closes <t:")

		// /template: autocomplete offers approved templates, the
		// customer's language first, filtered by what was typed.
		cb = d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dAna, Name: "template",
			Options: []discordtest.Option{{Name: "name", Value: ""}}, Focused: "name"}))
		require.Equal(t, discordtest.CallbackAutocomplete, cb.Type)
		values = nil
		for _, ch := range cb.Choices {
			values = append(values, fmt.Sprint(ch.Value))
		}
		require.Equal(t, []string{"delivery_update@es", "delivery_update@pt_BR", "welcome@en_US"}, values)
		require.Contains(t, cb.Choices[0].Name, "Hola Ana, tu pedido #1234", "the choice reads like the message")
		cb = d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dAna, Name: "template",
			Options: []discordtest.Option{{Name: "name", Value: "wel"}}, Focused: "name"}))
		require.Len(t, cb.Choices, 1)
		require.Equal(t, "welcome@en_US", cb.Choices[0].Value)

		answer := d.command(t, c, dAna, "template", discordtest.Option{Name: "name", Value: "welcome@en_US"}, discordtest.Option{Name: "params", Value: "Ana"})
		require.Contains(t, answer, "welcome@en_US")
		sends = d.wa.WaitForSends(t, 2, waitLong)
		require.JSONEq(t, `{"messaging_product":"whatsapp","recipient_type":"individual","to":"34612345678","type":"template",
			"template":{"name":"welcome","language":{"code":"en_US"},"components":[{"type":"body","parameters":[
			{"type":"text","parameter_name":"first_name","text":"Ana"}]}]}}`, string(sends[1].Raw))
		d.waitPost(t, c, "Welcome Ana!")

		// An outsider's autocomplete offers nothing to send.
		cb = d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dOutsider, Name: "template",
			Options: []discordtest.Option{{Name: "name", Value: ""}}, Focused: "name"}))
		require.Len(t, cb.Choices, 1)
		require.Contains(t, cb.Choices[0].Name, "Only agents of this team")
	})
}
