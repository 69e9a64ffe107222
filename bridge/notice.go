package bridge

import (
	"context"
	"encoding/json"
	"time"
)

// Notices are posts for no conversation: a line top-level in a team's
// channel (a template paused by Meta, told to supervisors). They ride the
// same durable deliveries as everything else: written in the transaction
// of the fact that caused them, retried with backoff, run in order per
// channel (NoticeLane), surviving a crash. A delivery of kind
// DeliverPostNotice has ConversationID 0 and needs nothing but its payload.

// noticePayload is where a notice goes and what it says.
type noticePayload struct {
	Workspace WorkspaceKind `json:"workspace"`
	Channel   string        `json:"channel"`
	Text      string        `json:"text"`
}

// enqueueNotice posts text top-level in channel of workspace ws.
func (b *Bridge) enqueueNotice(ctx context.Context, tx Tx, ws WorkspaceKind, channel, text string, now time.Time) error {
	p := noticePayload{Workspace: ws, Channel: channel, Text: text}
	_, err := tx.Enqueue(ctx, Delivery{Lane: NoticeLane(ws, channel), Kind: DeliverPostNotice, Payload: mustJSON(p), CreatedAt: now})
	return err
}

// noticeWorkspace names the workspace of a notice delivery, for metrics.
func noticeWorkspace(d Delivery) WorkspaceKind {
	var p noticePayload
	_ = json.Unmarshal(d.Payload, &p)
	return p.Workspace
}

// postNotice runs a DeliverPostNotice delivery (called by execute).
func (b *Bridge) postNotice(ctx context.Context, d Delivery) (outcome, error) {
	var p noticePayload
	if err := decodePayload(d, &p); err != nil {
		return outcome{}, err
	}
	ws, ok := b.workspaces[p.Workspace]
	if !ok {
		return outcome{}, notConfigured(string(p.Workspace) + " workspace")
	}
	key, err := ws.Post(ctx, ThreadRef{Workspace: p.Workspace, ChannelID: p.Channel}, Post{Kind: PostSystem, Text: p.Text})
	return outcome{key: key}, err
}
