package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func TestSupervisionRepositories(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2025, 3, 24, 0, 0, 0, 0, time.UTC)
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			store := storage.NewStore(db, nil)
			inTx := func(fn func(tx bridge.Tx)) {
				t.Helper()
				require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error { fn(tx); return nil }))
			}

			t.Run("a conversation is surveyed once, answered once, commented once", func(t *testing.T) {
				inTx(func(tx bridge.Tx) {
					created, err := tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: 7, Team: "support", Agent: "U1", SentAt: day.Add(9 * time.Hour)})
					require.NoError(t, err)
					require.True(t, created)
					created, err = tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: 7, Team: "support", SentAt: day.Add(10 * time.Hour)})
					require.NoError(t, err)
					require.False(t, created, "resolved again: no second survey")

					ok, err := tx.CommentCSAT(ctx, 7, "too early", day.Add(9*time.Hour))
					require.NoError(t, err)
					require.False(t, ok, "no comment before an answer")
					ok, err = tx.AnswerCSAT(ctx, 7, bridge.CSATGood, day.Add(9*time.Hour+time.Minute))
					require.NoError(t, err)
					require.True(t, ok)
					ok, err = tx.AnswerCSAT(ctx, 7, bridge.CSATBad, day.Add(9*time.Hour+2*time.Minute))
					require.NoError(t, err)
					require.False(t, ok, "the first answer stays")
					ok, err = tx.CommentCSAT(ctx, 7, "quick and kind", day.Add(9*time.Hour+3*time.Minute))
					require.NoError(t, err)
					require.True(t, ok)
					ok, err = tx.CommentCSAT(ctx, 7, "again", day.Add(9*time.Hour+4*time.Minute))
					require.NoError(t, err)
					require.False(t, ok)

					s, err := tx.GetCSAT(ctx, 7)
					require.NoError(t, err)
					require.Equal(t, bridge.CSAT{ConversationID: 7, Team: "support", Agent: "U1", SentAt: day.Add(9 * time.Hour),
						AnsweredAt: day.Add(9*time.Hour + time.Minute), Score: bridge.CSATGood, Comment: "quick and kind",
						CommentAt: day.Add(9*time.Hour + 3*time.Minute)}, s)
					_, err = tx.GetCSAT(ctx, 8)
					require.ErrorIs(t, err, bridge.ErrNotFound)
				})
			})

			t.Run("surveys of the period are report facts", func(t *testing.T) {
				inTx(func(tx bridge.Tx) {
					_, err := tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: 9, Team: "sales", Agent: "U3", SentAt: day.Add(11 * time.Hour)})
					require.NoError(t, err)
					_, err = tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: 10, Team: "support", SentAt: day.Add(-time.Hour)})
					require.NoError(t, err)
				})
				facts, err := db.LoadReportFacts(ctx, day, day.Add(24*time.Hour), "support")
				require.NoError(t, err)
				require.Len(t, facts.CSAT, 1, "another team's and the day before's are left out")
				require.Equal(t, bridge.ConversationID(7), facts.CSAT[0].ConversationID)
				require.Equal(t, bridge.CSATGood, facts.CSAT[0].Score)
				require.Equal(t, "U1", facts.CSAT[0].Agent)
				facts, err = db.LoadReportFacts(ctx, day, day.Add(24*time.Hour), "")
				require.NoError(t, err)
				require.Len(t, facts.CSAT, 2)
			})

			t.Run("an SLA alert is recorded once per run of a clock", func(t *testing.T) {
				a := bridge.SLAAlert{ConversationID: 7, Clock: bridge.ClockFirstResponse, StartedAt: day, Level: bridge.SLAWarning, At: day.Add(time.Minute)}
				inTx(func(tx bridge.Tx) {
					fresh, err := tx.MarkSLAAlert(ctx, a)
					require.NoError(t, err)
					require.True(t, fresh)
					fresh, err = tx.MarkSLAAlert(ctx, a)
					require.NoError(t, err)
					require.False(t, fresh)
					a.StartedAt = day.Add(time.Hour) // the next wait
					fresh, err = tx.MarkSLAAlert(ctx, a)
					require.NoError(t, err)
					require.True(t, fresh)
				})
			})

			t.Run("a digest is claimed by one caller, retried after its lease, and not after it is sent", func(t *testing.T) {
				now := day.Add(9 * time.Hour)
				claim := func(at time.Time) (bool, int) {
					var (
						ok bool
						n  int
					)
					inTx(func(tx bridge.Tx) {
						var err error
						ok, n, err = tx.ClaimDigest(ctx, "support/daily/2025-03-24", "support", at, at.Add(5*time.Minute))
						require.NoError(t, err)
					})
					return ok, n
				}
				var wg sync.WaitGroup
				wins := make(chan bool, 8)
				for range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						// SQLite's single writer may be busy; only a clean
						// answer counts.
						var ok bool
						err := store.InTx(ctx, func(tx bridge.Tx) error {
							var err error
							ok, _, err = tx.ClaimDigest(ctx, "support/daily/2025-03-24", "support", now, now.Add(5*time.Minute))
							return err
						})
						wins <- err == nil && ok
					}()
				}
				wg.Wait()
				close(wins)
				won := 0
				for w := range wins {
					if w {
						won++
					}
				}
				require.Equal(t, 1, won, "one caller holds the digest")
				ok, _ := claim(now.Add(time.Minute))
				require.False(t, ok, "the lease still runs")
				ok, n := claim(now.Add(6 * time.Minute))
				require.True(t, ok, "the lease ended: someone may try again")
				require.Equal(t, 2, n)
				inTx(func(tx bridge.Tx) {
					require.NoError(t, tx.FinishDigest(ctx, "support/daily/2025-03-24", bridge.DigestSent, now))
				})
				ok, _ = claim(now.Add(time.Hour))
				require.False(t, ok, "a sent digest is never claimed again")
			})

			t.Run("the backlog counts open and unassigned conversations per team", func(t *testing.T) {
				inTx(func(tx bridge.Tx) {
					for i, c := range []struct{ team, assignee string }{{"support", ""}, {"support", "U1"}, {"sales", ""}} {
						contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(string(rune('a' + i))), CreatedAt: day})
						require.NoError(t, err)
						conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "in1", Team: c.team,
							State: bridge.StatePending, OpenedAt: day})
						require.NoError(t, err)
						if c.assignee != "" {
							conv.Assignee, conv.State = c.assignee, bridge.StateAssigned
							_, err = tx.UpdateConversation(ctx, conv)
							require.NoError(t, err)
						}
					}
				})
				got, err := db.Backlog(ctx)
				require.NoError(t, err)
				require.Equal(t, map[string]bridge.TeamBacklog{"support": {Open: 2, Unassigned: 1}, "sales": {Open: 1, Unassigned: 1}}, got)
			})
		})
	}
}
