package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			fn(t, dialect)
		})
	}
}

func TestCustomerMessageOpensThreadWithCard(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana García", "wamid.first", time.Now(), "¿Tienen talla M?")
		card := e.waitCardAndThread("¿Tienen talla M?")

		require.Equal(t, channel, card.Channel)
		blocks := string(card.Blocks)
		require.Contains(t, blocks, "Ana García")
		require.Contains(t, blocks, "+34 6")
		require.NotContains(t, blocks, "34612345678", "the card never shows the full number")
		require.Contains(t, blocks, "Support line")
		require.Contains(t, blocks, "sb:claim")
		require.Contains(t, blocks, "sb:resolve")
		posts := e.slack.Posts()
		require.Len(t, cards(posts), 1)
		require.Contains(t, inThread(posts, card.TS)[0], "Ana García", "the customer's name heads their message")
	})
}

func TestAgentReplyReachesCustomerWithReceipts(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.q1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		e.agentReplies("Ev1", card.TS, "1700000001.000100", "UAGENT1", "Hi *Ana*, yes we do!")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, "Hi *Ana*, yes we do!", sends[0].Text)
		require.Equal(t, "34612345678", sends[0].To)

		// sent, then delivered and read as Meta reports them.
		e.slack.WaitForReactions(t, hasReaction("1700000001.000100", "outbox_tray"), waitLong)
		wamid := sends[0].WAMID
		for _, status := range []string{"read", "delivered"} { // out of order on purpose
			resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret,
				whatsapptest.StatusUpdate(phoneID, wamid, status, time.Now(), 0))
			require.Equal(t, 200, resp.StatusCode)
		}
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction("1700000001.000100", "eye")(rs) && !hasReaction("1700000001.000100", "outbox_tray")(rs)
		}, waitLong)
		require.False(t, hasReaction("1700000001.000100", "ballot_box_with_check")(e.slack.Reactions()),
			"a late 'delivered' never replaces 'read'")

		// The first reply claimed the conversation for its author.
		updates := waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "UAGENT1") })
		require.Contains(t, string(updates[len(updates)-1].Blocks), "sb:unclaim")
	})
}

func TestNotesStayInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.n1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		e.agentReplies("EvNote1", card.TS, "1700000002.000100", "UAGENT1", "note: she ordered twice last week")
		e.agentReplies("EvNote2", card.TS, "1700000003.000100", "UAGENT1", ";; check the refund")
		e.agentReplies("EvNote3", card.TS, "1700000004.000100", "UAGENT1", "NOTE: upper case too")
		e.agentReplies("EvReply", card.TS, "1700000005.000100", "UAGENT1", "A real answer")
		e.wa.WaitForSends(t, 1, waitLong)
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction("1700000002.000100", "memo")(rs) && hasReaction("1700000003.000100", "memo")(rs) &&
				hasReaction("1700000004.000100", "memo")(rs)
		}, waitLong)
		e.slack.WaitForReactions(t, hasReaction("1700000005.000100", "outbox_tray"), waitLong)
		sends := e.wa.Sends()
		require.Len(t, sends, 1, "notes are never sent")
		require.Equal(t, "A real answer", sends[0].Text)
	})
}

func TestRetriedDeliveriesChangeNothing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		body := whatsapptest.TextMessage(phoneID, "34612345678", "Ana", "wamid.dup", time.Now(), "only once")
		for range 3 {
			resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
			require.Equal(t, 200, resp.StatusCode)
		}
		card := e.waitCardAndThread("only once")

		reply := slacktest.ThreadReply("EvDup", channel, card.TS, "1700000010.000100", "UAGENT1", "answered once")
		for range 3 {
			resp := slacktest.PostEvent(t, e.baseURL+"/slack/events", signingSecret, reply)
			require.Equal(t, 200, resp.StatusCode)
		}
		e.wa.WaitForSends(t, 1, waitLong)
		// A marker message after the retries proves the queue has drained
		// past them before we count.
		e.customerWrites("34612345678", "Ana", "wamid.marker", time.Now(), "marker")
		e.waitCardAndThread("marker")
		e.agentReplies("EvMarker", card.TS, "1700000011.000100", "UAGENT1", "marker reply")
		sends := e.wa.WaitForSends(t, 2, waitLong)

		require.Len(t, sends, 2, "the retried Slack event was sent once")
		require.Equal(t, 1, containsText(inThread(e.slack.Posts(), card.TS), "only once"), "the retried webhook was posted once")
		require.Len(t, cards(e.slack.Posts()), 1)
	})
}

