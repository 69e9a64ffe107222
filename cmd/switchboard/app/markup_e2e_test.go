package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// Issue 17: what an agent types reaches the customer in WhatsApp's
// formatting, mentions read as names, a team may show who answers, and
// the workspaces' command answers mention people for real.

// A Slack agent's formatted reply with mentions, a link, a list, a quote
// and code reaches the customer as WhatsApp text under the agent's name
// (agent_name: first_line), also when the first send fails and is retried.
func TestSlackReplyReachesTheCustomerFormattedWithNamesAndTheAgentsName(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect,
			withTeams("teams:\n  - name: support\n    slack_channel: "+channel+"\n    agent_name: first_line\n"),
			withSlack(func(s *slacktest.Server) {
				s.AddUser("UAGENT1", "Ana")
				s.AddUser("U0AGENTB01", "Bruno Díaz")
				s.AddChannel("C0BILLING1", "billing")
			}))
		e.customerWrites("34612345678", "Marta", "wamid.mk1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.wa.FailNext(1, 500, 1, "") // the first attempt fails: the retry sends the same text

		e.agentReplies("EvMK1", card.TS, "1700000900.000100", "UAGENT1",
			"*Hola* <@U0AGENTB01>, mira <#C0BILLING1|> y <https://x.example/pay|la página de pago>:\n"+
				"• ábrela\n• paga\n&gt; tu pedido\n```no *toques* &lt;esto&gt;```\ngracias <@U0NOBODY01>! <!here>")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "*Ana:*\n"+
			"*Hola* @Bruno Díaz, mira #billing y la página de pago (https://x.example/pay):\n"+
			"- ábrela\n- paga\n> tu pedido\n```no *toques* <esto>```\ngracias! everyone", sends[0].Text)
		require.NotContains(t, sends[0].Text, "@someone")
		e.slack.WaitForReactions(t, hasReaction("1700000900.000100", "outbox_tray"), waitLong)
		require.Len(t, e.wa.Sends(), 1, "sent once")

		// A reply that is only a file carries the name as its caption.
		pdf := e.slack.AddFile("invoice.pdf", []byte("%PDF-1.4 invoice"))
		require.Equal(t, http.StatusOK, e.postSlackEvent(slacktest.FileShare("EvMK2", channel, card.TS, "1700000901.000100", "UAGENT1", "",
			slacktest.SharedFile{ID: "FMK1", Name: "invoice.pdf", Mimetype: "application/pdf", Size: 16, URL: pdf, User: "UAGENT1"})))
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "document", sends[1].Type)
		require.Equal(t, "*Ana:*", sends[1].Caption)
	})
}

// The same on Discord: markdown becomes WhatsApp formatting, the member
// mentioned reads by their nickname, the channel by its name, and the
// agent's nickname heads the reply.
func TestDiscordReplyReachesTheCustomerFormattedWithNamesAndTheAgentsName(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		team := func(name, home, kind string) string {
			return gamingTeam(name, home, kind) + "    agent_name: first_line\n"
		}
		d := setupDiscordTeam(t, dialect, "text", team)
		d.customerWrites("34612345678", "Marta", "wamid.mk2", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		ana := discordtest.User{ID: dAna.ID, Username: dAna.Username, Nick: "Ana L."}
		bruno := discordtest.User{ID: dBruno.ID, Username: dBruno.Username, Nick: "Bruno D."}

		reply := d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: ana, Mentions: []discordtest.User{bruno},
			Content: fmt.Sprintf("**Hola** <@%s>, mira <#%s> y [la página](https://x.example/pay)\n* ábrela\n* ~~no~~ __paga__ ||ya||\n"+
				"`<@%s> **literal**`\n>>> tu pedido\nllega hoy <@999000000000000001>", bruno.ID, d.home, bruno.ID)})
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "*Ana L.:*\n"+
			"*Hola* @Bruno D., mira #gaming y la página (https://x.example/pay)\n- ábrela\n- ~no~ paga ya\n"+
			"`<@"+bruno.ID+"> **literal**`\n> tu pedido\n> llega hoy", sends[0].Text)
		d.waitReaction(t, c, reply, "📤")
	})
}

// A canned response sent from its preview is a reply too: it carries the
// agent's name line; the bridge's own texts never do.
func TestCannedReplyCarriesTheAgentsNameLine(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		opts := cannedConfig()
		opts[0] = withTeams(fmt.Sprintf("teams:\n  - name: support\n    slack_channel: %s\n    supervisors: [U0SUPERV01]\n    agent_name: first_line\n", channel))
		e := setup(t, dialect, opts...)
		e.customerWrites("14155550100", "Marta Ruiz", "wamid.mk3", time.Now(), spanishText)
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvMK3", card.TS, "1700000910.000100", "UAGENT1", "!canned greeting")
		preview := e.waitEphemeralWith("UAGENT1", "Soy Bruno Díaz")
		value := conversationID(t, card) + "/canned:greeting@es"
		resp := e.interact(slacktest.PrivateButtonClick("trigMK3", "UAGENT1", channel, card.TS, preview.TS, "sb:send#0", value,
			e.slack.ResponseURL("mk3")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.True(t, strings.HasPrefix(sends[0].Text, "*Bruno Díaz:*\n¡Hola Marta! Soy Bruno Díaz"), sends[0].Text)
	})
}

