package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file is the contract between the bridge and storage. storage/
// implements it over PostgreSQL and SQLite with the same code.

// ErrNotFound is returned by Tx lookups when no row matches.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned by Tx.UpdateConversation when the conversation
// changed since it was read (its version moved on).
var ErrConflict = errors.New("conversation changed concurrently")

// Lane is an ordered stream of deliveries: one conversation towards one
// destination. Deliveries of one lane run one at a time, in order.
type Lane string

// WorkspaceLane carries everything posted into the conversation's thread.
func WorkspaceLane(id ConversationID) Lane { return Lane(fmt.Sprintf("c%d:workspace", id)) }

// CustomerLane carries everything sent to the customer.
func CustomerLane(id ConversationID) Lane { return Lane(fmt.Sprintf("c%d:customer", id)) }

// AssistLane carries the AI work of a conversation (suggestions,
// summaries, the first-line assistant's answers, classification): a slow
// provider never holds back the thread or the customer (assistjobs.go).
func AssistLane(id ConversationID) Lane { return Lane(fmt.Sprintf("c%d:assist", id)) }

// IsAssist reports whether the lane carries AI work.
func (l Lane) IsAssist() bool { return strings.HasSuffix(string(l), ":assist") }

// NoticeLane carries the notices posted in one channel for no
// conversation, in order (notice.go).
func NoticeLane(ws WorkspaceKind, channel string) Lane {
	return Lane(fmt.Sprintf("notice:%s:%s", ws, channel))
}

// ToCustomer reports whether the lane carries deliveries to the customer.
func (l Lane) ToCustomer() bool { return strings.HasSuffix(string(l), ":customer") }

// DeliveryKind names what a delivery does. Stored: never rename one.
type DeliveryKind string

const (
	DeliverOpenThread   DeliveryKind = "open_thread"
	DeliverUpdateCard   DeliveryKind = "update_card"
	DeliverPostInbound  DeliveryKind = "post_inbound"
	DeliverPostSystem   DeliveryKind = "post_system"
	DeliverSetMark      DeliveryKind = "set_mark"
	DeliverTell         DeliveryKind = "tell"
	DeliverSendReply    DeliveryKind = "send_reply"
	DeliverMarkRead     DeliveryKind = "mark_read"
	DeliverSendReaction DeliveryKind = "send_reaction"
	DeliverCloseThread  DeliveryKind = "close_thread"
	// DeliverSendCSAT sends the satisfaction survey (csat.go).
	DeliverSendCSAT DeliveryKind = "send_csat"
	// DeliverPostChannel posts top-level in another channel of the
	// thread's workspace, e.g. an SLA alert for supervisors (sla.go).
	DeliverPostChannel DeliveryKind = "post_channel"
	// DeliverPostSent posts in the thread a reply the bridge sends on an
	// agent's behalf with no message of its own (a canned response sent
	// from its preview); the post's key becomes the message's, so its
	// receipts show on it.
	DeliverPostSent DeliveryKind = "post_sent"
	// DeliverSendTemplate sends an approved template to the customer
	// (customer lane, templatesend.go); allowed outside the window.
	DeliverSendTemplate DeliveryKind = "send_template"
	// DeliverPostTemplate shows a template send in the thread as what the
	// customer receives; its receipts are marked on that post.
	DeliverPostTemplate DeliveryKind = "post_template"
	// DeliverPostNotice posts top-level in a channel for no conversation
	// (ConversationID 0, a NoticeLane): a template status change told to
	// supervisors (notice.go).
	DeliverPostNotice DeliveryKind = "post_notice"

	// AI work, on the conversation's AssistLane (assistjobs.go): the
	// provider is called by the job, its result recorded with the
	// deliveries it implies (a private draft, a summary post, an answer).
	DeliverAssistSuggest  DeliveryKind = "assist_suggest"  // a draft for one agent (assist_agent.go)
	DeliverAssistSummary  DeliveryKind = "assist_summary"  // a summary in the thread (assist_agent.go)
	DeliverAssistAnswer   DeliveryKind = "assist_answer"   // the first-line assistant (assist_firstline.go)
	DeliverAssistClassify DeliveryKind = "assist_classify" // routing by the LLM classifier (assist_route.go)
)

// DeliveryID identifies a delivery row.
type DeliveryID int64

// DeliveryState is queued until the delivery is done or failed for good.
type DeliveryState string

