package app_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/storage"
)

// TestNoReplyFromANonHolderIsSentAfterATakeover races twenty replies of
// the holder against a supervisor's takeover, all through the signed
// Events API. Every reply that reaches the Graph fake must have been
// decided before the takeover: in the event log (whose ids follow the
// order in which transactions wrote the conversation) no "replied" of the
// previous holder comes after "taken_over", and every reply is sent, held
// as a note, or kept back when it was still queued at the takeover.
func TestNoReplyFromANonHolderIsSentAfterATakeover(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams("teams:\n  - name: support\n    slack_channel: "+channel+
			"\n    members: [UAGENT1]\n    supervisors: [USUPER1]\n"))
		e.customerWrites("34612345678", "Ana", "wamid.race1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		e.agentReplies("EvRace0", card.TS, "1700000400.000001", "UAGENT1", "first answer") // claims it
		e.wa.WaitForSends(t, 1, waitLong)

		const n = 20
		post := func(eventID, ts, user, text string) error {
			resp := slacktest.PostEvent(t, e.baseURL+"/slack/events", signingSecret,
				slacktest.ThreadReply(eventID, channel, card.TS, ts, user, text))
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s answered %d", eventID, resp.StatusCode)
			}
			return nil
		}
		errs := make(chan error, n+1)
		var wg sync.WaitGroup
		for i := range n {
			if i == n/2 {
				wg.Add(1)
				go func() { defer wg.Done(); errs <- post("EvTakeover", "1700000401.000001", "USUPER1", "!takeover") }()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- post(fmt.Sprintf("EvRace%d", i+1), fmt.Sprintf("1700000402.%06d", i), "UAGENT1", fmt.Sprintf("answer %d", i))
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}

		// Every reply ends sent (📤), held as a note (📝), or, when it was
		// written before the takeover but still queued after it, kept back
		// at sending time (❌, explained in the thread).
		sent, keptBack := 0, 0
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			sent, keptBack = 0, 0
			for i := range n {
				ts := fmt.Sprintf("1700000402.%06d", i)
				switch {
				case hasReaction(ts, "outbox_tray")(rs):
					sent++
				case hasReaction(ts, "x")(rs):
					keptBack++
				case !hasReaction(ts, "memo")(rs):
					return false
				}
			}
			return true
		}, waitLong)
		require.Len(t, e.wa.Sends(), 1+sent, "the Graph fake received exactly the replies marked sent")

		db, err := storage.Open(context.Background(), e.dbURL, 2)
		require.NoError(t, err)
		defer db.Close()
		var events []struct {
			ID    int64  `db:"id"`
			Kind  string `db:"kind"`
			Actor string `db:"actor"`
		}
		require.NoError(t, db.Select(&events, `SELECT id, kind, actor FROM events WHERE kind IN ('replied', 'taken_over') ORDER BY id`))
		takenOver, replied := int64(0), 0
		for _, ev := range events {
			switch {
			case ev.Kind == "taken_over":
				takenOver = ev.ID
			case ev.Actor == "UAGENT1":
				replied++
				require.Zero(t, takenOver, "reply event %d of the previous holder was written after the takeover (%d)", ev.ID, takenOver)
			}
		}
		require.NotZero(t, takenOver, "the supervisor took over")
		require.Equal(t, 1+sent+keptBack, replied, "one replied event per reply decided before the takeover")
		t.Logf("%s: %d of %d racing replies were sent before the takeover, %d kept back after it, %d held as notes",
			dialect, sent, n, keptBack, n-sent-keptBack)
	})
}

// TestQueuedReplyIsNotSentAfterATakeover: a reply still waiting in the
// queue (here the reply ordering window) when a supervisor takes the
// conversation over is kept back and explained, never sent.
func TestQueuedReplyIsNotSentAfterATakeover(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, append(twoTeams(""), withReplyOrderWindow(3*time.Second))...)
		e.customerWrites("34611111111", "Ana", "wamid.qt1", time.Now(), "hi")
		card := e.waitCardIn(channel, 1)
		e.clicks("trigQT", "U0AGENTA01", card.TS, "claim", conversationID(t, card))
		e.waitThreadText(card.TS, "<@U0AGENTA01> claimed")

		e.replyIn(channel, "EvQT1", card.TS, "1700000600.000100", "U0AGENTA01", "on my way")
		e.replyIn(channel, "EvQT2", card.TS, "1700000600.000200", "U0SUPERV01", "!takeover")
		e.waitThreadText(card.TS, "someone else took this conversation over before it went out")
		require.Empty(t, e.wa.Sends(), "the reply queued before the takeover was not sent")
	})
}