func TestClaimsDecideWhoAnswers(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.c1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		conv := conversationID(t, card)

		e.clicks("trig1", "UAGENT1", card.TS, "claim", conv)
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "UAGENT1") })
		e.waitCardAndThread("claimed this conversation")

		// Another agent's reply is kept as a note and they are told why.
		e.agentReplies("EvOther", card.TS, "1700000020.000100", "UAGENT2", "I can help!")
		eph := waitEphemeral(t, e, "UAGENT2")
		require.Contains(t, eph.Text, "<@UAGENT1>")
		require.Equal(t, card.TS, eph.ThreadTS, "told in the thread")
		e.slack.WaitForReactions(t, hasReaction("1700000020.000100", "memo"), waitLong)

		// A second claim is refused privately.
		e.clicks("trig2", "UAGENT2", card.TS, "claim", conv)
		waitEphemeralCount(t, e, "UAGENT2", 2)

		// The holder's reply goes out; the other one never did.
		e.agentReplies("EvHolder", card.TS, "1700000021.000100", "UAGENT1", "Here you go")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Here you go", sends[0].Text)

		// !unclaim by the holder frees it; then UAGENT2 may answer.
		e.agentReplies("EvUnclaim", card.TS, "1700000022.000100", "UAGENT1", "!unclaim")
		e.waitCardAndThread("released this conversation")
		e.agentReplies("EvSecond", card.TS, "1700000023.000100", "UAGENT2", "Now me")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Now me", sends[1].Text)
		require.Len(t, sends, 2)
	})
}

func TestResolvedConversationStartsAnewWithHistoryLink(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withReopenWindow("0s"))
		e.customerWrites("34612345678", "Ana", "wamid.r1", time.Now(), "First question")
		first := e.waitCardAndThread("First question")
		e.clicks("trigR", "UAGENT1", first.TS, "resolve", conversationID(t, first))
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "sb:reopen") })

		e.customerWrites("34612345678", "Ana", "wamid.r2", time.Now(), "Another thing")
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			cs := cards(p)
			return len(cs) == 2 && containsText(inThread(p, cs[1].TS), "Another thing") == 1
		}, waitLong)
		second := cards(posts)[1]
		require.NotEqual(t, first.TS, second.TS, "a new thread")
		require.Contains(t, string(second.Blocks), "p"+strings.ReplaceAll(first.TS, ".", ""), "the new card links the earlier thread")
		require.Zero(t, containsText(inThread(posts, first.TS), "Another thing"))
	})
}

func TestResolvedConversationReopensWithinWindow(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect) // default reopen window: 24h
		e.customerWrites("34612345678", "Ana", "wamid.o1", time.Now(), "First")
		card := e.waitCardAndThread("First")
		e.clicks("trigO", "UAGENT1", card.TS, "resolve", conversationID(t, card))
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "sb:reopen") })
		e.customerWrites("34612345678", "Ana", "wamid.o2", time.Now(), "One more thing")
		e.waitCardAndThread("One more thing", "open again")
		require.Len(t, cards(e.slack.Posts()), 1, "the same thread")
	})
}

func TestReplyOutsideWindowIsNotSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.old", time.Now().Add(-25*time.Hour), "Yesterday's question")
		card := e.waitCardAndThread("Yesterday's question")
		e.agentReplies("EvLate", card.TS, "1700000030.000100", "UAGENT1", "Sorry for the wait")
		e.waitCardAndThread("24 hours", "template")
		e.slack.WaitForReactions(t, hasReaction("1700000030.000100", "x"), waitLong)
		require.Empty(t, e.wa.Sends())
	})
}

func TestPermanentGraphErrorIsExplainedOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.p1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.wa.FailNext(1, 400, 131026, "")
		e.agentReplies("EvPerm", card.TS, "1700000040.000100", "UAGENT1", "Will fail")
		e.waitCardAndThread("could not deliver it to this number", "<@UAGENT1>")
		e.slack.WaitForReactions(t, hasReaction("1700000040.000100", "x"), waitLong)
		// The next reply goes through: no retry of the failed one came first.
		e.agentReplies("EvPerm2", card.TS, "1700000041.000100", "UAGENT1", "Second try")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Second try", sends[0].Text)
		require.Len(t, e.wa.Sends(), 1)
	})
}

func TestSlackRateLimitIsHonoured(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.slack.FailNext("chat.postMessage", 1, slacktest.RateLimited(time.Second))
		start := time.Now()
		e.customerWrites("34612345678", "Ana", "wamid.rl", time.Now(), "Rate limited")
		e.waitCardAndThread("Rate limited")
		require.GreaterOrEqual(t, time.Since(start), time.Second, "waited for Retry-After")
		require.Equal(t, 3, e.slack.Calls("chat.postMessage"), "one 429, then the card and the message")
		require.Len(t, cards(e.slack.Posts()), 1)
	})
}

func hasReaction(ts, name string) func([]slacktest.Reaction) bool {
	return func(rs []slacktest.Reaction) bool {
		for _, r := range rs {
			if r.Timestamp == ts && r.Name == name {
				return true
			}
		}
		return false
	}
}

func anyContains(msgs []slacktest.Message, sub string) bool {
	for _, m := range msgs {
		if strings.Contains(blocksText(m), sub) || strings.Contains(m.Text, sub) {
			return true
		}
	}
	return false
}

// waitUpdates polls the card updates with a deadline.
func waitUpdates(t *testing.T, e *env, pred func([]slacktest.Message) bool) []slacktest.Message {
	t.Helper()
	var got []slacktest.Message
	require.Eventually(t, func() bool { got = e.slack.Updates(); return pred(got) }, waitLong, 5*time.Millisecond)
	return got
}

func waitEphemeral(t *testing.T, e *env, user string) slacktest.Message {
	t.Helper()
	return waitEphemeralCount(t, e, user, 1)[0]
}

func waitEphemeralCount(t *testing.T, e *env, user string, n int) []slacktest.Message {
	t.Helper()
	var mine []slacktest.Message
	require.Eventually(t, func() bool {
		mine = mine[:0]
		for _, m := range e.slack.Ephemerals() {
			if m.User == user {
				mine = append(mine, m)
			}
		}
		return len(mine) >= n
	}, waitLong, 5*time.Millisecond)
	return mine
}

// A failure Meta reports later (a failed status webhook) is explained in
// the thread and marked on the agent's message.
func TestFailedStatusIsExplainedInTheThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.s1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvStatus", card.TS, "1700000060.000100", "UAGENT1", "Answer")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		e.slack.WaitForReactions(t, hasReaction("1700000060.000100", "outbox_tray"), waitLong)
		resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret,
			whatsapptest.StatusUpdate(phoneID, sends[0].WAMID, "failed", time.Now(), 131047))
		require.Equal(t, 200, resp.StatusCode)
		e.waitCardAndThread("24 hours", "<@UAGENT1>")
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction("1700000060.000100", "x")(rs) && !hasReaction("1700000060.000100", "outbox_tray")(rs)
		}, waitLong)
	})
}
