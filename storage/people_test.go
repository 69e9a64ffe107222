package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
	"github.com/switchboard/switchboard/storage"
)

// peopleFixture makes contacts (each a new person) on the given channel.
func newContact(t *testing.T, store *storage.Store, c bridge.Contact) bridge.Contact {
	t.Helper()
	var out bridge.Contact
	require.NoError(t, store.InTx(context.Background(), func(tx bridge.Tx) (err error) {
		out, err = tx.UpsertContact(context.Background(), c)
		return err
	}))
	require.NotZero(t, out.PersonID, "storage creates a person with each new contact")
	return out
}

// A person's name, labels, attributes, stage and notes are stored and
// read back; each change moves the version on.
func TestPeopleEdits(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		ana := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", Name: "Ana", CreatedAt: now})
		id := ana.PersonID
		var p contacts.Person
		do(func(tx bridge.Tx) (err error) { p, err = tx.PersonOfContact(ctx, ana.ID); return err })
		require.Equal(t, int64(id), p.ID)
		require.Equal(t, "Ana", p.DisplayName())
		require.Len(t, p.Identities, 1)
		require.Equal(t, "34600111222", p.Identities[0].Phone)
		v0 := p.Version

		do(func(tx bridge.Tx) error {
			require.NoError(t, tx.SetPersonName(ctx, id, "Ana María", now))
			added, err := tx.AddLabel(ctx, id, "vip", now)
			require.NoError(t, err)
			require.True(t, added)
			added, err = tx.AddLabel(ctx, id, "vip", now)
			require.NoError(t, err)
			require.False(t, added, "a label is there once")
			_, err = tx.AddLabel(ctx, id, "churn-risk", now)
			require.NoError(t, err)
			require.NoError(t, tx.SetAttribute(ctx, id, "plan", "gold", now))
			require.NoError(t, tx.SetAttribute(ctx, id, "plan", "platinum", now))
			require.NoError(t, tx.SetAttribute(ctx, id, "seats", "12", now))
			require.NoError(t, tx.SetStage(ctx, id, "qualified", now))
			_, err = tx.AddPersonNote(ctx, contacts.Note{PersonID: int64(id), Author: "U1", Body: "prefers calls", CreatedAt: now})
			require.NoError(t, err)
			_, err = tx.AddPersonNote(ctx, contacts.Note{PersonID: int64(id), Author: "U2", Body: "renews in March", CreatedAt: now})
			return err
		})
		do(func(tx bridge.Tx) (err error) { p, err = tx.GetPerson(ctx, id); return err })
		require.Equal(t, "Ana María", p.Name)
		require.Equal(t, []string{"churn-risk", "vip"}, p.Labels)
		require.Equal(t, map[string]string{"plan": "platinum", "seats": "12"}, p.Attributes)
		require.Equal(t, "qualified", p.Stage)
		require.Greater(t, p.Version, v0)

		do(func(tx bridge.Tx) error {
			removed, err := tx.RemoveLabel(ctx, id, "churn-risk", now)
			require.NoError(t, err)
			require.True(t, removed)
			removed, err = tx.RemoveLabel(ctx, id, "churn-risk", now)
			require.NoError(t, err)
			require.False(t, removed)
			cleared, err := tx.ClearAttribute(ctx, id, "seats", now)
			require.NoError(t, err)
			require.True(t, cleared)
			notes, err := tx.PersonNotes(ctx, id, 10)
			require.NoError(t, err)
			require.Len(t, notes, 2)
			require.Equal(t, "renews in March", notes[0].Body, "newest first")
			require.ErrorIs(t, tx.SetStage(ctx, 999999, "lead", now), bridge.ErrNotFound)
			_, err = tx.GetPerson(ctx, 999999)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			return nil
		})
		do(func(tx bridge.Tx) (err error) { p, err = tx.GetPerson(ctx, id); return err })
		require.Equal(t, []string{"vip"}, p.Labels)
		require.Equal(t, map[string]string{"plan": "platinum"}, p.Attributes)

		t.Run("people are found by phone, e-mail, label and name", func(t *testing.T) {
			other := newContact(t, store, bridge.Contact{Channel: "email", Address: "Bob@Example.com", Email: "Bob@Example.com", Name: "Bob 100%", CreatedAt: now})
			for _, tc := range []struct {
				q    string
				want []bridge.PersonID
			}{
				{"+34 600 111 222", []bridge.PersonID{id}},
				{"bob@example.COM", []bridge.PersonID{other.PersonID}},
				{"label:VIP", []bridge.PersonID{id}},
				{"maría", []bridge.PersonID{id}},
				{"100%", []bridge.PersonID{other.PersonID}},
				{"b%b", nil}, // % is literal, not a wildcard
				{"nobody", nil},
			} {
				var got []contacts.Person
				do(func(tx bridge.Tx) (err error) {
					got, err = tx.FindPeople(ctx, contacts.ParseQuery(tc.q), 10)
					return err
				})
				var ids []bridge.PersonID
				for _, p := range got {
					ids = append(ids, bridge.PersonID(p.ID))
				}
				require.Equal(t, tc.want, ids, tc.q)
			}
		})
	})
}

