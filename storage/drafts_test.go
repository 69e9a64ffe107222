package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/storage"
)

// A draft keeps its text and citations, moves out of shown exactly once
// (a second Send finds it moved), and a conversation's newest summary is
// the one read back.
func TestDraftsMoveOnceAndSummariesKeepTheNewest(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		var id, other bridge.DraftID
		do(func(tx bridge.Tx) error {
			var err error
			id, err = tx.InsertDraft(ctx, bridge.Draft{ConversationID: 7, UserID: "U1", Text: "Hola Ana, tu reembolso…", Language: "es",
				Sources: []knowledge.Passage{{ChunkID: 3, Source: "refunds.md", Heading: "Plazos", Text: "not kept"}}, At: at})
			require.NoError(t, err)
			other, err = tx.InsertDraft(ctx, bridge.Draft{ConversationID: 7, UserID: "U2", Text: "Hi", At: at})
			require.NoError(t, err)
			require.NotEqual(t, id, other)
			return nil
		})
		do(func(tx bridge.Tx) error {
			d, err := tx.GetDraft(ctx, id)
			require.NoError(t, err)
			require.Equal(t, bridge.Draft{ID: id, ConversationID: 7, UserID: "U1", Text: "Hola Ana, tu reembolso…", Language: "es",
				Sources: []knowledge.Passage{{ChunkID: 3, Source: "refunds.md", Heading: "Plazos"}}, State: bridge.DraftShown, At: at}, d,
				"the citation is kept, the passage's text is not")
			moved, err := tx.MoveDraft(ctx, id, bridge.DraftShown, bridge.DraftSent, at)
			require.NoError(t, err)
			require.True(t, moved)
			moved, err = tx.MoveDraft(ctx, id, bridge.DraftShown, bridge.DraftEdited, at)
			require.NoError(t, err)
			require.False(t, moved, "a draft is sent at most once")
			_, err = tx.GetDraft(ctx, 999_999)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			return nil
		})
		do(func(tx bridge.Tx) error {
			d, err := tx.GetDraft(ctx, id)
			require.NoError(t, err)
			require.Equal(t, bridge.DraftSent, d.State)
			d, err = tx.GetDraft(ctx, other)
			require.NoError(t, err)
			require.Equal(t, bridge.DraftShown, d.State, "per draft")
			require.Empty(t, d.Sources)

			_, err = tx.LatestSummary(ctx, 7)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			require.NoError(t, tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: 7, Reason: bridge.SummaryTransfer, Text: "first", At: at}))
			require.NoError(t, tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: 7, Reason: bridge.SummaryResolve, Text: "last", At: at.Add(time.Minute)}))
			require.NoError(t, tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: 8, Reason: bridge.SummaryManual, Text: "other", At: at}))
			s, err := tx.LatestSummary(ctx, 7)
			require.NoError(t, err)
			require.Equal(t, bridge.ConversationSummary{ConversationID: 7, Reason: bridge.SummaryResolve, Text: "last", At: at.Add(time.Minute)}, s)
			return nil
		})
	})
}

// ForgetAIText erases one conversation's summaries and drafts' texts (a
// shown draft becomes discarded, a sent one stays sent), and nothing of
// another conversation.
func TestForgetAIText(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			shown, err := tx.InsertDraft(ctx, bridge.Draft{ConversationID: 7, UserID: "U1", Text: "your card 4111", At: at})
			require.NoError(t, err)
			sent, err := tx.InsertDraft(ctx, bridge.Draft{ConversationID: 7, UserID: "U1", Text: "card 4111 noted", At: at})
			require.NoError(t, err)
			_, err = tx.MoveDraft(ctx, sent, bridge.DraftShown, bridge.DraftSent, at)
			require.NoError(t, err)
			kept, err := tx.InsertDraft(ctx, bridge.Draft{ConversationID: 8, UserID: "U1", Text: "other", At: at})
			require.NoError(t, err)
			require.NoError(t, tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: 7, Reason: bridge.SummaryManual, Text: "card 4111", At: at}))
			require.NoError(t, tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: 8, Reason: bridge.SummaryManual, Text: "other", At: at}))

			require.NoError(t, tx.ForgetAIText(ctx, 7, at.Add(time.Minute)))
			_, err = tx.LatestSummary(ctx, 7)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			s, err := tx.LatestSummary(ctx, 8)
			require.NoError(t, err)
			require.Equal(t, "other", s.Text)
			for id, want := range map[bridge.DraftID]bridge.DraftState{shown: bridge.DraftDiscarded, sent: bridge.DraftSent} {
				d, err := tx.GetDraft(ctx, id)
				require.NoError(t, err)
				require.Empty(t, d.Text)
				require.Equal(t, want, d.State)
			}
			d, err := tx.GetDraft(ctx, kept)
			require.NoError(t, err)
			require.Equal(t, "other", d.Text)
			require.Equal(t, bridge.DraftShown, d.State)
			return nil
		}))
	})
}

// CustomerDeletedSince finds a customer's deletion of one of the
// conversation's messages by when the revoke was stored: not one stored
// before since, not an agent's message deleted, not another
// conversation's.
func TestCustomerDeletedSince(t *testing.T) {
	ctx := context.Background()
	at := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000001")
		other, _ := openConversation(t, store, "34600000002")
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			deletes := func(c bridge.ConversationID, dir bridge.Direction, ext string, storedAt time.Time) {
				orig, _, err := tx.InsertMessage(ctx, bridge.Message{ConversationID: c, Direction: dir, Kind: bridge.KindText, Body: "card 4111",
					ExternalID: ext, SentAt: at, CreatedAt: at, Status: bridge.StatusReceived})
				require.NoError(t, err)
				revoke, _, err := tx.InsertMessage(ctx, bridge.Message{ConversationID: c, Direction: bridge.Inbound, Kind: bridge.KindRevoke,
					ExternalID: "del." + ext, SentAt: at, CreatedAt: storedAt, Status: bridge.StatusReceived})
				require.NoError(t, err)
				require.NoError(t, tx.AddRevision(ctx, bridge.Revision{MessageID: orig, Kind: bridge.RevisionDeleted, Source: revoke, At: at}))
			}
			deletes(conv, bridge.Inbound, "w1", at)
			deletes(conv, bridge.Outbound, "w2", at.Add(time.Hour))
			deletes(other, bridge.Inbound, "w3", at.Add(time.Hour))
			for _, c := range []struct {
				since time.Time
				want  bool
			}{
				{at.Add(-time.Second), true},
				{at, true},
				{at.Add(time.Millisecond), false},
			} {
				got, err := tx.CustomerDeletedSince(ctx, conv, c.since)
				require.NoError(t, err)
				require.Equal(t, c.want, got, "since %s", c.since)
			}
			return nil
		}))
	})
}
