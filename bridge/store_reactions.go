package bridge

import (
	"context"
	"time"
)

// ReactionSide says whose reaction a stored reaction is.
type ReactionSide string

const (
	// ReactionCustomer is the customer's reaction to a message, mirrored
	// in the thread by our bot.
	ReactionCustomer ReactionSide = "customer"
	// ReactionAgent is the business's reaction to a customer's message on
	// WhatsApp, chosen by an agent in the thread.
	ReactionAgent ReactionSide = "agent"
)

// StoredReaction is the reaction one side currently shows on a message.
// WhatsApp keeps one reaction per message per sender and says nothing of
// the old one when it changes or goes, so the bridge remembers it.
type StoredReaction struct {
	MessageID MessageID
	Side      ReactionSide
	Emoji     string
	UserID    string // the agent who chose it (agent side)
	At        time.Time
}

// ReactionTx is the storage contract of reactions (agentreaction.go,
// reactions on both sides).
type ReactionTx interface {
	// CurrentReaction is the reaction side shows on message now;
	// ErrNotFound when none.
	CurrentReaction(ctx context.Context, message MessageID, side ReactionSide) (StoredReaction, error)
	// SetReaction records r as its side's current reaction on its
	// message, replacing any; an empty Emoji forgets it.
	SetReaction(ctx context.Context, r StoredReaction) error
	// MessageInThread finds a message by its workspace key among the
	// messages of the conversations whose threads (current or not) are in
	// channelID, or, when threadKey is set, at that thread. Used when the
	// platform names a message without its thread (Slack's reaction
	// events). ErrNotFound when none.
	MessageInThread(ctx context.Context, workspace WorkspaceKind, channelID, threadKey, key string) (Message, error)
}