// A merge moves identities, labels, attributes (the target's win), notes
// and conversations; the merged person is no candidate any more.
func TestMergePeople(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		do := func(fn func(tx bridge.Tx) error) { t.Helper(); require.NoError(t, store.InTx(ctx, fn)) }
		wa := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", Name: "María", CreatedAt: now})
		ig := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: "34600111222-2", Phone: "34600111222", CreatedAt: now})
		stranger := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: "34699999999", Phone: "34699999999", CreatedAt: now})
		into, from := ig.PersonID, wa.PersonID
		var waConv bridge.Conversation
		do(func(tx bridge.Tx) (err error) {
			waConv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: wa.ID, Inbox: "wa", Team: "support", State: bridge.StateResolved, OpenedAt: now})
			if err != nil {
				return err
			}
			th, err := tx.CreateThread(ctx, bridge.Thread{ConversationID: waConv.ID, Current: true, CreatedAt: now,
				Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "111.222"}})
			_ = th
			if err != nil {
				return err
			}
			_, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: ig.ID, Inbox: "wa2", Team: "support", State: bridge.StatePending, OpenedAt: now.Add(time.Hour)})
			return err
		})
		do(func(tx bridge.Tx) error {
			_, _ = tx.AddLabel(ctx, from, "vip", now)
			_, _ = tx.AddLabel(ctx, into, "new", now)
			require.NoError(t, tx.SetAttribute(ctx, from, "plan", "gold", now))
			require.NoError(t, tx.SetAttribute(ctx, from, "city", "Madrid", now))
			require.NoError(t, tx.SetAttribute(ctx, into, "plan", "free", now))
			require.NoError(t, tx.SetStage(ctx, from, "customer", now))
			_, err := tx.AddPersonNote(ctx, contacts.Note{PersonID: int64(from), Author: "U1", Body: "vip since 2020", CreatedAt: now})
			return err
		})
		var cands []contacts.Person
		do(func(tx bridge.Tx) (err error) { cands, err = tx.MergeCandidates(ctx, into); return err })
		require.Len(t, cands, 1, "same phone, and not the stranger")
		require.Equal(t, int64(from), cands[0].ID)

		do(func(tx bridge.Tx) error { return tx.MergePeople(ctx, into, from, now) })
		var p, gone contacts.Person
		var convs []bridge.PersonConversation
		var notes []contacts.Note
		do(func(tx bridge.Tx) (err error) {
			if p, err = tx.GetPerson(ctx, into); err != nil {
				return err
			}
			if gone, err = tx.GetPerson(ctx, from); err != nil {
				return err
			}
			if cands, err = tx.MergeCandidates(ctx, into); err != nil {
				return err
			}
			if notes, err = tx.PersonNotes(ctx, into, 5); err != nil {
				return err
			}
			convs, err = tx.PersonConversations(ctx, into, 10)
			return err
		})
		require.Len(t, p.Identities, 2)
		require.Equal(t, "María", p.DisplayName(), "the profile name of the moved identity shows")
		require.Equal(t, []string{"new", "vip"}, p.Labels)
		require.Equal(t, map[string]string{"plan": "free", "city": "Madrid"}, p.Attributes, "the target's values win")
		require.Equal(t, "customer", p.Stage, "the stage is inherited when the target has none")
		require.Len(t, notes, 1)
		require.Equal(t, int64(into), gone.MergedInto)
		require.Empty(t, gone.Identities)
		require.Empty(t, cands, "nobody else shares the phone now")
		require.Len(t, convs, 2, "conversations on both identities")
		require.Equal(t, waConv.ID, convs[1].Conversation.ID, "newest first")
		require.Equal(t, "111.222", convs[1].Thread.ThreadKey, "with the thread to link")

		err := store.InTx(ctx, func(tx bridge.Tx) error { return tx.MergePeople(ctx, stranger.PersonID, from, now) })
		require.ErrorIs(t, err, bridge.ErrMergeRefused, "a merged person cannot be merged again")
		err = store.InTx(ctx, func(tx bridge.Tx) error { return tx.MergePeople(ctx, into, into, now) })
		require.ErrorIs(t, err, bridge.ErrMergeRefused)
	})
}

// Two agents merging the same pair in opposite directions at once: the
// database lets exactly one win, and nobody is left merged into someone
// merged.
func TestConcurrentMerges(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(1_750_000_000_000).UTC()
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		for round := range 5 {
			a := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(fmt.Sprintf("3460000%d1", round)), CreatedAt: now})
			b := newContact(t, store, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(fmt.Sprintf("3460000%d2", round)), CreatedAt: now})
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range [][2]bridge.PersonID{{a.PersonID, b.PersonID}, {b.PersonID, a.PersonID}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = store.InTx(ctx, func(tx bridge.Tx) error { return tx.MergePeople(ctx, pair[0], pair[1], now) })
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else {
					require.ErrorIs(t, err, bridge.ErrMergeRefused)
				}
			}
			require.Equal(t, 1, ok, "exactly one merge wins")
			var pa, pb contacts.Person
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) (err error) {
				if pa, err = tx.GetPerson(ctx, a.PersonID); err != nil {
					return err
				}
				pb, err = tx.GetPerson(ctx, b.PersonID)
				return err
			}))
			require.True(t, (pa.MergedInto == 0) != (pb.MergedInto == 0), "one survives")
			require.Len(t, append(pa.Identities, pb.Identities...), 2)
		}
	})
}
