// Package bridge is switchboard's domain: contacts, conversations and their
// state machine, messages, notes, claims and the deliveries they imply. It
// knows no platform: adapters implement the interfaces in contract.go and
// storage implements store.go.
package bridge

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/switchboard/switchboard/bridge/contacts"
	"log/slog"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/canned"
)

// Team is a set of agents with one home channel in a workspace.
type Team struct {
	Name      string
	Workspace WorkspaceKind
	ChannelID string
	// MoreChannels spread a busy team's new conversations (see homeFor).
	MoreChannels []string
	Language     string // the language agents of this team read
	// Members are pinned agents (always members, whatever the channel or
	// role says) and the ones assignment may choose from; with none,
	// conversations wait to be claimed. Who else is an agent is decided in
	// membership.go: the members of the team's channels, or the holders of
	// Role.
	Members []string
	// Exclude are never agents of the team, even in its channel.
	Exclude []string
	// Role, for a Discord team, makes the holders of this role its agents.
	Role string
	// Supervisors may take over a conversation someone else holds.
	Supervisors []string
	// RemindAfter: a conversation waiting this long (unassigned, or with
	// the customer's message unanswered) gets a reminder in its thread;
	// after EscalateAfter the supervisors are mentioned. 0 disables.
	RemindAfter   time.Duration
	EscalateAfter time.Duration
	// Supervision is what the team's supervisors asked for: satisfaction
	// surveys, service targets, digests (supervision.go).
	Supervision Supervision
	// NoteByDefault keeps every thread message as a note unless it starts
	// with a reply prefix (Options.ReplyPrefixes): for teams that talk
	// among themselves in the thread more than they write to customers.
	NoteByDefault bool
	// ReadReceipts says when the customer's messages are marked read.
	ReadReceipts ReadReceipts
	// ShowAgentName puts the agent's display name on the first line of
	// each reply ("*Ana:*"); by default the customer sees no name.
	ShowAgentName bool
	// SendCorrections sends an agent's edit of a reply already sent as a
	// new message marked as a correction.
	SendCorrections bool
	// KeepDeletedText keeps the text of messages the customer deleted.
	KeepDeletedText bool
	// FirstLine is the team's first-line assistant (assist_firstline.go);
	// the zero value (ModeNever) never lets AI text reach a customer.
	FirstLine assist.FirstLine
	// Open tells whether the team is within its business hours at an
	// instant (nil: always open); FirstLine's out_of_hours mode reads it.
	Open func(at time.Time) bool
}

// ReadReceipts is when a team marks the customer's messages read.
type ReadReceipts string

const (
	ReadOnReply ReadReceipts = "on_reply" // the default
	ReadOnClaim ReadReceipts = "on_claim"
	ReadNever   ReadReceipts = "never"
)

// homeFor picks the channel a conversation's thread opens in: a team too
// busy for one Slack channel (about one post per second) lists several
// and spreads its conversations across them.
func (t Team) homeFor(id ConversationID) string {
	if len(t.MoreChannels) == 0 || id <= 0 {
		return t.ChannelID
	}
	all := append([]string{t.ChannelID}, t.MoreChannels...)
	return all[int(id)%len(all)]
}

// owns reports whether channel is one of the team's channels.
func (t Team) owns(channel string) bool {
	return channel == t.ChannelID || contains(t.MoreChannels, channel)
}

