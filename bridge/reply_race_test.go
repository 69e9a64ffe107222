package bridge_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	storagetest.DropTemplate()
	os.Exit(code)
}

// hookStore runs a hook once, inside the next transaction that reads a
// conversation, right after the read: the moment a reply has decided
// from what it read and has not yet committed.
type hookStore struct {
	bridge.Store
	mu   sync.Mutex
	hook func()
}

func (h *hookStore) arm(fn func()) { h.mu.Lock(); h.hook = fn; h.mu.Unlock() }

func (h *hookStore) take() func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn := h.hook
	h.hook = nil
	return fn
}

func (h *hookStore) InTx(ctx context.Context, fn func(bridge.Tx) error) error {
	return h.Store.InTx(ctx, func(tx bridge.Tx) error { return fn(hookTx{Tx: tx, h: h}) })
}

type hookTx struct {
	bridge.Tx
	h *hookStore
}

func (t hookTx) GetConversation(ctx context.Context, id bridge.ConversationID) (bridge.Conversation, error) {
	c, err := t.Tx.GetConversation(ctx, id)
	if fn := t.h.take(); fn != nil {
		fn()
	}
	return c, err
}

func (t hookTx) LockConversation(ctx context.Context, id bridge.ConversationID) (bridge.Conversation, error) {
	c, err := t.Tx.LockConversation(ctx, id)
	if fn := t.h.take(); fn != nil {
		fn()
	}
	return c, err
}

// waitBlockedOrDone waits until done is closed or, on PostgreSQL, some
// session of this database waits for a row lock.
func waitBlockedOrDone(t *testing.T, db *storage.DB, done <-chan struct{}) (blocked bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return false
		default:
		}
		if db.Dialect == storage.Postgres {
			var n int
			require.NoError(t, db.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))
			if n > 0 {
				return true
			}
		}
		select {
		case <-done:
			return false
		case <-time.After(5 * time.Millisecond): // polling interval, not synchronisation
		}
	}
	t.Fatal("the racing operation neither finished nor waited for a lock")
	return false
}

// TestReplyRacingAClaimIsSettledByTheDatabase starts a claim (or a
// supervisor's takeover) between a reply's read of the conversation and
// its commit, and lets it run until it either commits or waits for a
// lock. If it committed in between, the reply must be held, not sent (the
// old code sent it: a plain read under READ COMMITTED). If it waited, the
// reply is sent and the claim lands after it. On PostgreSQL the reply's
// row lock makes the claim wait; SQLite serialises write transactions
// (one connection, BEGIN IMMEDIATE), so there the claim waits for the
// connection and can never commit in between.
func TestReplyRacingAClaimIsSettledByTheDatabase(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		for _, race := range []string{"claim", "takeover"} {
			t.Run(dialect+"/"+race, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				db := storagetest.Open(t, dialect)
				store := &hookStore{Store: storage.NewStore(db, nil)}
				b, err := bridge.New(store, nil, nil, bridge.Options{Teams: []bridge.Team{{Name: "support", ChannelID: "C1",
					Members: []string{"U1", "U2"}, Supervisors: []string{"S1"}}}})
				require.NoError(t, err)

				now := time.Now().UTC()
				var conv bridge.Conversation
				require.NoError(t, store.Store.InTx(ctx, func(tx bridge.Tx) error {
					c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", CreatedAt: now})
					require.NoError(t, err)
					state, assignee := bridge.StatePending, ""
					if race == "takeover" {
						state, assignee = bridge.StateAssigned, "U1"
					}
					// A first response already made: the reply itself has no
					// reason of its own to write the conversation.
					conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
						State: state, Assignee: assignee, OpenedAt: now, LastCustomerAt: now, FirstResponseAt: now})
					require.NoError(t, err)
					_, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: conv.ID, CreatedAt: now, Current: true,
						Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", CardKey: "T1"}})
					return err
				}))

				other := func() error {
					if race == "claim" {
						return b.HandleAgentAction(ctx, bridge.AgentAction{Workspace: bridge.WorkspaceSlack,
							ConversationID: conv.ID, Verb: bridge.VerbClaim, ActorID: "U2"})
					}
					return b.HandleAgentMessage(ctx, bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, ChannelID: "C1",
						ThreadKey: "T1", MessageKey: "2.0", AuthorID: "S1", Text: "!takeover"})
				}
				otherErr := make(chan error, 1)
				otherDone := make(chan struct{})
				committedBetween := false
				store.arm(func() {
					go func() { otherErr <- other(); close(otherDone) }()
					if dialect == storage.SQLite {
						return // the one connection is ours until we commit
					}
					committedBetween = !waitBlockedOrDone(t, db, otherDone)
				})
				err = b.HandleAgentMessage(ctx, bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, ChannelID: "C1",
					ThreadKey: "T1", MessageKey: "1.0", AuthorID: "U1", Text: "your refund is on its way"})
				require.NoError(t, err)
				select {
				case err := <-otherErr:
					require.NoError(t, err)
				case <-time.After(30 * time.Second):
					t.Fatal("the racing claim never finished")
				}

				var head bridge.Delivery
				var final bridge.Conversation
				var reply bridge.Message
				require.NoError(t, store.Store.InTx(ctx, func(tx bridge.Tx) error {
					var err error
					head, err = tx.LaneHead(ctx, bridge.CustomerLane(conv.ID))
					if err != nil && !errors.Is(err, bridge.ErrNotFound) {
						return err
					}
					if final, err = tx.GetConversation(ctx, conv.ID); err != nil {
						return err
					}
					reply, err = tx.MessageByWorkspaceKey(ctx, conv.ID, "1.0")
					return err
				}))
				holder := map[string]string{"claim": "U2", "takeover": "S1"}[race]
				require.Equal(t, holder, final.Assignee, "the %s happened", race)
				if !committedBetween {
					require.Equal(t, bridge.Outbound, reply.Direction,
						"the %s waited: the reply ran first, whole, and the %s after it", race, race)
					require.Equal(t, bridge.DeliverSendReply, head.Kind)
					return
				}
				require.Equal(t, bridge.Note, reply.Direction, "the reply is held as a note")
				require.Equal(t, bridge.StatusBlocked, reply.Status)
				require.Zero(t, head.ID, "nothing is queued for the customer")
			})
		}
	}
}
