package app_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Reactions and quotes both ways on Slack (issue 17); the Discord side is
// in reactions_discord_e2e_test.go.

// reacts posts a signed reaction_added (or, added false, reaction_removed)
// event: user reacted with Slack's name on the message ts of the team
// channel.
func (e *env) reacts(eventID, user, name, ts string, added bool) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret,
		slacktest.ReactionEvent(eventID, user, name, channel, ts, slacktest.BotUserID, added))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// customerReacts posts a signed webhook of the customer reacting with
// emoji ("" removes their reaction) to the message target.
func (e *env) customerReacts(wamid, target, emoji string, at time.Time) {
	e.t.Helper()
	postCustomer(e.t, e.baseURL, whatsapptest.Message("34612345678", wamid, at, "reaction",
		map[string]any{"message_id": target, "emoji": emoji}))
}

// customerQuotes posts a signed webhook of the customer answering the
// message contextID with text (WhatsApp's context).
func (e *env) customerQuotes(wamid, contextID, text string, at time.Time) {
	e.t.Helper()
	msg := whatsapptest.Message("34612345678", wamid, at, "text", map[string]any{"body": text})
	msg["context"] = map[string]any{"from": "15550783881", "id": contextID}
	postCustomer(e.t, e.baseURL, msg)
}

func postCustomer(t *testing.T, baseURL string, msg map[string]any) {
	t.Helper()
	resp := whatsapptest.PostWebhook(t, baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: "34612345678", Name: "Ana"}},
		Messages: []map[string]any{msg}}))
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// reactionSends are the reactions sent to customers, in order.
func reactionSends(sends []whatsapptest.Send) []whatsapptest.ReactionSend {
	var out []whatsapptest.ReactionSend
	for _, s := range sends {
		if s.Type == "reaction" && s.Reaction != nil {
			out = append(out, *s.Reaction)
		}
	}
	return out
}

// waitSend waits for a send pred accepts and returns all sends so far.
func waitSend(t *testing.T, wa *whatsapptest.Server, pred func(whatsapptest.Send) bool) []whatsapptest.Send {
	t.Helper()
	for n := 1; ; {
		sends := wa.WaitForSends(t, n, waitLong)
		if slices.ContainsFunc(sends, pred) {
			return sends
		}
		n = len(sends) + 1
	}
}

func isReaction(emoji string) func(whatsapptest.Send) bool {
	return func(s whatsapptest.Send) bool {
		return s.Type == "reaction" && s.Reaction != nil && s.Reaction.Emoji == emoji
	}
}

// settled returns once the thread's earlier posts are recorded: a note
// is marked 📝 by the same lane, after them. Reactions and quotes name
// thread messages, which the bridge knows only once their post is
// recorded (a person is never that fast, a test is).
func (e *env) settled(cardTS, ts string) {
	e.t.Helper()
	e.agentReplies("EvSettle"+ts, cardTS, ts, "UAGENT1", "note: settled")
	e.slack.WaitForReactions(e.t, hasReaction(ts, "memo"), waitLong)
}

// postTS is the ts of the first thread post under cardTS containing sub.
func (e *env) postTS(cardTS, sub string) string {
	e.t.Helper()
	var ts string
	e.slack.WaitForPosts(e.t, func(posts []slacktest.Message) bool {
		for _, p := range posts {
			if p.ThreadTS == cardTS && strings.Contains(p.Text, sub) {
				ts = p.TS
				return true
			}
		}
		return false
	}, waitLong)
	return ts
}