// Answers to /switchboard queue and status (Slack) and /queue and /status
// (Discord) name agents as real mentions, never {@…} tokens; where a
// mention cannot render (an autocomplete choice) the agent reads by name.
func TestCommandAnswersMentionAgentsOnSlackAndDiscord(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		t.Run("slack", func(t *testing.T) {
			e := setup(t, dialect)
			e.customerWrites("34612345678", "Marta", "wamid.mk4", time.Now(), "Hola")
			card := e.waitCardAndThread("Hola")
			e.agentReplies("EvMK4", card.TS, "1700000920.000100", "UAGENT1", "Hola Marta") // claims it
			e.wa.WaitForSends(t, 1, waitLong)
			answer := e.command("UAGENT1", channel, "queue")
			require.Contains(t, answer, "with <@UAGENT1>")
			require.NotContains(t, answer, "{@")
			status := e.command("UAGENT1", channel, "status")
			require.Contains(t, status, "<@UAGENT1>")
			require.NotContains(t, status, "{@")
		})
		t.Run("discord", func(t *testing.T) {
			d := setupDiscord(t, dialect, "text")
			d.customerWrites("34612345678", "Marta", "wamid.mk5", time.Now(), "Hola")
			c := d.waitConv(t, d.home, 1)
			d.say(t, c, dAna, "Hola Marta") // claims it
			d.wa.WaitForSends(t, 1, waitLong)
			answer := d.command(t, c, dAna, "queue")
			require.Contains(t, answer, "<@"+dAna.ID+">")
			require.NotContains(t, answer, "{@")
			status := d.command(t, c, dAna, "status")
			require.Contains(t, status, "<@"+dAna.ID+">")
			require.NotContains(t, status, "{@")
			// An autocomplete choice is plain text: the holder reads by name.
			cb := d.fake.WaitCallback(t, d.fake.Autocomplete(t, discordtest.AutocompleteSpec{ChannelID: c.thread, User: dBruno, Name: "template",
				Options: []discordtest.Option{{Name: "name", Value: ""}}, Focused: "name"}))
			require.Len(t, cb.Choices, 1)
			require.Contains(t, cb.Choices[0].Name, "@ana holds this conversation")
			require.NotContains(t, cb.Choices[0].Name, "{@")
		})
	})
}

// Bot texts reach the customer in their language: a Spanish number whose
// words say nothing gets the Spanish away message; a customer writing
// Spanish from a US number to an English team gets the survey and its
// thanks in Spanish, on Slack and on Discord.
func TestBotTextsAreInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		t.Run("away message by the phone's country", func(t *testing.T) {
			clk := &clock{now: middayYesterday()}
			today := clk.Now().UTC().Format("2006-01-02")
			e := setup(t, dialect, withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    language: en
    hours:
      time_zone: UTC
      weekly: {daily: ["00:00-23:59"]}
      holidays: [%q]
    away_message:
      en: "We are closed today."
      es: "Hoy estamos cerrados."
`, channel, today)))
			e.customerWrites("34611111111", "Marta", "wamid.mk6", clk.Now(), "ok 👍")
			sends := e.wa.WaitForSends(t, 1, waitLong)
			require.Equal(t, "Hoy estamos cerrados.", sends[0].Text)
		})
		t.Run("survey on slack", func(t *testing.T) {
			e := setup(t, dialect, withTeams(fmt.Sprintf("teams:\n  - name: support\n    slack_channel: %s\n    language: en\n    members: [U0AGENTA01]\n", channel)))
			e.customerWrites("14155550100", "Marta", "wamid.mk7", time.Now(), spanishText)
			card := e.waitCardIn(channel, 1)
			conv := conversationID(t, card)
			e.replyIn(channel, "EvMK7", card.TS, "1700000930.000100", "U0AGENTA01", "It ships today")
			e.wa.WaitForSends(t, 1, waitLong)
			e.clicks("trigMK7", "U0AGENTA01", card.TS, "resolve", conv)
			survey := e.wa.WaitForSends(t, 2, waitLong)[1]
			require.Equal(t, "interactive", survey.Type)
			require.Contains(t, survey.Interactive.Body, "¿")
			require.Equal(t, "😀 Bien", survey.Interactive.Buttons[0].Title)
			e.pressButton("14155550100", "wamid.mk8", survey.WAMID, "csat:"+conv+":3", "😀 Bien")
			thanks := e.wa.WaitForSends(t, 3, waitLong)[2]
			require.Equal(t, "¡Gracias por tu opinión!", thanks.Text)
			e.waitThreadText(card.TS, "CSAT: good") // the thread stays in the team's language
		})
		t.Run("survey on discord", func(t *testing.T) {
			d := setupDiscord(t, dialect, "text")
			d.customerWrites("14155550100", "Marta", "wamid.mk9", time.Now(), spanishText)
			c := d.waitConv(t, d.home, 1)
			d.say(t, c, dAna, "It ships today")
			d.wa.WaitForSends(t, 1, waitLong)
			d.command(t, c, dAna, "resolve")
			survey := d.wa.WaitForSends(t, 2, waitLong)[1]
			require.Equal(t, "interactive", survey.Type)
			require.Equal(t, "😀 Bien", survey.Interactive.Buttons[0].Title)
		})
	})
}
