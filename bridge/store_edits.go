package bridge

import (
	"context"
	"encoding/json"
	"time"
)

// DeliveryCancelled is the state of a delivery an agent's delete (or a
// customer's revoke) stopped before it ran: it never reached the platform.
// Stored: never rename.
const DeliveryCancelled DeliveryState = "cancelled"

// RevisionKind says what happened to a message after it was written.
type RevisionKind string

const (
	// RevisionEdited: an agent edited their message (Body is the text it
	// replaced) or a customer edited theirs (Body is the new text, Source
	// the edit message).
	RevisionEdited RevisionKind = "edited"
	// RevisionDeleted: the message was deleted (by the customer, or from
	// the thread by an agent).
	RevisionDeleted RevisionKind = "deleted"
)

// Revision is one change to a stored message, kept as its history.
type Revision struct {
	MessageID MessageID
	Kind      RevisionKind
	Body      string
	Source    MessageID // the message that carried the change, if any
	AuthorID  string
	At        time.Time
}

// EditsTx is the storage contract of edits and deletes (agentedit.go,
// customeredit.go).
type EditsTx interface {
	// ClaimDelivery marks a queued delivery as running, just before its
	// platform call; claimed is false when it is no longer queued (an
	// edit or delete cancelled it meanwhile). Only the lane's holder
	// calls it; every recorded outcome (UpdateDelivery) clears the claim.
	ClaimDelivery(ctx context.Context, id DeliveryID) (claimed bool, err error)
	// HoldPendingDelivery returns the queued, unclaimed delivery of kind
	// for message and keeps its job from claiming it until this
	// transaction ends; ErrNotFound when there is none (already run,
	// running now, or never queued). The conditional update it takes on
	// the row settles the race with ClaimDelivery: one of them wins.
	HoldPendingDelivery(ctx context.Context, msg MessageID, kind DeliveryKind) (Delivery, error)
	// CancelDelivery makes a queued, unclaimed delivery cancelled;
	// cancelled is false when it was claimed or finished first.
	CancelDelivery(ctx context.Context, id DeliveryID, reason string) (cancelled bool, err error)
	// MessagesByWorkspaceKey returns every message stored at a thread
	// message's key (a reply's text and each of its files), oldest first.
	MessagesByWorkspaceKey(ctx context.Context, conv ConversationID, key string) ([]Message, error)
	// SetMessagePosted records the thread key of a customer's message
	// once posted (status posted), leaving its text as it is now.
	SetMessagePosted(ctx context.Context, id MessageID, key string) error
	// AddRevision appends to a message's history.
	AddRevision(ctx context.Context, r Revision) error
	// Revisions returns a message's history, oldest first.
	Revisions(ctx context.Context, msg MessageID) ([]Revision, error)
	// EraseMessage forgets what a message said: its body becomes "", its
	// payload payload (the bridge's erased copy), and the bodies of its
	// revisions are emptied.
	EraseMessage(ctx context.Context, msg MessageID, payload json.RawMessage) error
}
