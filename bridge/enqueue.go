package bridge

import (
	"context"
	"encoding/json"
	"time"
)

// Payloads of deliveries, stored as JSON with the delivery row.

type systemPayload struct {
	Text string `json:"text"`
}

type markPayload struct {
	Key      string `json:"key"`
	Previous Mark   `json:"previous,omitempty"`
	Mark     Mark   `json:"mark"`
}

type tellPayload struct {
	UserID   string `json:"user_id"`
	Text     string `json:"text"`
	ThreadID int64  `json:"thread_id,omitempty"` // a thread other than the current one
	// Handle is the adapter's reply handle for UserID (see
	// AgentMessage.ReplyHandle), when the tell answers that user's event.
	Handle string `json:"handle,omitempty"`
	// Actions are buttons shown with the text (a preview's Send).
	Actions []PrivateAction `json:"actions,omitempty"`
}

type replyPayload struct {
	File *AgentFile `json:"file,omitempty"`
	// Posted: the reply has no message of its own in the thread (a canned
	// response sent from its preview); the bridge posts it there
	// (DeliverPostSent), and its marks go on that post once it is made.
	Posted bool `json:"posted,omitempty"`
	// AgentLine is the agent's name line shown above the reply's first
	// part (identity.go), fixed when the reply is stored.
	AgentLine string `json:"agent_line,omitempty"`
	// Quote is the wamid the reply answers (context.message_id), kept
	// with the delivery so a retry quotes it too.
	Quote string `json:"quote,omitempty"`
	// Corrects is the reply this one corrects (an agent edited it after
	// it was sent, agentedit.go): it goes out quoting that reply.
	Corrects MessageID `json:"corrects,omitempty"`
	// Automated: an AI draft sent unedited; it goes only inside the
	// standard window, never with the human-agent mark (agentwindow.go).
	Automated bool `json:"automated,omitempty"`
	// Echo: not a reply but a message the business sent from outside
	// switchboard (echoes.go); never sent to the customer.
	Echo bool `json:"echo,omitempty"`
}

// decodeReply reads a send_reply delivery's payload.
func decodeReply(raw json.RawMessage) (replyPayload, error) {
	var p replyPayload
	if len(raw) == 0 {
		return p, nil
	}
	err := json.Unmarshal(raw, &p)
	return p, err
}

// postedByBridge reports whether m is a message the bridge posts in the
// thread itself, as what was sent (a template, a canned response sent
// from its preview): that post records m's key from the workspace lane
// while its send and receipts update m from others, so those writers take
// turns on the conversation (LockConversation) and the post, once made,
// marks the status m reached meanwhile (postedKey).
func postedByBridge(m Message) bool {
	return m.Kind == KindTemplate || (m.Direction == Outbound && postedPayload(m.Payload))
}

// postedPayload reports whether a reply's payload says the bridge posts it.
func postedPayload(raw json.RawMessage) bool {
	var p replyPayload
	return len(raw) > 0 && json.Unmarshal(raw, &p) == nil && p.Posted
}

// cardPayload targets the card of a thread other than the current one
// (the thread a transfer left), shown as transferred.
type cardPayload struct {
	ThreadID      int64  `json:"thread_id"`
	TransferredTo string `json:"transferred_to"`
}

// closePayload closes a thread the conversation left (a transfer to
// another team): a closing line linking the new thread, and its card.
type closePayload struct {
	ThreadID int64  `json:"thread_id"`
	Team     string `json:"team"`
}

type markReadPayload struct {
	ExternalID string `json:"external_id"`
	// Typing shows WhatsApp's typing indicator with the read (readreceipts.go).
	Typing bool `json:"typing,omitempty"`
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs are marshalled here
	}
	return b
}

func (b *Bridge) enqueueWorkspace(ctx context.Context, tx Tx, conv ConversationID, kind DeliveryKind, payload any, now time.Time) error {
	d := Delivery{ConversationID: conv, Lane: WorkspaceLane(conv), Kind: kind, CreatedAt: now}
	if payload != nil {
		d.Payload = mustJSON(payload)
	}
	_, err := tx.Enqueue(ctx, d)
	return err
}

// enqueueSystem posts text in the conversation's thread, as the bridge.
func (b *Bridge) enqueueSystem(ctx context.Context, tx Tx, conv ConversationID, text string, now time.Time) error {
	return b.enqueueWorkspace(ctx, tx, conv, DeliverPostSystem, systemPayload{Text: text}, now)
}

// enqueueCard refreshes the status card from the conversation's state at
// the time the delivery runs.
func (b *Bridge) enqueueCard(ctx context.Context, tx Tx, conv ConversationID, now time.Time) error {
	return b.enqueueWorkspace(ctx, tx, conv, DeliverUpdateCard, nil, now)
}

// enqueueMark shows a receipt or note sign on an agent's message.
func (b *Bridge) enqueueMark(ctx context.Context, tx Tx, msg Message, previous, mark Mark, now time.Time) error {
	if msg.WorkspaceKey == "" || mark == previous {
		return nil
	}
	return b.enqueueWorkspace(ctx, tx, msg.ConversationID, DeliverSetMark,
		markPayload{Key: msg.WorkspaceKey, Previous: previous, Mark: mark}, now)
}

// enqueueTell answers one agent privately.
func (b *Bridge) enqueueTell(ctx context.Context, tx Tx, conv ConversationID, userID, text string, now time.Time) error {
	text = inAuthorLanguage(ctx, userID, text) // author_language.go
	return b.enqueueWorkspace(ctx, tx, conv, DeliverTell, tellPayload{UserID: userID, Text: text, Handle: replyHandleFor(ctx, userID)}, now)
}

// enqueueTellWith answers one agent privately with buttons (a preview's
// Send, a template picker).
func (b *Bridge) enqueueTellWith(ctx context.Context, tx Tx, conv ConversationID, userID, text string, actions []PrivateAction, now time.Time) error {
	for i := range actions {
		actions[i].Conversation = conv
	}
	text = inAuthorLanguage(ctx, userID, text) // author_language.go
	return b.enqueueWorkspace(ctx, tx, conv, DeliverTell,
		tellPayload{UserID: userID, Text: text, Handle: replyHandleFor(ctx, userID), Actions: actions}, now)
}

// enqueueTellIn answers one agent privately in a given (not current) thread.
func (b *Bridge) enqueueTellIn(ctx context.Context, tx Tx, conv ConversationID, threadID int64, userID, text string, now time.Time) error {
	text = inAuthorLanguage(ctx, userID, text) // author_language.go
	return b.enqueueWorkspace(ctx, tx, conv, DeliverTell,
		tellPayload{UserID: userID, Text: text, ThreadID: threadID, Handle: replyHandleFor(ctx, userID)}, now)
}

// replyHandleKey carries the reply handle of the event being handled
// through the context, from HandleAgentMessage and HandleAgentAction down
// to enqueueTell: the many paths that tell an agent something need no
// extra parameter, and a tell to anyone else than the event's author (the
// agent a supervisor took over from) never gets the author's handle.
type replyHandleKey struct{}

type replyHandle struct{ user, handle string }

// withReplyHandle returns ctx carrying user's handle, if any.
func withReplyHandle(ctx context.Context, user, handle string) context.Context {
	if handle == "" {
		return ctx
	}
	return context.WithValue(ctx, replyHandleKey{}, replyHandle{user: user, handle: handle})
}

// replyHandleFor returns the handle ctx carries for user, or "".
func replyHandleFor(ctx context.Context, user string) string {
	if h, ok := ctx.Value(replyHandleKey{}).(replyHandle); ok && h.user == user {
		return h.handle
	}
	return ""
}
