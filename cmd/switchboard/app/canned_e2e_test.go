package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/configs"
)

// cannedConfig is a support team with a supervisor, and a greeting in
// English and Spanish with every variable.
func cannedConfig() []option {
	return []option{
		withTeams(fmt.Sprintf("teams:\n  - name: support\n    slack_channel: %s\n    supervisors: [U0SUPERV01]\n", channel)),
		withTopLevel(`canned_responses:
  - name: greeting
    text:
      en: "Hi {{contact.first_name}}, I'm {{agent.name}} from {{team.name}} (case {{conversation.id}})."
      es: "¡Hola {{contact.first_name}}! Soy {{agent.name}}, del equipo {{team.name}} (caso {{conversation.id}})."
`),
		withSlack(func(s *slacktest.Server) { s.AddUser("UAGENT1", "Bruno Díaz") }),
	}
}

// spanishCustomer writes in Spanish from a US number: the language the
// bridge learns comes from the words, not the number.
const spanishText = "Hola, quiero saber dónde está mi pedido, por favor"

// command runs /switchboard with text as user in ch and returns the
// private answer.
func (e *env) command(user, ch, text string) string {
	e.t.Helper()
	resp := slacktest.PostSlashCommand(e.t, e.baseURL+"/slack/commands", signingSecret, url.Values{
		"command": {"/switchboard"}, "text": {text}, "user_id": {user}, "channel_id": {ch}, "team_id": {slacktest.TeamID},
		"trigger_id": {"trig-cmd"}, "response_url": {e.slack.ResponseURL("cmd")},
	})
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	var answer struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&answer))
	require.Equal(e.t, "ephemeral", answer.ResponseType, "answered privately")
	return answer.Text
}

// interact posts a signed interactivity payload and returns the response.
func (e *env) interact(payload []byte) *http.Response {
	e.t.Helper()
	return slacktest.PostInteraction(e.t, e.baseURL+"/slack/interactivity", signingSecret, payload)
}

// waitEphemeralWith waits for a private message to user containing sub.
func (e *env) waitEphemeralWith(user, sub string) slacktest.Message {
	e.t.Helper()
	var got slacktest.Message
	require.Eventually(e.t, func() bool {
		for _, m := range e.slack.Ephemerals() {
			if m.User == user && (strings.Contains(m.Text, sub) || strings.Contains(string(m.Blocks), sub)) {
				got = m
				return true
			}
		}
		return false
	}, waitLong, 5*time.Millisecond, "a private message to %s with %q", user, sub)
	return got
}

// sentPost waits for the bridge's post of a sent canned response in the
// thread under cardTS and returns it.
func (e *env) sentPost(cardTS, sub string) slacktest.Message {
	e.t.Helper()
	var got slacktest.Message
	e.slack.WaitForPosts(e.t, func(posts []slacktest.Message) bool {
		for _, p := range posts {
			if p.ThreadTS == cardTS && strings.Contains(p.Text, "sent the canned response") && strings.Contains(p.Text, sub) {
				got = p
				return true
			}
		}
		return false
	}, waitLong)
	return got
}