func TestSlackAgentReactionsReachTheCustomer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.re1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		hola := e.postTS(card.TS, "Hola")
		e.settled(card.TS, "1700000099.000100")

		e.reacts("EvR1", "UAGENT1", "+1", hola, true)
		sends := waitSend(t, e.wa, isReaction("👍"))
		got := reactionSends(sends)
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.re1", Emoji: "👍"}}, got)
		require.Equal(t, "34612345678", sends[0].To)

		e.reacts("EvR1", "UAGENT1", "+1", hola, true)    // Slack delivers the same event again
		e.reacts("EvR2", "UAGENT1", "heart", hola, true) // another emoji replaces the first
		e.reacts("EvR3", "UAGENT1", "+1", hola, false)   // not the current one any more: nothing
		e.agentReplies("EvM1", card.TS, "1700000101.000100", "UAGENT1", "Claro")
		e.agentReplies("EvM2", card.TS, "1700000102.000100", "UAGENT1", "note: vip")
		e.reacts("EvR4", "UAGENT1", "+1", "1700000101.000100", true)                    // on our own reply
		e.reacts("EvR5", "UAGENT1", "+1", "1700000102.000100", true)                    // on a note
		e.reacts("EvR6", "UAGENT1", "+1", card.TS, true)                                // on the card
		e.reacts("EvR7", slacktest.BotUserID, "outbox_tray", "1700000101.000100", true) // our own mark
		e.reacts("EvR8", slacktest.BotUserID, "tada", hola, true)                       // our bot mirroring a customer's
		e.reacts("EvR9", "UAGENT1", "party-parrot", hola, true)                         // a custom emoji
		ephemeralWith(t, e, "UAGENT1", "standard emoji")
		e.reacts("EvR10", "UAGENT1", "heart", hola, false) // the current one: taken back

		sends = waitSend(t, e.wa, isReaction(""))
		require.Equal(t, []whatsapptest.ReactionSend{
			{MessageID: "wamid.re1", Emoji: "👍"}, {MessageID: "wamid.re1", Emoji: "❤️"}, {MessageID: "wamid.re1", Emoji: ""},
		}, reactionSends(sends), "once each, never for our own posts or marks")
	})
}

func TestSlackReactionsRefusedPrivately(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.rh1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		hola := e.postTS(card.TS, "Hola")
		e.settled(card.TS, "1700000099.000100")
		e.agentReplies("EvH1", card.TS, "1700000201.000100", "UAGENT1", "Hi") // claims it
		e.wa.WaitForSends(t, 1, waitLong)

		e.reacts("EvH2", "UAGENT2", "+1", hola, true)
		ephemeralWith(t, e, "UAGENT2", "holds this conversation, so your reaction was NOT sent")

		// WhatsApp refuses reactions outside the 24-hour window (131047):
		// the agent is told privately, nothing is said in the thread.
		e.wa.FailNext(1, http.StatusBadRequest, 131047, "")
		e.reacts("EvH3", "UAGENT1", "+1", hola, true)
		ephemeralWith(t, e, "UAGENT1", "more than 24 hours ago")
		// The refused reaction is not what the customer sees: trying again sends it.
		e.reacts("EvH4", "UAGENT1", "+1", hola, true)
		sends := waitSend(t, e.wa, isReaction("👍"))
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.rh1", Emoji: "👍"}}, reactionSends(sends))
		require.Zero(t, containsText(inThread(e.slack.Posts(), card.TS), "⛔"), "no failure notice in the thread")
	})
}

func TestSlackCustomerReactionsAndQuotesShowInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		t0 := time.Now()
		e.customerWrites("34612345678", "Ana", "wamid.cr1", t0, "Hola")
		card := e.waitCardAndThread("Hola")
		const replyTS = "1700000301.000100"
		e.agentReplies("EvC1", card.TS, replyTS, "UAGENT1", "Hi there")
		reply := e.wa.WaitForSends(t, 1, waitLong)[0].WAMID
		e.slack.WaitForReactions(t, hasReaction(replyTS, "outbox_tray"), waitLong)

		e.customerReacts("wamid.cr2", reply, "👍", t0.Add(time.Second))
		e.slack.WaitForReactions(t, hasReaction(replyTS, "+1"), waitLong)
		e.customerReacts("wamid.cr3", reply, "❤️", t0.Add(2*time.Second)) // replaces it
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction(replyTS, "heart")(rs) && !hasReaction(replyTS, "+1")(rs)
		}, waitLong)
		e.customerReacts("wamid.cr4", reply, "", t0.Add(3*time.Second)) // WhatsApp does not say which
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return !hasReaction(replyTS, "heart")(rs) && hasReaction(replyTS, "outbox_tray")(rs)
		}, waitLong)

		// A quoted reply keeps its italic quote line on Slack.
		e.customerQuotes("wamid.cr5", reply, "Thanks!", t0.Add(4*time.Second))
		e.waitCardAndThread("Thanks!")
		quoted := e.postTS(card.TS, "Thanks!")
		for _, p := range e.slack.Posts() {
			if p.TS == quoted {
				require.Contains(t, p.Text, "In reply to: Hi there")
			}
		}
	})
}

