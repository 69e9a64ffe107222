package bridge

import (
	"context"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// DraftID identifies a stored AI draft reply.
type DraftID int64

// DraftState is how far a draft got. Stored: never rename one.
type DraftState string

const (
	DraftShown     DraftState = "shown"     // shown privately to its agent
	DraftSent      DraftState = "sent"      // sent as it was drafted
	DraftEdited    DraftState = "edited"    // sent after the agent edited it
	DraftDiscarded DraftState = "discarded" // dropped by its agent
)

// Draft is a reply the assistant suggested to one agent (assist_agent.go).
type Draft struct {
	ID             DraftID
	ConversationID ConversationID
	// UserID is the agent it was made for: only they may send it.
	UserID   string
	Text     string
	Language string
	Sources  []knowledge.Passage
	State    DraftState
	At       time.Time
}

// ConversationSummary is an AI summary of a conversation, kept for history
// and for the next conversation's card.
type ConversationSummary struct {
	ConversationID ConversationID
	Reason         string // SummaryManual, SummaryTransfer, …
	Text           string
	At             time.Time
}

// SuggestTx keeps the AI drafts shown to agents and the conversation
// summaries (assist_agent.go).
type SuggestTx interface {
	// InsertDraft stores a draft (state shown) and returns its id.
	InsertDraft(ctx context.Context, d Draft) (DraftID, error)
	// GetDraft returns a draft; ErrNotFound when there is none.
	GetDraft(ctx context.Context, id DraftID) (Draft, error)
	// MoveDraft changes a draft's state from from to to, only if it is
	// still in from: moved is false otherwise (a double click, a retry, a
	// draft already sent or discarded). The conditional update settles
	// concurrent presses in the database.
	MoveDraft(ctx context.Context, id DraftID, from, to DraftState, at time.Time) (moved bool, err error)
	// AddSummary stores a summary of a conversation.
	AddSummary(ctx context.Context, s ConversationSummary) error
	// LatestSummary returns the newest summary of a conversation;
	// ErrNotFound when it has none.
	LatestSummary(ctx context.Context, conv ConversationID) (ConversationSummary, error)
	// ForgetAIText erases what the assistant wrote about a conversation,
	// after the customer deleted a message it may quote
	// (customeredit.go): its summaries are deleted, its drafts' texts
	// blanked, and a draft still shown becomes discarded so that it
	// cannot be sent.
	ForgetAIText(ctx context.Context, conv ConversationID, at time.Time) error
	// CustomerDeletedSince reports whether a customer's deletion of one
	// of conv's messages was stored at or after since (the revoke's
	// stored time, not the customer's clock). agentAssistDone asks it to
	// drop a result its job may have read the deleted text for.
	CustomerDeletedSince(ctx context.Context, conv ConversationID, since time.Time) (bool, error)
}

// SessionState is where a first-line session stands. Stored: never rename.
type SessionState string

const (
	SessionActive     SessionState = "active"      // the assistant holds the conversation
	SessionHandedOver SessionState = "handed_over" // people have it (Reason says why)
	SessionResolved   SessionState = "resolved"    // resolved while the assistant held it
)

// FirstLineSession is the first-line assistant's part in one conversation.
type FirstLineSession struct {
	ConversationID ConversationID
	Team           string
	State          SessionState
	// Turns is how many answers the assistant sent.
	Turns     int
	Reason    assist.HandOverReason // why it ended, for SessionHandedOver
	StartedAt time.Time
	EndedAt   time.Time // zero while active
}

// FirstLineTx keeps the first-line assistant's state per conversation
// (assist_firstline.go). Callers hold the conversation's lock
// (LockConversation) while they read a session and change it.
type FirstLineTx interface {
	// StartSession records a new active session; a conversation has at
	// most one (a second start changes nothing).
	StartSession(ctx context.Context, s FirstLineSession) error
	// Session returns conv's session, ErrNotFound when the assistant
	// never held it.
	Session(ctx context.Context, conv ConversationID) (FirstLineSession, error)
	// SaveSession writes a session's state, turns, reason and end.
	SaveSession(ctx context.Context, s FirstLineSession) error
}
