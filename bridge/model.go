package bridge

import (
	"encoding/json"
	"time"
)

// State is where a conversation stands.
type State string

const (
	StatePending  State = "pending"  // waiting for an agent
	StateAssigned State = "assigned" // someone holds it
	StateResolved State = "resolved" // closed; the next customer message reopens or starts anew
)

// Contact is a customer's identity on one customer channel: the address
// the bridge sends to. A person (the CRM's contact, bridge/contacts) may
// have several, one per channel or number; PersonID says whose it is.
type Contact struct {
	ID      ContactID
	Channel string // a Channel: "whatsapp", "messenger", "instagram", "email"
	// Address is where the channel sends: the WhatsApp wa_id (or the BSUID
	// of a customer who shows only a username), the Messenger page-scoped
	// id (PSID), the Instagram-scoped id (IGSID), the e-mail address.
	Address CustomerAddress
	Name    string
	Phone   string // E.164 digits without "+", as WhatsApp gives wa_id
	// PersonID is the person this identity belongs to (people.id); every
	// contact has one (storage creates it with the contact).
	PersonID PersonID
	// UserID is WhatsApp's business-scoped user id (BSUID, "US.1349…"),
	// ParentUserID its parent BSUID across business portfolios ("US.ENT.…")
	// and Username the customer's WhatsApp username ("@maria"), when
	// WhatsApp gave them; empty on other channels.
	UserID       string
	ParentUserID string
	Username     string
	// Email is the customer's e-mail address (the address itself on the
	// e-mail channel).
	Email string
	// Language is the language the customer writes in ("es", "pt", "en";
	// "" when not known yet): templates and canned responses are offered
	// in it. Only SetContactLanguage changes it.
	Language  string
	CreatedAt time.Time
	// Created reports that UpsertContact has just created this identity
	// and its person, in the caller's transaction, so the caller can
	// record contact.created for the CRM webhook. Not stored: false on
	// every read.
	Created bool
}

// Conversation is one stretch of talk between a contact and the business.
type Conversation struct {
	ID        ConversationID
	ContactID ContactID
	Inbox     InboxID
	// Channel is the inbox's channel when the conversation started; its
	// rules (window, templates) apply to every send (channels.go).
	Channel  Channel
	Team     string
	State    State
	Assignee string // workspace user id; empty when nobody holds it
	// Version increases on every update; updates are conditional on it so
	// two replicas (or two agents clicking Claim) cannot both win.
	Version         int64
	OpenedAt        time.Time
	LastCustomerAt  time.Time // opens WhatsApp's 24-hour window
	FirstResponseAt time.Time // zero until an agent first replies
	ResolvedAt      time.Time // zero unless resolved
	PreviousID      ConversationID
}

// Thread is where a conversation lives in a workspace. Ref.ThreadKey is
// empty until the open-thread delivery has run.
type Thread struct {
	ID             int64
	ConversationID ConversationID
	Ref            ThreadRef
	Current        bool
	CreatedAt      time.Time
}

// Direction says which way a message went.
type Direction string

const (
	Inbound  Direction = "in"     // from the customer
	Outbound Direction = "out"    // an agent's reply to the customer
	Note     Direction = "note"   // internal, never sent
	System   Direction = "system" // the bridge speaking in the thread
)

// MessageStatus is how far a message got. For inbound messages it is
// "received" then "posted" (in the thread).
type MessageStatus string

const (
	StatusReceived  MessageStatus = "received"
	StatusPosted    MessageStatus = "posted"
	StatusQueued    MessageStatus = "queued"
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusRead      MessageStatus = "read"
	StatusFailed    MessageStatus = "failed"
	StatusBlocked   MessageStatus = "blocked" // not sent on purpose (window closed, not the holder)
)

// statusRank orders outbound statuses so receipts only move forward.
func statusRank(s MessageStatus) int {
	switch s {
	case StatusQueued:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered:
		return 3
	case StatusRead:
		return 4
	case StatusFailed:
		return 5
	}
	return 0
}

// Message is anything said in a conversation.
type Message struct {
	ID             MessageID
	ConversationID ConversationID
	Direction      Direction
	Kind           MessageKind
	Body           string
	// Payload holds the kind-specific details as JSON: the InboundMessage
	// for customer messages, the agent's files for replies.
	Payload      json.RawMessage
	ExternalID   string // wamid on the customer side
	WorkspaceKey string // the message's key in the thread (Slack ts)
	AuthorID     string // workspace user id for agent messages
	SentAt       time.Time
	CreatedAt    time.Time
	Status       MessageStatus
	Failure      FailureReason
}

// Event is one fact of the append-only event log metrics are computed from.
type Event struct {
	ConversationID ConversationID
	Kind           string
	Actor          string
	Data           string
	At             time.Time
}

// Event kinds. They are stored: never rename one.
const (
	EventOpened      = "opened"
	EventRouted      = "routed"
	EventReceived    = "received"
	EventClaimed     = "claimed"
	EventUnclaimed   = "unclaimed"
	EventReplied     = "replied"
	EventNoted       = "noted"
	EventResolved    = "resolved"
	EventReopened    = "reopened"
	EventDelivery    = "delivery_failed"
	EventTransferred = "transferred"
	EventAssigned    = "assigned"
	EventTakenOver   = "taken_over"
	EventQueued      = "queued"
	EventReminded    = "reminded"
	EventEscalated   = "escalated"
	// AI suggestions (assist_agent.go); Data names the draft ("draft:42").
	EventSuggested           = "suggestion_shown"
	EventSuggestionSent      = "suggestion_sent"
	EventSuggestionEdited    = "suggestion_edited" // sent after the agent edited it
	EventSuggestionDiscarded = "suggestion_discarded"
)

// Availability is whether an agent takes new conversations.
type Availability string

const (
	Available Availability = "available"
	Away      Availability = "away"
)

// AgentStatus is an agent's availability and where it came from
// ("manual" for /switchboard available|away).
type AgentStatus struct {
	UserID string
	State  Availability
	Source string
	Since  time.Time
}