func TestSlackReplyToThisMessageQuotesIt(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.sq1", time.Now(), "Where is my order?")
		card := e.waitCardAndThread("Where is my order?")
		q := e.postTS(card.TS, "Where is my order?")
		e.settled(card.TS, "1700000099.000100")

		resp := slacktest.PostInteraction(t, e.baseURL+"/slack/interactivity", signingSecret,
			slacktest.MessageShortcut("trigQ1", "sb_quote_reply", "UAGENT1", channel, q, card.TS, ""))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		view := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)[0]
		require.Contains(t, string(view.JSON), "sb_quote_reply")

		submit := e.slack.ViewSubmission(t, "trigQ2", "UAGENT1", view.ID,
			slacktest.State{"quote_reply": {"text": slacktest.TextInput("It ships *today*")}})
		for range 2 { // Slack resubmits a view when it could not read our answer
			resp = slacktest.PostInteraction(t, e.baseURL+"/slack/interactivity", signingSecret, submit)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			body, _ := io.ReadAll(resp.Body)
			require.Empty(t, body, "an empty answer closes the modal")
		}
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, "It ships *today*", sends[0].Text)
		require.Equal(t, "wamid.sq1", sends[0].ReplyTo, "sent quoting the customer's message")

		// Posted in the thread by the bridge, with the quote, and marked sent.
		posted := e.postTS(card.TS, "It ships")
		for _, p := range e.slack.Posts() {
			if p.TS == posted {
				require.Contains(t, p.Text, "In reply to: Where is my order?")
				require.Contains(t, p.Text, "<@UAGENT1>")
			}
		}
		e.slack.WaitForReactions(t, hasReaction(posted, "outbox_tray"), waitLong)

		// A marker proves the resubmission was drained before counting.
		e.agentReplies("EvQ3", card.TS, "1700000401.000100", "UAGENT1", "marker")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Len(t, sends, 2, "the resubmitted view was sent once")
		require.Equal(t, "marker", sends[1].Text)
		require.Empty(t, sends[1].ReplyTo, "a plain reply quotes nothing")
	})
}

// A reaction is tried once: a temporary Graph failure tells its author
// privately instead of retrying it with backoff in front of the replies
// queued behind it in the customer lane.
func TestSlackReactionThatFailsIsToldOnceAndHoldsNoReply(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.rt1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		hola := e.postTS(card.TS, "Hola")
		e.settled(card.TS, "1700000099.000100")
		e.agentReplies("EvT1", card.TS, "1700000201.000100", "UAGENT1", "Hi") // claims it
		e.wa.WaitForSends(t, 1, waitLong)

		e.wa.FailNext(1, http.StatusInternalServerError, 131000, "")
		e.reacts("EvT2", "UAGENT1", "+1", hola, true)
		ephemeralWith(t, e, "UAGENT1", "did not reach the customer")
		e.agentReplies("EvT3", card.TS, "1700000202.000100", "UAGENT1", "Anything else?")
		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Anything else?", sends[1].Text)
		require.Empty(t, reactionSends(e.wa.Sends()), "the failed reaction was not retried")
	})
}

// Slack's reaction events do not say the reactor's workspace: users.info
// does, so a Slack Connect guest in the channel cannot react to the
// customer, while the team's agent can.
func TestSlackConnectGuestReactionIsRefused(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withSlack(func(s *slacktest.Server) {
			s.SetChannelMembers(channel, "UAGENT1", "U0GUEST001")
			s.AddGuest("U0GUEST001", "Gus", "T0OTHERORG")
		}))
		e.customerWrites("34612345678", "Ana", "wamid.rg1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		hola := e.postTS(card.TS, "Hola")
		e.settled(card.TS, "1700000099.000100")

		e.reacts("EvG1", "U0GUEST001", "+1", hola, true)
		ephemeralWith(t, e, "U0GUEST001", "another workspace")
		e.reacts("EvG2", "UAGENT1", "heart", hola, true)
		waitSend(t, e.wa, isReaction("❤️"))
		require.Equal(t, []whatsapptest.ReactionSend{{MessageID: "wamid.rg1", Emoji: "❤️"}}, reactionSends(e.wa.Sends()),
			"only the agent's reaction")
	})
}
