package bridge_test

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

// sender is a customer channel whose SendText records the text and may
// run a hook first (while the send is "on the wire").
type sender struct {
	*recorder
	mu     sync.Mutex
	texts  []string
	onSend func()
}

func (s *sender) SendText(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress, text string, _ ...bridge.SendOption) (string, error) {
	s.mu.Lock()
	hook := s.onSend
	s.onSend = nil
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, text)
	return "wamid.sent", nil
}

// holdHookTx runs the store's hook right after an edit holds a queued
// delivery, before the edit commits.
type holdHookTx struct {
	bridge.Tx
	h *hookStore
}

func (t holdHookTx) HoldPendingDelivery(ctx context.Context, msg bridge.MessageID, kind bridge.DeliveryKind) (bridge.Delivery, error) {
	d, err := t.Tx.HoldPendingDelivery(ctx, msg, kind)
	if fn := t.h.take(); fn != nil {
		fn()
	}
	return d, err
}

type holdHookStore struct{ *hookStore }

func (h holdHookStore) InTx(ctx context.Context, fn func(bridge.Tx) error) error {
	return h.Store.InTx(ctx, func(tx bridge.Tx) error { return fn(holdHookTx{Tx: tx, h: h.hookStore}) })
}

// TestAgentEditRacingTheSendIsSettledByTheDatabase runs an agent's edit
// of a queued reply against the job sending it, in both orders, and
// checks that exactly one of "updated before the send" and "already sent"
// happens: the customer gets the text the outcome says, once.
//
//   - edit first: the edit holds the delivery row; the job, started at
//     that moment, waits for the edit's commit (PostgreSQL: a row lock;
//     SQLite: the one connection) and then sends the new text.
//   - send first: the job has claimed the delivery and is calling
//     WhatsApp when the edit arrives; the edit finds it claimed, the
//     thread is told the customer has the first version, which is sent.
func TestAgentEditRacingTheSendIsSettledByTheDatabase(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		for _, first := range []string{"edit", "send"} {
			t.Run(dialect+"/"+first+" first", func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				db := storagetest.Open(t, dialect)
				hooks := &hookStore{Store: storage.NewStore(db, nil)}
				store := holdHookStore{hooks}
				customer := &sender{recorder: &recorder{}}
				b, err := bridge.New(store, customer, []bridge.AgentWorkspace{customer.recorder}, bridge.Options{
					Teams: []bridge.Team{{Name: "support", ChannelID: "C1", Members: []string{"U1"}}}})
				require.NoError(t, err)

				now := time.Now().UTC()
				var conv bridge.Conversation
				require.NoError(t, hooks.Store.InTx(ctx, func(tx bridge.Tx) error {
					c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", CreatedAt: now})
					require.NoError(t, err)
					conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
						State: bridge.StateAssigned, Assignee: "U1", OpenedAt: now, LastCustomerAt: now, FirstResponseAt: now})
					require.NoError(t, err)
					_, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: conv.ID, CreatedAt: now, Current: true,
						Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T1", CardKey: "T1"}})
					return err
				}))
				require.NoError(t, b.HandleAgentMessage(ctx, bridge.AgentMessage{Workspace: bridge.WorkspaceSlack, ChannelID: "C1",
					ThreadKey: "T1", MessageKey: "1.0", AuthorID: "U1", Text: "see you at 5"}))
				var send bridge.Delivery
				require.NoError(t, hooks.Store.InTx(ctx, func(tx bridge.Tx) (err error) {
					send, err = tx.LaneHead(ctx, bridge.CustomerLane(conv.ID))
					return err
				}))
				require.Equal(t, bridge.DeliverSendReply, send.Kind)

				edit := func() error {
					return b.HandleAgentEdit(ctx, bridge.AgentEdit{Workspace: bridge.WorkspaceSlack, EventID: "EvEdit",
						ChannelID: "C1", ThreadKey: "T1", MessageKey: "1.0", AuthorID: "U1", Text: "see you at 6"})
				}
				run := func() error {
					done, _, err := b.RunDelivery(ctx, send.ID, "job-1")
					if err == nil && !done {
						_, _, err = b.RunDelivery(ctx, send.ID, "job-1")
					}
					return err
				}
				var want, outcome string
				switch first {
				case "edit":
					jobErr := make(chan error, 1)
					jobDone := make(chan struct{})
					hooks.arm(func() {
						go func() { jobErr <- run(); close(jobDone) }()
						if dialect == storage.Postgres {
							require.True(t, waitBlockedOrDone(t, db, jobDone), "the job waits for the edit's commit")
						}
					})
					require.NoError(t, edit())
					select {
					case err := <-jobErr:
						require.NoError(t, err)
					case <-time.After(30 * time.Second):
						t.Fatal("the send job never finished")
					}
					want, outcome = "see you at 6", "queued"
				case "send":
					editErr := make(chan error, 1)
					customer.onSend = func() { editErr <- edit() }
					require.NoError(t, run())
					require.NoError(t, <-editErr)
					want, outcome = "see you at 5", "sent"
				}
				require.Equal(t, []string{want}, customer.texts, "the customer gets one text, the one the outcome says")
				require.NoError(t, hooks.Store.InTx(ctx, func(tx bridge.Tx) error {
					ev, err := tx.LastEvent(ctx, conv.ID, bridge.EventAgentEdited)
					require.NoError(t, err)
					require.Equal(t, outcome, ev.Data)
					msg, err := tx.MessageByWorkspaceKey(ctx, conv.ID, "1.0")
					require.NoError(t, err)
					require.Equal(t, want, msg.Body, "the stored reply is what the customer has")
					require.Equal(t, bridge.StatusSent, msg.Status)
					return nil
				}))
			})
		}
	}
}