// A Spanish-speaking customer gets the Spanish version with every
// variable filled: the agent previews it privately, presses Send, the
// Graph API receives exactly that text, the thread shows what was sent
// and its receipts; the preview is replaced so Send cannot be pressed
// twice.
func TestCannedResponsePreviewThenSendInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, cannedConfig()...)
		e.customerWrites("16505551234", "Ana García", "wamid.c1", time.Now(), spanishText)
		card := e.waitCardAndThread(spanishText)
		conv := conversationID(t, card)
		want := fmt.Sprintf("¡Hola Ana! Soy Bruno Díaz, del equipo support (caso %s).", conv)

		e.agentReplies("EvCanned1", card.TS, "1700000100.000100", "UAGENT1", "!canned greeting")
		preview := e.waitEphemeralWith("UAGENT1", "greeting")
		require.Contains(t, preview.Text, want, "the Spanish version, rendered for this customer and agent")
		require.Equal(t, card.TS, preview.ThreadTS, "shown in the thread")
		value := conv + "/canned:greeting@es"
		require.Contains(t, string(preview.Blocks), `"action_id":"sb:send#0"`)
		require.Contains(t, string(preview.Blocks), `"value":"`+value+`"`)
		require.Empty(t, e.wa.Sends(), "a preview sends nothing")

		// The post of what was sent fails once: the send is recorded
		// before the post has a key, and its mark still lands on the post
		// once it is made.
		e.slack.FailNext("chat.postMessage", 1, slacktest.ServerError(http.StatusInternalServerError))
		resp := e.interact(slacktest.PrivateButtonClick("trigSend1", "UAGENT1", channel, card.TS, preview.TS, "sb:send#0", value,
			e.slack.ResponseURL("send1")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		// A double click: Slack gives the second press its own trigger_id.
		resp = e.interact(slacktest.PrivateButtonClick("trigSend1b", "UAGENT1", channel, card.TS, preview.TS, "sb:send#0", value,
			e.slack.ResponseURL("send1b")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, want, sends[0].Text)
		require.Equal(t, "16505551234", sends[0].To)

		post := e.sentPost(card.TS, want)
		require.Contains(t, post.Text, "<@UAGENT1>", "the thread says who sent it")
		e.slack.WaitForReactions(t, hasReaction(post.TS, "outbox_tray"), waitLong)
		for _, status := range []string{"delivered", "read"} {
			resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret,
				whatsapptest.StatusUpdate(phoneID, sends[0].WAMID, status, time.Now(), 0))
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction(post.TS, "eye")(rs) && !hasReaction(post.TS, "outbox_tray")(rs)
		}, waitLong)
		require.Len(t, e.wa.Sends(), 1, "the double click sent once")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM messages WHERE direction = 'out'`), "and stored once")

		// Each press (the double click's second too) is acknowledged on its
		// own response_url, in whichever order: the first press's replaces
		// the preview.
		var ack slacktest.Response
		e.slack.WaitForResponses(t, func(rs []slacktest.Response) bool {
			for _, r := range rs {
				if r.ID == "send1" {
					ack = r
					return true
				}
			}
			return false
		}, waitLong)
		require.True(t, ack.ReplaceOriginal, "the preview is replaced")
		require.Contains(t, ack.Text, "greeting")

		// The first reply claimed the conversation, as a typed one would.
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "UAGENT1") })
	})
}

// The message shortcut opens a modal listing what may be sent here (the
// customer's language first), a choice shows its preview in the modal,
// and Send sends it as the reply.
func TestCannedResponseFromTheSlackShortcut(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, cannedConfig()...)
		e.customerWrites("16505551234", "Ana García", "wamid.m1", time.Now(), spanishText)
		card := e.waitCardAndThread(spanishText)
		conv := conversationID(t, card)

		resp := e.interact(slacktest.MessageShortcut("trigShort", "sb_canned", "UAGENT1", channel, card.TS, "", e.slack.ResponseURL("short")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)
		modal := string(views[0].JSON)
		require.Equal(t, "trigShort", views[0].TriggerID)
		require.Less(t, strings.Index(modal, `"value":"greeting@es"`), strings.Index(modal, `"value":"greeting@en"`),
			"the customer's language first")
		require.Contains(t, modal, `"dispatch_action":true`)

		_, hash, ok := e.slack.CurrentView(views[0].ID)
		require.True(t, ok)
		resp = e.interact(slacktest.ModalMenuChoice("trigPick", "UAGENT1", views[0], hash, "canned", "sbc_pick", "greeting@es"))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		updates := e.slack.WaitForViewUpdates(t, func(v []slacktest.ViewUpdate) bool { return len(v) == 1 }, waitLong)
		require.Contains(t, string(updates[0].JSON), "¡Hola Ana! Soy Bruno Díaz", "the preview, in the modal")
		require.Contains(t, string(updates[0].JSON), `"initial_option"`, "the choice stays chosen")

		_, hash, _ = e.slack.CurrentView(views[0].ID)
		resp = e.interact(slacktest.ModalSubmission("trigSubmit", "UAGENT1", views[0], hash, "canned", "sbc_pick", "greeting@es"))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Empty(t, body, "an empty answer closes the modal; a body would keep it open")
		// Slack submits the same view again when it could not read the
		// answer (a new trigger_id): sent once all the same.
		resp = e.interact(slacktest.ModalSubmission("trigSubmit2", "UAGENT1", views[0], hash, "canned", "sbc_pick", "greeting@es"))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, fmt.Sprintf("¡Hola Ana! Soy Bruno Díaz, del equipo support (caso %s).", conv), sends[0].Text)
		post := e.sentPost(card.TS, "¡Hola Ana!")
		e.slack.WaitForReactions(t, hasReaction(post.TS, "outbox_tray"), waitLong)

		// Someone outside the team gets a modal that says why, and nothing to send.
		resp = e.interact(slacktest.MessageShortcut("trigOut", "sb_canned", "U0STRANGER", channel, card.TS, "", e.slack.ResponseURL("out")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		views = e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 2 }, waitLong)
		require.NotContains(t, string(views[1].JSON), "sbc_pick")
		require.NotContains(t, string(views[1].JSON), `"submit"`)
	})
}

// A supervisor adds a canned response from Slack and it is usable at
// once; a non-supervisor and an unknown variable are refused, privately;
// a config-owned response cannot be edited from chat.
func TestSupervisorManagesCannedResponsesFromSlack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, cannedConfig()...)

		answer := e.command("UAGENT1", channel, "canned add thanks es Gracias, {{contact.first_name}}")
		require.Contains(t, answer, "Only a supervisor of team support")
		answer = e.command("U0SUPERV01", channel, "canned add thanks es Gracias {{contact.firstname}}")
		require.Contains(t, answer, "{{contact.firstname}} is not a variable")
		require.Contains(t, answer, "{{contact.first_name}}", "the variables are listed")
		answer = e.command("U0SUPERV01", channel, "canned edit greeting es Hola")
		require.Contains(t, answer, "edit global/greeting")
		answer = e.command("U0SUPERV01", channel, "canned edit global/greeting es Hola")
		require.Contains(t, answer, "configuration file")
		answer = e.command("U0SUPERV01", channel, "canned add thanks es ¡Gracias, {{contact.first_name}}! Un saludo.")
		require.Contains(t, answer, "Saved")
		answer = e.command("U0SUPERV01", channel, "canned add thanks es otra vez")
		require.Contains(t, answer, "already exists")

		list := e.command("UAGENT1", channel, "canned list")
		require.Contains(t, list, "*thanks* (es)")
		require.Contains(t, list, "*greeting* (es) · config file")

		e.customerWrites("16505551234", "Ana García", "wamid.s1", time.Now(), spanishText)
		card := e.waitCardAndThread(spanishText)
		e.agentReplies("EvThanks", card.TS, "1700000200.000100", "UAGENT1", "!canned thanks")
		preview := e.waitEphemeralWith("UAGENT1", "thanks")
		require.Contains(t, preview.Text, "¡Gracias, Ana! Un saludo.")

		answer = e.command("U0SUPERV01", channel, "canned remove thanks")
		require.Contains(t, answer, "Removed *thanks* (es)")
		e.agentReplies("EvThanks2", card.TS, "1700000201.000100", "UAGENT1", "!canned thanks")
		e.waitEphemeralWith("UAGENT1", "no canned response called “thanks”")
	})
}

// A canned reply follows the reply rules: refused while someone else
// holds the conversation, and outside the 24-hour window.
func TestCannedSendFollowsTheReplyRules(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		e := setup(t, dialect, append(cannedConfig(), withClock(clk))...)
		e.customerWrites("16505551234", "Ana García", "wamid.r1", time.Now(), spanishText)
		card := e.waitCardAndThread(spanishText)
		conv := conversationID(t, card)
		value := conv + "/canned:greeting@es"

		e.agentReplies("EvPrev1", card.TS, "1700000300.000100", "UAGENT1", "!canned greeting")
		preview := e.waitEphemeralWith("UAGENT1", "greeting")
		e.clicks("trigClaim2", "UAGENT2", card.TS, "claim", conv)
		e.waitCardAndThread("claimed this conversation")

		resp := e.interact(slacktest.PrivateButtonClick("trigHeld", "UAGENT1", channel, card.TS, preview.TS, "sb:send#0", value, e.slack.ResponseURL("held")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		held := e.waitEphemeralWith("UAGENT1", "<@UAGENT2>")
		require.Contains(t, held.Text, "the canned response was NOT sent")

		// UAGENT2 may; the window then closes and nobody may.
		e.agentReplies("EvPrev2", card.TS, "1700000301.000100", "UAGENT2", "!canned greeting")
		e.waitEphemeralWith("UAGENT2", "greeting")
		clk.Advance(25 * time.Hour)
		resp = e.interact(slacktest.PrivateButtonClick("trigLate", "UAGENT2", channel, card.TS, "1700000302.000100", "sb:send#0", value, e.slack.ResponseURL("late")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.waitCardAndThread("24 hours", "<@UAGENT2>")
		e.agentReplies("EvPrev3", card.TS, "1700000303.000100", "UAGENT2", "!canned greeting")
		late := e.waitEphemeralWith("UAGENT2", "window is closed")
		require.NotContains(t, string(late.Blocks), "sb:send", "no Send outside the window")

		// A typed note goes through the same lane: once it is marked,
		// nothing else is on its way.
		e.agentReplies("EvMarker", card.TS, "1700000304.000100", "UAGENT2", "note: marker")
		e.slack.WaitForReactions(t, hasReaction("1700000304.000100", "memo"), waitLong)
		require.Empty(t, e.wa.Sends(), "neither canned reply reached the customer")
	})
}

// An unknown variable in the configuration stops start-up with the field
// and the fix, before any agent could send it.
func TestCannedUnknownVariableRefusedAtConfigLoad(t *testing.T) {
	t.Parallel()
	_, err := configs.Parse([]byte(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
canned_responses:
  - name: greeting
    text: "Hola {{cliente.nombre}}"
`, channel)), "switchboard.yaml", func(string) string { return "" })
	require.ErrorContains(t, err, "switchboard.yaml line 6: canned_responses[0].text: unknown variable {{cliente.nombre}}")
}