const (
	DeliveryQueued DeliveryState = "queued"
	DeliveryDone   DeliveryState = "done"
	DeliveryFailed DeliveryState = "failed"
)

// Delivery is one piece of outbound work, written in the same transaction
// as the fact that caused it (the transactional outbox).
type Delivery struct {
	ID             DeliveryID
	ConversationID ConversationID
	Lane           Lane
	Kind           DeliveryKind
	MessageID      MessageID
	Payload        json.RawMessage
	// SortKey orders a lane (then ID): customer messages by the time they
	// were written, so concurrent webhooks still post in timestamp order.
	SortKey   int64
	NotBefore time.Time // not run before this (the ordering window)
	State     DeliveryState
	Attempts  int
	LastError string
	CreatedAt time.Time
}

// Store opens transactions. Every read and write of the bridge goes
// through one, so a fact and the deliveries it implies commit together.
type Store interface {
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// AcquireLane takes (or renews) the lease of a lane for holder for
	// lease, or reports false when someone else holds a live lease. Leases
	// are measured on the database's clock, never a replica's, so a
	// replica whose clock runs ahead cannot take a live lease. tookOver
	// reports a lease that had run out (its holder died or stalled, maybe
	// after a platform call it never recorded), learnt from the same
	// statement. Called outside transactions by delivery jobs.
	AcquireLane(ctx context.Context, lane Lane, holder string, lease time.Duration) (ok, tookOver bool, err error)
	// ReleaseLane gives the lease back if holder still has it.
	ReleaseLane(ctx context.Context, lane Lane, holder string) error
	// ExpireLane gives the lease back as if it had run out, so the next
	// holder is told it took the lane over (AcquireLane's tookOver): the
	// job leaves a platform call it could not record (idempotency.go).
	ExpireLane(ctx context.Context, lane Lane, holder string) error
	// LaneHead is Tx.LaneHead in a statement of its own: a delivery job's
	// last look at the lane it let go (deliver.go).
	LaneHead(ctx context.Context, lane Lane) (Delivery, error)
}

// HeadRows is a lane's head and the rows a delivery job reads before its
// platform call, read together (Tx.LaneHeadRows): one round trip where
// reading them one by one took five, on every delivery.
type HeadRows struct {
	Head         Delivery
	Conversation *Conversation
	Contact      *Contact
	Thread       *Thread // the conversation's current thread
	Message      *Message
}

