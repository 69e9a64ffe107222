package bridge

import (
	"context"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// SuggestTx keeps the AI drafts shown to agents and the conversation
// summaries (assist_agent.go).
type SuggestTx interface {
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