func (t Team) isSupervisor(user string) bool { return contains(t.Supervisors, user) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Inbox is one business number, Page, Instagram account or mailbox.
type Inbox struct {
	ID      InboxID
	Channel Channel // "" is WhatsApp
	Name    string
	// Account is the WhatsApp Business Account the number belongs to: its
	// templates are the ones this inbox can send.
	Account string
	// Country is the region (ISO 3166 "ES", "BR") numbers typed without a
	// country code are read in, for agent-started conversations.
	Country string
	Team    string // the team new conversations on this inbox go to; "" for the default
}

// Options configure the bridge. Zero values take the documented defaults.
type Options struct {
	Teams       []Team
	DefaultTeam string // defaults to the first team
	Inboxes     []Inbox
	// Channels are the customer channels other than WhatsApp (New's
	// customer), by kind; an inbox whose channel is missing here stores
	// what it receives and its deliveries wait (notConfigured).
	Channels map[Channel]CustomerChannel
	// NotePrefixes mark an agent's message as an internal note (default
	// "note:", "notes:" and ";;"). Matched after normalising the text (notes.go):
	// markup, quote markers, emoji, Unicode spaces and case do not hide them.
	NotePrefixes []string
	// ReplyPrefixes mark a message to send in a team with NoteByDefault
	// (default "reply:"), matched like NotePrefixes and removed before sending.
	ReplyPrefixes []string
	// ReopenWindow: a customer writing this soon after a resolve reopens
	// the conversation; later starts a new one (default 24 h; negative: never).
	ReopenWindow time.Duration
	// DetectLanguage tells the language of a customer's text ("es", "pt",
	// "en") when it is sure; the customer's language then picks their
	// templates and canned responses. nil: only the phone number tells.
	DetectLanguage func(text string) (lang string, ok bool)
	// AutoClaimOnReply makes the first agent to reply the assignee.
	AutoClaimOnReply bool
	// MaxAttachmentBytes bounds files carried either way between the
	// customer and the thread (options.max_attachment_bytes); 0: only
	// WhatsApp's own per-type limits (bridge/media).
	MaxAttachmentBytes int64
	// OrderWindow holds each customer message this long before posting it,
	// so webhooks that arrive out of order are still posted in the order
	// the customer wrote them. It adds that much latency (default 0).
	OrderWindow time.Duration
	// ReplyOrderWindow holds each agent reply this long before sending it,
	// so a reply the workspace delivers late (a retry) still reaches the
	// customer before a newer one (replies are ordered by the platform's
	// timestamp, AgentMessage.SentAt). It adds that much latency (default 0).
	ReplyOrderWindow time.Duration
	// MaxAttempts is how many transient failures a delivery survives before
	// it is reported as failed in the thread (default 12, about an hour
	// with the backoff below).
	MaxAttempts int
	// LeaseDuration bounds how long a crashed worker can block a lane. It
	// must be at least JobTimeout, so a job that runs to its timeout never
	// outlives its lease (default JobTimeout).
	LeaseDuration time.Duration
	// JobTimeout is how long the queue lets one delivery job run (default
	// 2 minutes). A job starts platform calls only while each can finish,
	// and be recorded, a margin before it (see drainBudget).
	JobTimeout time.Duration
	// Router picks the team of a new conversation; nil means the inbox's
	// team or the default team.
	Router Router
	// Assigner picks an agent for a new or waiting conversation; nil means
	// conversations wait to be claimed.
	Assigner Assigner
	// OnShift tells whether an agent is on shift (has=false: no shifts
	// configured for them); shown by /switchboard status.
	OnShift func(user string, at time.Time) (on, has bool)
	Now     func() time.Time
	Log     *slog.Logger
	Metrics *Metrics
	// Reporter computes metrics for /switchboard metrics and digests; nil
	// means the command says metrics are unavailable and no digest is sent.
	Reporter Reporter
	// Canned are the configuration's canned responses (Source "config"),
	// written to the database by SyncCanned.
	Canned []canned.Response
	// TemplateSyncEvery is how often each WhatsApp Business Account's
	// templates are read again from the Graph API (default 1 h); webhooks
	// keep them current in between (templatesync.go).
	TemplateSyncEvery time.Duration
	// Assistant answers the AI features (suggestions, summaries, the
	// first-line assistant, LLM classification); nil turns them off and
	// the commands say so. The application wires the offline assistant
	// when no provider is configured.
	Assistant assist.Assistant
	// LLMRouting says the routing rules use the LLM classifier: a new
	// conversation's thread waits (at most ClassifyWait) for it to decide
	// the team (assist_route.go).
	LLMRouting   bool
	ClassifyWait time.Duration
	// CRMWebhook sends person and conversation changes to the business's
	// own CRM (crm.go); a zero value sends nothing.
	CRMWebhook CRMWebhook
	// Contacts is the light CRM's schema (contacts: stages, attributes);
	// no stages means contacts.DefaultStages (crm_commands.go).
	Contacts contacts.Schema
}

// Bridge turns platform events into stored facts and deliveries, and runs
// those deliveries.
type Bridge struct {
	store      Store
	customer   CustomerChannel
	workspaces map[WorkspaceKind]AgentWorkspace
	opts       Options
	teams      map[string]Team
	inboxes    map[InboxID]Inbox
	log        *slog.Logger
	notes      prefixMatcher
	replies    prefixMatcher
	// suspects are deliveries that may have reached their platform
	// without being recorded (idempotency.go).
	suspects suspectSet
}

var (
	_ CustomerInbound = (*Bridge)(nil)
	_ AgentInbound    = (*Bridge)(nil)
)

// New builds a bridge. customer may be nil and workspaces empty when their
// credentials are missing: inbound facts are still stored and deliveries
// wait until the process runs with credentials.
func New(store Store, customer CustomerChannel, workspaces []AgentWorkspace, opts Options) (*Bridge, error) {
	if len(opts.Teams) == 0 {
		return nil, errors.New("bridge: at least one team is needed")
	}
	if opts.DefaultTeam == "" {
		opts.DefaultTeam = opts.Teams[0].Name
	}
	if len(opts.NotePrefixes) == 0 {
		opts.NotePrefixes = []string{"note:", "notes:", ";;"}
	}
	if len(opts.ReplyPrefixes) == 0 {
		opts.ReplyPrefixes = []string{"reply:"}
	}
	if opts.ReopenWindow == 0 {
		opts.ReopenWindow = 24 * time.Hour
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 12
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = cmp.Or(opts.LeaseDuration, 2*time.Minute)
	}
	if opts.LeaseDuration <= 0 {
		opts.LeaseDuration = opts.JobTimeout
	}
	if opts.LeaseDuration < opts.JobTimeout {
		return nil, fmt.Errorf("bridge: lease duration %s is shorter than the job timeout %s: a job could lose its lane while it runs", opts.LeaseDuration, opts.JobTimeout)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.TemplateSyncEvery <= 0 {
		opts.TemplateSyncEvery = DefaultTemplateSyncEvery
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	b := &Bridge{store: store, customer: customer, workspaces: map[WorkspaceKind]AgentWorkspace{},
		opts: opts, teams: map[string]Team{}, inboxes: map[InboxID]Inbox{}, log: opts.Log,
		notes: newPrefixMatcher(opts.NotePrefixes, true), replies: newPrefixMatcher(opts.ReplyPrefixes, false)}
	for _, ws := range workspaces {
		b.workspaces[ws.Kind()] = ws
	}
	for _, t := range opts.Teams {
		if t.Workspace == "" {
			t.Workspace = WorkspaceSlack
		}
		b.teams[t.Name] = t
	}
	if _, ok := b.teams[opts.DefaultTeam]; !ok {
		return nil, fmt.Errorf("bridge: default team %q is not a team", opts.DefaultTeam)
	}
	for _, in := range opts.Inboxes {
		b.inboxes[in.ID] = in
	}
	return b, nil
}

func (b *Bridge) now() time.Time { return b.opts.Now().UTC() }

// teamFor is the inbox's own team (or the default team): what a new
// conversation gets when no routing rule decides otherwise.
func (b *Bridge) teamFor(inbox InboxID) Team {
	if in, ok := b.inboxes[inbox]; ok && in.Team != "" {
		if t, ok := b.teams[in.Team]; ok {
			return t
		}
	}
	return b.teams[b.opts.DefaultTeam]
}

func (b *Bridge) team(name string) Team {
	if t, ok := b.teams[name]; ok {
		return t
	}
	return b.teams[b.opts.DefaultTeam]
}

func (b *Bridge) language(team string) string {
	if t := b.team(team); t.Language != "" {
		return t.Language
	}
	return "en"
}

// inTx runs fn in a transaction, retrying when a concurrent writer won a
// race (ErrConflict): the retry reads the winner's rows and decides again.
func (b *Bridge) inTx(ctx context.Context, fn func(tx Tx) error) error {
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = b.store.InTx(ctx, fn)
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return err
}