// Tx is one database transaction. Implementations must not be used after
// the function given to InTx returns.
type Tx interface {
	// Capabilities keep their part of the contract in their own file.
	TemplateTx  // store_templates.go
	CannedTx    // store_canned.go
	ReceiptTx   // store_receipts.go
	ReactionTx  // store_reactions.go
	EditsTx     // store_edits.go
	SuggestTx   // store_assist.go: drafts and summaries
	FirstLineTx // store_assist.go: the first-line assistant's sessions
	RouteTx     // store_route.go: routing by the LLM classifier
	ChannelTx   // store_channels.go: watermarks, profile names
	PeopleTx    // store_people.go: the light CRM's people (issue 12)

	// MarkProcessed records a platform delivery id; fresh is false when it
	// was already recorded (a retry).
	MarkProcessed(ctx context.Context, source, eventID string, now time.Time) (fresh bool, err error)

	// HoldsLane reports whether holder still holds lane's lease, and keeps
	// another holder from taking it until this transaction ends. A job
	// records a delivery's outcome only while it holds the lane.
	HoldsLane(ctx context.Context, lane Lane, holder string) (bool, error)
	// LaneHeadRows is LaneHead with the rows the head names (its
	// conversation, the contact, the current thread, its message), read in
	// the same statement; a row that does not exist is nil.
	LaneHeadRows(ctx context.Context, lane Lane) (HeadRows, error)
	// RenewLane is HoldsLane that also extends the lease to lease from
	// now; ReleaseLane gives the lease back with this transaction.
	RenewLane(ctx context.Context, lane Lane, holder string, lease time.Duration) (bool, error)
	ReleaseLane(ctx context.Context, lane Lane, holder string) error

	// UpsertContact finds the contact c names, by (channel, UserID) when a
	// BSUID is given, else by (channel, Address), or creates it (with its
	// person), and fills in what c adds; one customer seen by phone and by
	// BSUID stays one contact (storage/contacts_identity.go). The returned
	// Contact's Created is true when this call created its person.
	UpsertContact(ctx context.Context, c Contact) (Contact, error)
	// ChangeContactIdentity moves the contact that wrote from address (or
	// had ch.PreviousUserID) to its new number and BSUID, keeping the row;
	// ErrNotFound when there is no such contact.
	ChangeContactIdentity(ctx context.Context, channel string, from CustomerAddress, ch IdentityChange) (Contact, error)
	GetContact(ctx context.Context, id ContactID) (Contact, error)
	// SetContactLanguage records the language the customer writes in.
	SetContactLanguage(ctx context.Context, id ContactID, lang string) error

	// LatestConversation returns the contact's newest conversation on inbox.
	LatestConversation(ctx context.Context, contact ContactID, inbox InboxID) (Conversation, error)
	GetConversation(ctx context.Context, id ConversationID) (Conversation, error)
	// LockConversation reads the conversation and keeps other writers of
	// it waiting until this transaction ends (SELECT … FOR UPDATE on
	// PostgreSQL; SQLite's write transactions already exclude each other).
	// Called before deciding an agent's message, so concurrent replies,
	// claims and takeovers of one conversation queue up instead of
	// conflicting; UpdateConversation's version check stays the guarantee.
	LockConversation(ctx context.Context, id ConversationID) (Conversation, error)
	CreateConversation(ctx context.Context, c Conversation) (Conversation, error)
	// UpdateConversation writes c if its Version is still current and
	// returns it with the new Version; ErrConflict otherwise.
	UpdateConversation(ctx context.Context, c Conversation) (Conversation, error)
	// TouchCustomer moves LastCustomerAt forward to at (never back) without
	// changing Version, so a customer's concurrent messages never conflict.
	TouchCustomer(ctx context.Context, id ConversationID, at time.Time) error
	// ContactConversations lists the contact's conversations, oldest first.
	ContactConversations(ctx context.Context, contact ContactID) ([]Conversation, error)

	CreateThread(ctx context.Context, t Thread) (Thread, error)
	SetThreadRef(ctx context.Context, threadID int64, ref ThreadRef) error
	CurrentThread(ctx context.Context, conv ConversationID) (Thread, error)
	// ThreadByKey finds the thread (current or not) at a workspace key.
	ThreadByKey(ctx context.Context, workspace WorkspaceKind, channelID, threadKey string) (Thread, error)

	// InsertMessage stores m; inserted is false when a message with the
	// same ExternalID already exists (a platform retry).
	InsertMessage(ctx context.Context, m Message) (id MessageID, inserted bool, err error)
	GetMessage(ctx context.Context, id MessageID) (Message, error)
	MessageByExternalID(ctx context.Context, externalID string) (Message, error)
	MessageByWorkspaceKey(ctx context.Context, conv ConversationID, key string) (Message, error)
	UpdateMessage(ctx context.Context, m Message) error

	// LockExternalID keeps other transactions that lock the same external
	// id waiting until this one ends. A receipt and the record of its send
	// both take it (before any conversation lock), so a receipt arriving
	// while its send is being recorded is either seen by the recording or
	// finds the recorded message: never lost between the two.
	LockExternalID(ctx context.Context, externalID string) error
	// InsertReceipt stores a delivery receipt; fresh is false for a repeat.
	InsertReceipt(ctx context.Context, r DeliveryReceipt) (fresh bool, err error)
	ReceiptsFor(ctx context.Context, externalID string) ([]DeliveryReceipt, error)
	// InsertMessageCost stores a sent message's pricing unless it already
	// has one (the first status carrying pricing wins); fresh is false then.
	InsertMessageCost(ctx context.Context, c MessageCost) (fresh bool, err error)

	AppendEvent(ctx context.Context, e Event) error
	// LastEvent is the conversation's latest event of a kind; ErrNotFound
	// when there is none. FirstEventAfter is the earliest one after a time.
	LastEvent(ctx context.Context, conv ConversationID, kind string) (Event, error)
	FirstEventAfter(ctx context.Context, conv ConversationID, kind string, after time.Time) (Event, error)

	// SetAgentStatus records an agent's availability.
	SetAgentStatus(ctx context.Context, ws WorkspaceKind, s AgentStatus) error
	// AgentStatuses returns every recorded availability in a workspace.
	AgentStatuses(ctx context.Context, ws WorkspaceKind) (map[string]AgentStatus, error)
	// OpenCounts returns how many assigned, unresolved conversations each
	// agent holds.
	OpenCounts(ctx context.Context) (map[string]int, error)
	// TeamCursor returns a team's round-robin cursor and its version (0
	// when never set); SetTeamCursor writes it if the version is still
	// current, else ErrConflict.
	TeamCursor(ctx context.Context, team string) (cursor string, version int64, err error)
	SetTeamCursor(ctx context.Context, team, cursor string, version int64) error
	// OpenConversations lists a team's unresolved conversations, oldest first.
	OpenConversations(ctx context.Context, team string) ([]Conversation, error)
	GetThread(ctx context.Context, id int64) (Thread, error)
	// RecentMessages returns the last n customer and agent messages of a
	// conversation, oldest first, and how many there are in all.
	RecentMessages(ctx context.Context, conv ConversationID, n int) ([]Message, int, error)

	// Enqueue stores d and its durable job in this transaction.
	Enqueue(ctx context.Context, d Delivery) (DeliveryID, error)
	GetDelivery(ctx context.Context, id DeliveryID) (Delivery, error)
	// StalledLanes returns the head of every lane with queued deliveries
	// due by now, created before olderThan, and no live lease.
	StalledLanes(ctx context.Context, now, olderThan time.Time) ([]Delivery, error)
	// Requeue starts a new job for a queued delivery.
	Requeue(ctx context.Context, d Delivery) error
	// LaneHead returns the queued delivery that must run next in lane.
	LaneHead(ctx context.Context, lane Lane) (Delivery, error)
	UpdateDelivery(ctx context.Context, d Delivery) error

	// CreateCSAT records a satisfaction survey about to be sent; created is
	// false when the conversation already has one (a survey is never sent
	// twice). GetCSAT returns it; ErrNotFound when none was sent.
	CreateCSAT(ctx context.Context, s CSAT) (created bool, err error)
	GetCSAT(ctx context.Context, conv ConversationID) (CSAT, error)
	// AnswerCSAT records the score; recorded is false when an answer was
	// recorded already. CommentCSAT keeps the first comment the same way.
	AnswerCSAT(ctx context.Context, conv ConversationID, score int, at time.Time) (recorded bool, err error)
	CommentCSAT(ctx context.Context, conv ConversationID, comment string, at time.Time) (recorded bool, err error)
	// WithdrawCSAT forgets an unanswered survey that could not be sent: it
	// was never asked, so it counts in no metric. withdrawn is false when
	// there is none or it was answered.
	WithdrawCSAT(ctx context.Context, conv ConversationID) (withdrawn bool, err error)
	// MarkSLAAlert records that an SLA warning or breach was announced;
	// fresh is false when this one was announced already.
	MarkSLAAlert(ctx context.Context, a SLAAlert) (fresh bool, err error)
	// ClaimDigest creates the digest of a period if it is new and takes it
	// for sending until leaseUntil; claimed is false when it was sent, gave
	// up, or another replica holds it. attempts counts the claims so far.
	ClaimDigest(ctx context.Context, key, team string, now, leaseUntil time.Time) (claimed bool, attempts int, err error)
	// ChannelRoster returns who is in a workspace channel as stored;
	// Loaded is false (no error) when its member list was never read.
	ChannelRoster(ctx context.Context, ws WorkspaceKind, channel string) (Roster, error)
	// ReplaceChannelRoster stores the full member list read from the
	// platform at `at`, making the roster Loaded, unless a join or leave
	// was recorded since the roster was at version seen (read before the
	// platform was asked): then ErrConflict, and the list is not stored.
	ReplaceChannelRoster(ctx context.Context, ws WorkspaceKind, channel string, members []string, at time.Time, seen int64) error
	// ForgetChannelRoster makes the channel's member list unknown, as if
	// never read: its team then refuses all but pinned members.
	ForgetChannelRoster(ctx context.Context, ws WorkspaceKind, channel string) error
	// SetChannelMember records one person joining (member) or leaving.
	SetChannelMember(ctx context.Context, ws WorkspaceKind, channel, user string, member bool) error
	// FinishDigest records the outcome of a claimed digest ("sent" or
	// "failed"); a digest left claimed is retried when its lease ends.
	FinishDigest(ctx context.Context, key string, state DigestState, now time.Time) error
}
