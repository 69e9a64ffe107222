package bridge

// This file is the contract between the bridge and its adapters. The bridge
// defines what it needs from a customer channel (WhatsApp) and from an agent
// workspace (Slack, Discord); adapters implement these interfaces and call
// the bridge's inbound methods. Nothing here knows a platform's wire format.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// ---------------------------------------------------------------------------
// Customer side (WhatsApp, Messenger, Instagram, e-mail: channels.go)

// MessageKind is what a customer sent. Unknown kinds are kept as KindUnknown
// with their raw JSON so nothing is dropped.
type MessageKind string

const (
	KindText        MessageKind = "text"
	KindImage       MessageKind = "image"
	KindAudio       MessageKind = "audio" // voice notes too; Media.Voice tells
	KindVideo       MessageKind = "video"
	KindDocument    MessageKind = "document"
	KindSticker     MessageKind = "sticker"
	KindLocation    MessageKind = "location"
	KindContacts    MessageKind = "contacts"
	KindInteractive MessageKind = "interactive" // button_reply or list_reply
	KindButton      MessageKind = "button"      // template quick-reply button
	// KindTemplate is an approved template an agent sent (outbound only):
	// Body is the rendered text, Payload the send (templatesend.go).
	KindTemplate    MessageKind = "template"
	KindReaction    MessageKind = "reaction"
	KindOrder       MessageKind = "order"
	KindSystem      MessageKind = "system" // number changed, identity changed
	KindEdit        MessageKind = "edit"
	KindRevoke      MessageKind = "revoke"
	KindUnsupported MessageKind = "unsupported"
	KindUnknown     MessageKind = "unknown"
)

// CustomerWebhook is everything one customer-channel webhook delivery carried.
// The adapter builds it after verifying the signature; the bridge stores it
// in one transaction before the adapter acknowledges the request.
type CustomerWebhook struct {
	Messages []InboundMessage
	Receipts []DeliveryReceipt
	// Templates are changes Meta announced to message templates.
	Templates []TemplateUpdate
}

// TemplateUpdate is a change Meta announced to one message template in one
// language (WhatsApp's message_template_status_update and
// template_category_update webhooks). Exactly one of Status and Category
// is set. A template not synced yet is no error: the next sync brings it.
type TemplateUpdate struct {
	Account    string // the WhatsApp Business Account (WABA) id
	TemplateID string // Meta's id of the template in this language
	Name       string
	Language   string // Meta's code: "en_US", "pt_BR"
	// Status is the template's new status (a status update).
	Status templates.Status
	// Category is the template's new category (a category update).
	Category string
	// Reason is why, when Meta says: a rejection reason (INVALID_FORMAT,
	// …) or the description of a pause.
	Reason string
	At     time.Time
}

// InboundMessage is one message a customer sent (or, with Echo, one the
// business sent from outside switchboard).
type InboundMessage struct {
	Inbox InboxID
	// Channel is the channel whose webhook carried the message; empty is
	// WhatsApp (its adapter predates channels). On any other channel the
	// bridge stores nothing for an inbox it is not configured with
	// (review finding 9), rather than take it for a WhatsApp number.
	Channel Channel `json:",omitempty"`
	// ExternalID is the channel's id of the message (wamid, Messenger/
	// Instagram mid, e-mail Message-ID); the dedupe key.
	ExternalID string
	// From is where replies go (Contact.Address): the WhatsApp wa_id, or
	// the BSUID when WhatsApp gave no phone number; the PSID, the IGSID;
	// the e-mail address.
	From        CustomerAddress
	ProfileName string // the customer's profile or display name, may be empty
	// FromUserID, FromParentUserID and FromUsername are WhatsApp's
	// business-scoped user id (BSUID), parent BSUID and the customer's
	// username, when the webhook carried them (2026 usernames); a
	// customer with a username may come with no phone number at all.
	FromUserID       string `json:",omitempty"`
	FromParentUserID string `json:",omitempty"`
	FromUsername     string `json:",omitempty"`
	// IdentityChange is set on a WhatsApp system message saying the
	// sender's number or BSUID changed (identities.go); From is then the
	// old address.
	IdentityChange *IdentityChange `json:",omitempty"`
	// FromEmail is the sender's e-mail address (e-mail channel).
	FromEmail string `json:",omitempty"`
	// EmailUnverified marks a FromEmail nothing vouches for: the
	// receiving server's Authentication-Results show neither dmarc=pass
	// nor dkim=pass for the From domain, or the address came from a
	// Reply-To outside that domain (a web form's visitor typed it). The
	// bridge does not store it as the contact's e-mail, so it produces no
	// merge suggestion. EmailAuthFailed is the first case alone: the
	// thread shows a warning above the message.
	EmailUnverified bool `json:",omitempty"`
	EmailAuthFailed bool `json:",omitempty"`
	// Subject is the e-mail's subject (e-mail channel); replies keep it.
	Subject string `json:",omitempty"`
	// Echo marks a message the business sent from outside switchboard
	// (Messenger/Instagram message_echoes from the Page inbox or the
	// app): shown in the thread as such, never sent again. From is still
	// the customer. An echo of a message switchboard sent itself (same
	// ExternalID as a stored outbound message) changes nothing.
	Echo bool `json:",omitempty"`
	// Story is the Instagram story a message answers or mentions the
	// business in.
	Story  *Story `json:",omitempty"`
	SentAt time.Time
	Kind   MessageKind
	// Text is the body for text messages, the caption for media, the title
	// of a pressed button or list row, the system notice for system messages.
	Text        string
	Media       *Media
	Location    *Location
	Contacts    []SharedContact
	Reaction    *Reaction
	Interactive *InteractiveReply
	ReplyTo     string // external id of the message this one answers (context.id)
	Forwarded   bool
	Errors      []PlatformError // why the platform could not give us the content
	// Raw is the message object as received; kept so unknown kinds are
	// never lost and can be shown or reprocessed later.
	Raw json.RawMessage
}

// Media is an attachment the customer sent; Data is fetched later with
// CustomerChannel.DownloadMedia(ID).
type Media struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	Filename string `json:"filename,omitempty"`
	Voice    bool   `json:"voice,omitempty"`
	Animated bool   `json:"animated,omitempty"`
}

// Story is an Instagram story a customer replied to, or mentioned the
// business in. Its URL (a CDN link) expires; the thread shows it as given.
type Story struct {
	// Kind is "reply" (the customer answered the business's story) or
	// "mention" (the customer mentioned the business in their story).
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Location is a shared place.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	URL       string  `json:"url,omitempty"`
}

// SharedContact is a contact card the customer shared.
type SharedContact struct {
	Name   string   `json:"name"`
	Phones []string `json:"phones,omitempty"`
	Emails []string `json:"emails,omitempty"`
	Org    string   `json:"org,omitempty"`
}

// Reaction is a customer's reaction to one of the messages in the chat.
// An empty Emoji means the reaction was removed.
type Reaction struct {
	TargetExternalID string `json:"target"`
	Emoji            string `json:"emoji,omitempty"`
}

// InteractiveReply is a pressed reply button or a chosen list row.
type InteractiveReply struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// PlatformError is an error object a platform attached to a message or a
// status (WhatsApp errors[]).
type PlatformError struct {
	Code    int    `json:"code"`
	Title   string `json:"title,omitempty"`
	Message string `json:"message,omitempty"`
	Details string `json:"details,omitempty"`
}

// ReceiptStatus is how far an outbound message got. Statuses only move
// forward (sent < delivered < read); failed is final.
type ReceiptStatus string

const (
	ReceiptSent      ReceiptStatus = "sent"
	ReceiptDelivered ReceiptStatus = "delivered"
	ReceiptRead      ReceiptStatus = "read"
	ReceiptPlayed    ReceiptStatus = "played" // voice note listened to; treated as read
	ReceiptFailed    ReceiptStatus = "failed"
)

// DeliveryReceipt is a status update for a message we sent.
type DeliveryReceipt struct {
	Inbox      InboxID
	ExternalID string // the wamid we got back when sending
	Status     ReceiptStatus
	At         time.Time
	Recipient  CustomerAddress
	// Watermark, when set (Messenger and Instagram read and delivery
	// webhooks), means every message sent to Recipient on Inbox up to this
	// instant reached Status; ExternalID is then empty, or one of the
	// messages it covers.
	Watermark time.Time
	// RecipientUserID is the recipient's BSUID (WhatsApp), when given.
	RecipientUserID string
	Errors          []PlatformError
	// Reason classifies a failed status (from Errors) for the agent.
	Reason FailureReason
	// Pricing is what Meta says the message costs; nil when the status
	// carries no pricing object (see cost.go).
	Pricing *Pricing
}

// File is bytes with a name and a type, moving between platforms.
type File struct {
	Name     string
	MimeType string
	Data     []byte
}

// CustomerChannel sends to customers. Delivery jobs call it, one call per
// delivery, never inside a database transaction. Implementations return
// *DeliveryError to say whether a failure is worth retrying.
type CustomerChannel interface {
	// SendText sends free text (only valid inside the 24-hour window) and
	// returns the platform's id of the new message. Options say what the
	// message answers (Quoting).
	SendText(ctx context.Context, inbox InboxID, to CustomerAddress, text string, opts ...SendOption) (externalID string, err error)
	// SendMedia uploads the file and sends it by id, with an optional caption.
	SendMedia(ctx context.Context, inbox InboxID, to CustomerAddress, file File, caption string, opts ...SendOption) (externalID string, err error)
	// SendTemplate sends an approved template (valid outside the window);
	// msg is already in Meta's shape (templates.Build).
	SendTemplate(ctx context.Context, inbox InboxID, to CustomerAddress, msg templates.Message) (externalID string, err error)
	// SendReaction reacts to one of the customer's messages; empty emoji removes it.
	SendReaction(ctx context.Context, inbox InboxID, to CustomerAddress, targetExternalID, emoji string) (externalID string, err error)
	// MarkRead marks the customer's message (and those before it) as read;
	// with typing, the customer also sees that someone is typing (WhatsApp
	// shows it until the next message or for 25 seconds). WhatsApp cannot
	// show typing without marking read.
	MarkRead(ctx context.Context, inbox InboxID, externalID string, typing bool) error
	// DownloadMedia fetches an attachment the customer sent.
	DownloadMedia(ctx context.Context, mediaID string) (File, error)
}

// ProfileReader is a customer channel that can read a customer's display
// name when its webhooks carry none (Messenger and Instagram name senders
// only by id). The bridge checks for it with a type assertion and calls it
// from a delivery (never while a webhook waits, never inside a
// transaction) when a contact has no name yet; a failure leaves the name
// empty.
type ProfileReader interface {
	CustomerName(ctx context.Context, inbox InboxID, address CustomerAddress) (string, error)
}

// SendOptions are what a send may say besides its content.
type SendOptions struct {
	// ReplyTo is the external id (wamid) of the customer's message this
	// one answers; WhatsApp shows it quoted above (context.message_id).
	ReplyTo string
	// HumanAgent marks a person's reply sent after the channel's standard
	// window closed but inside its human-agent allowance (Messenger and
	// Instagram: messaging_type MESSAGE_TAG, tag HUMAN_AGENT). Channels
	// without one ignore it.
	HumanAgent bool
	// InReplyTo and Subject keep an e-mail reply in the customer's
	// thread: the Message-ID of the customer's latest e-mail (In-Reply-To,
	// References) and its subject ("Re: …"). Other channels ignore them.
	InReplyTo string
	Subject   string
	// Automatic marks a text the bridge sends on its own (away message,
	// survey thanks, the first-line assistant's answers), not a person's
	// reply. E-mail marks such mail Auto-Submitted: auto-replied (RFC
	// 3834) so the customer's autoresponder does not answer it (a mail
	// loop); other channels ignore it.
	Automatic bool
}

// SendOption sets one of SendOptions.
type SendOption func(*SendOptions)

// Quoting makes a send answer the customer's message externalID ("" is
// no quote).
func Quoting(externalID string) SendOption {
	return func(o *SendOptions) { o.ReplyTo = externalID }
}

// AsHumanAgent marks a send as a person's reply under the channel's
// human-agent allowance (SendOptions.HumanAgent).
func AsHumanAgent() SendOption {
	return func(o *SendOptions) { o.HumanAgent = true }
}

// AsAutomatic marks a send as the bridge's own text
// (SendOptions.Automatic).
func AsAutomatic() SendOption {
	return func(o *SendOptions) { o.Automatic = true }
}

// InEmailThread keeps an e-mail reply in the thread of the customer's
// message inReplyTo, under subject (SendOptions.InReplyTo).
func InEmailThread(inReplyTo, subject string) SendOption {
	return func(o *SendOptions) { o.InReplyTo, o.Subject = inReplyTo, subject }
}

// ApplySendOptions folds opts, for implementations of CustomerChannel.
func ApplySendOptions(opts []SendOption) SendOptions {
	var o SendOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// ---------------------------------------------------------------------------
// Agent side (Slack, Discord)

// AgentMessage is a message a person wrote in a workspace channel. Adapters
// drop their own bot's messages and other bots' before calling the bridge.
type AgentMessage struct {
	Workspace WorkspaceKind
	// EventID is the platform's delivery id (Slack event_id); a retry of the
	// same delivery carries the same id and changes nothing.
	EventID   string
	ChannelID string
	ThreadKey string // the thread the message is in; empty outside threads
	// ThreadAt is when the thread's parent message was posted (zero if the
	// adapter cannot tell); a reply to a very new thread we do not know yet
	// may be racing our own record of it.
	ThreadAt   time.Time
	MessageKey string // the message's own id (Slack ts)
	// SentAt is when the platform says the message was posted (Slack ts,
	// Discord snowflake), zero if the adapter cannot tell. Replies reach
	// the customer in this order, not in the order they arrived here.
	SentAt   time.Time
	AuthorID string // workspace user id
	// Text is plain text in WhatsApp formatting: the adapter has already
	// turned mentions, links and entities into readable text.
	Text  string
	Files []AgentFile
	// Mentions are the workspace user ids mentioned in the message, in
	// order, so text commands such as "!transfer @ana" can name people.
	Mentions []string
	// QuotedKey is the key of the thread message this one answers (a
	// Discord reply's message reference; Slack's "Reply to this message"
	// shortcut), "" for none. A reply quoting a customer message goes out
	// quoting it on WhatsApp (context.message_id).
	QuotedKey string
	// ReplyHandle is opaque to the bridge: what the adapter needs to
	// answer AuthorID privately (a Discord interaction's token). It is
	// carried in the deliveries that tell AuthorID something, so any
	// replica can use it (see PrivateReplier); empty for plain messages.
	ReplyHandle string
	// Roles and Guest describe the author for membership (membership.go).
	Roles []string
	Guest bool
	// Lang is the author's client language when the platform says
	// (Discord's interaction locale); private answers to them are in it
	// when supported (author_language.go).
	Lang string
}

// AgentFile is a file an agent attached; fetched with DownloadFile.
type AgentFile struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	MimeType string `json:"mime_type"`
	URL      string `json:"url"`
	Size     int64  `json:"size"` // as the workspace declared it
	// MaxBytes is the most DownloadFile may read (0: DefaultMaxFileBytes);
	// the bridge sets it from the customer channel's limit for the type.
	MaxBytes int64 `json:"-"`
}

// Verb is an action an agent takes on a conversation.
type Verb string

const (
	VerbClaim   Verb = "claim"
	VerbUnclaim Verb = "unclaim"
	VerbResolve Verb = "resolve"
	VerbReopen  Verb = "reopen"
	// VerbTransfer on a card opens a picker in the workspace; the choice
	// arrives as the thread command "!transfer @agent|team [reason]".
	VerbTransfer Verb = "transfer"
	// VerbTemplate on a card or a private message opens the workspace's
	// template picker for the conversation (a Slack modal, Discord's
	// /template); Value may carry a language to filter by. The chosen
	// template arrives as the thread command "!template name p1 | p2".
	VerbTemplate Verb = "template"
	// VerbSend on a private preview sends what it previewed (Value names
	// it, e.g. "canned:refund"), as the person who pressed it.
	VerbSend Verb = "send"
	// VerbSuggest asks the assistant for a draft reply (the card's
	// "Suggest reply", a draft's "Try again"); the draft is shown to the
	// presser only (assist_agent.go).
	VerbSuggest Verb = "suggest"
	// VerbEditDraft on a draft opens a form with its text (a Slack or
	// Discord modal, prefilled through Drafts); submitting it arrives as
	// VerbSend with the same Value and the edited AgentAction.Text.
	VerbEditDraft Verb = "edit_draft"
	// VerbDiscard drops a draft (Value names it).
	VerbDiscard Verb = "discard"
)

// DraftSendPrefix starts the Value of a draft's buttons ("draft:42"):
// Send, Edit and Discard name the stored draft, never carry its text.
const DraftSendPrefix = "draft:"

// PrivateAction is a button on a private message (TellPrivately). Pressing
// it produces an AgentAction with this Verb and Value for the conversation
// of the thread the message was shown in; only the person it was shown to
// can press it.
type PrivateAction struct {
	// Conversation is filled in by the bridge when it enqueues the tell.
	Conversation ConversationID
	Verb         Verb
	Label        string
	Value        string // at most 60 bytes, opaque to the adapter
	Primary      bool
}

// AgentAction is a button pressed on a status card.
type AgentAction struct {
	Workspace      WorkspaceKind
	EventID        string // dedupe key when the platform gives one (may be empty)
	ConversationID ConversationID
	Verb           Verb
	// Value is the PrivateAction's value when the button was on a
	// private message ("" for card buttons).
	Value string
	// Text is what the person wrote in a form the action came from (an
	// edited draft sent from its modal); "" for buttons.
	Text      string
	ActorID   string
	ChannelID string
	ThreadKey string
	// ReplyHandle is as in AgentMessage, for ActorID.
	ReplyHandle string
	// Roles and Guest describe the actor for membership (membership.go).
	Roles []string
	Guest bool
	// Lang is as in AgentMessage, for ActorID.
	Lang string
}

// AgentCommand is a slash command typed in a channel (/switchboard …).
type AgentCommand struct {
	Workspace WorkspaceKind
	ChannelID string
	UserID    string
	Text      string // everything after the command name
	// Roles and Guest describe the user for membership (membership.go).
	Roles []string
	Guest bool
	// Lang is the asker's client language when the platform says
	// (Discord's interaction locale, "es-ES"); the answer is in it when
	// supported, else in the team's language.
	Lang string
}

// ErrThreadNotReady is returned by HandleAgentMessage for a reply in a
// thread opened moments ago that is not recorded yet (the reply raced the
// card); the adapter answers so that the platform retries.
var ErrThreadNotReady = errors.New("thread not recorded yet; retry")

// CustomerInbound is what the customer-channel adapter calls. Returning nil
// means the facts are durably stored; an error means the adapter must answer
// so that the platform retries (5xx).
type CustomerInbound interface {
	HandleCustomerWebhook(ctx context.Context, hook CustomerWebhook) error
}

// AgentInbound is what workspace adapters call, each after verifying the
// request. Returning nil means the facts are durably stored.
type AgentInbound interface {
	HandleAgentMessage(ctx context.Context, msg AgentMessage) error
	HandleAgentAction(ctx context.Context, act AgentAction) error
	// HandleAgentCommand answers a slash command; the reply is shown only to
	// the person who typed it.
	HandleAgentCommand(ctx context.Context, cmd AgentCommand) (reply string, err error)
	// HandleAgentEdit is a person editing a message of theirs in a thread
	// (Slack message_changed, Discord MESSAGE_UPDATE); agentedit.go.
	HandleAgentEdit(ctx context.Context, edit AgentEdit) error
	// HandleAgentDelete is a message deleted from a thread (Slack
	// message_deleted, Discord MESSAGE_DELETE); agentedit.go.
	HandleAgentDelete(ctx context.Context, del AgentDelete) error
	// HandleAgentReaction is a person adding or removing an emoji reaction
	// on a thread message (Slack reaction_added/removed, Discord
	// MESSAGE_REACTION_ADD/REMOVE); agentreaction.go. Adapters drop our
	// own bot's reactions (the status marks) before calling it.
	HandleAgentReaction(ctx context.Context, r AgentReaction) error
}

// AgentEdit is a thread message its author changed.
type AgentEdit struct {
	Workspace WorkspaceKind
	// EventID dedupes a platform retry (Slack event_id; Discord: the
	// message id and its edited_timestamp).
	EventID    string
	ChannelID  string
	ThreadKey  string
	MessageKey string // the edited message's own key
	AuthorID   string
	// Text is the new text, converted like AgentMessage.Text.
	Text     string
	Mentions []string
	EditedAt time.Time
	Roles    []string
	Guest    bool
}

// AgentDelete is a thread message that was deleted. Discord does not say
// who deleted it; Slack says whose message it was.
type AgentDelete struct {
	Workspace  WorkspaceKind
	EventID    string
	ChannelID  string
	ThreadKey  string // may be empty when the platform does not say
	MessageKey string
	AuthorID   string // may be empty
	DeletedAt  time.Time
}

// AgentReaction is an emoji reaction added to or removed from a thread
// message by a person.
type AgentReaction struct {
	Workspace WorkspaceKind
	EventID   string
	ChannelID string
	// ThreadKey may be empty (Slack's reaction events name the message,
	// not its thread); the bridge finds the message by MessageKey.
	ThreadKey  string
	MessageKey string
	UserID     string
	// Emoji is Unicode ("👍"); the adapter converts its platform's names.
	// A custom emoji that has no Unicode form arrives as "" and is ignored.
	Emoji   string
	Removed bool
	At      time.Time
	Roles   []string
	Guest   bool
}

// PostKind says who a thread post speaks for, so the adapter can style it.
type PostKind string

const (
	PostCustomer PostKind = "customer" // what the customer wrote
	PostSystem   PostKind = "system"   // the bridge speaking (failures, notices)
	// PostAssistant is the first-line assistant's answer to the customer,
	// shown in the thread marked 🤖 so agents can watch it.
	PostAssistant PostKind = "assistant"
)

// Post is a message the bridge writes into a thread.
type Post struct {
	Kind       PostKind
	AuthorName string // the customer's name for PostCustomer
	// Text is in WhatsApp formatting (*bold*, _italic_, ~strike~); the
	// adapter converts it and escapes what its platform needs escaped.
	// System texts may name workspace users as {@U123}; the adapter renders
	// each as a mention (see MentionToken).
	Text string
	// ReplyToKey is the key of the thread message this post answers (the
	// customer quoted one of our messages); an adapter that can show
	// replies natively (Discord's message reference) does, others rely on
	// the quote the bridge writes into Text.
	ReplyToKey string
}

// MentionToken writes a workspace user reference into a system text; the
// workspace adapter turns it into a real mention.
func MentionToken(userID string) string { return "{@" + userID + "}" }

// Card is the status card heading a thread. All texts are already
// translated by the bridge; the adapter only lays them out.
type Card struct {
	ConversationID ConversationID
	Title          string
	Fields         []CardField
	Buttons        []CardButton
	Links          []CardLink // earlier threads of the same customer, and the like
	Footer         string
}

// CardField is one labelled value on the card.
type CardField struct {
	Label string
	Value string
	// UserID, when set, is a workspace user the adapter renders as a
	// mention in place of Value.
	UserID string
	// At, when set, is an instant Value speaks of (when the customer's
	// 24-hour window closes). An adapter that can show instants natively,
	// so that they stay true between card updates, renders AtFormat with
	// its "%s" replaced by the instant (Discord <t:unix:R>, a live "in 3
	// hours"; Slack <!date^unix^…>, the reader's local time); others show
	// Value, the bridge's text as of the card's last update.
	At       time.Time
	AtFormat string
}

// CardButton is one button on the card; pressing it produces an AgentAction
// with this Verb and the card's ConversationID.
type CardButton struct {
	Verb  Verb
	Label string
	// Primary and Danger pick a style where the platform has styles.
	Primary bool
	Danger  bool
}

// CardLink points to another thread.
type CardLink struct {
	Label  string
	Thread ThreadRef
}

// Mark is a small status sign the bridge puts on a message in a thread.
type Mark string

const (
	MarkSent      Mark = "sent"
	MarkDelivered Mark = "delivered"
	MarkRead      Mark = "read"
	MarkFailed    Mark = "failed"
	MarkNote      Mark = "note" // an internal note, never sent to the customer
)

// AgentWorkspace writes into a team's channel. Delivery jobs call it, never
// inside a database transaction. Implementations return *DeliveryError to
// say whether a failure is worth retrying.
type AgentWorkspace interface {
	Kind() WorkspaceKind
	// OpenThread posts the card in the channel and returns where the
	// conversation's thread now lives (the thread hangs off the card).
	OpenThread(ctx context.Context, channelID string, card Card) (ThreadRef, error)
	// UpdateCard replaces the card's content in place.
	UpdateCard(ctx context.Context, thread ThreadRef, card Card) error
	// Post writes a message in the thread and returns its key.
	Post(ctx context.Context, thread ThreadRef, post Post) (messageKey string, err error)
	// PostFile uploads a file into the thread with an optional comment.
	PostFile(ctx context.Context, thread ThreadRef, file File, comment string) (messageKey string, err error)
	// SetMark shows mark on a message, replacing the previous one (which may
	// be empty); marks are how receipts and notes show.
	SetMark(ctx context.Context, thread ThreadRef, messageKey string, previous, mark Mark) error
	// React adds (or with remove, takes away) a customer's emoji reaction
	// to a message in the thread. emoji is Unicode.
	React(ctx context.Context, thread ThreadRef, messageKey, emoji string, remove bool) error
	// TellPrivately shows text only to userID, in the thread when possible,
	// with buttons for actions (none for a plain answer).
	TellPrivately(ctx context.Context, thread ThreadRef, userID, text string, actions ...PrivateAction) error
	// DownloadFile fetches a file an agent attached.
	DownloadFile(ctx context.Context, file AgentFile) (File, error)
	// Link returns a URL that opens the thread, for cards and notices.
	Link(thread ThreadRef) string
}

// PrivateReplier is an optional AgentWorkspace capability: telling a user
// something privately through the reply handle its adapter put on the
// message or click that prompted the answer (AgentMessage.ReplyHandle).
// The Tell delivery calls it instead of TellPrivately when it carries a
// handle; the adapter judges whether the handle is still usable and falls
// back to TellPrivately's way when not.
type PrivateReplier interface {
	TellPrivatelyVia(ctx context.Context, thread ThreadRef, userID, handle, text string, actions ...PrivateAction) error
}

// PostEditor is an optional AgentWorkspace capability: replacing the text
// of a message the bridge posted (a customer's message they later edited
// or deleted). Delivery jobs call it, never inside a transaction.
type PostEditor interface {
	EditPost(ctx context.Context, thread ThreadRef, messageKey string, post Post) error
}

// UserNamer is an optional AgentWorkspace capability: the name the
// workspace shows for one of its users (Slack's display name, a Discord
// member's nickname), for {{agent.name}} in canned responses. The bridge
// calls it outside transactions with a short deadline, while an agent
// waits for a preview or a send; implementations cache what they learn.
type UserNamer interface {
	UserName(ctx context.Context, userID string) (string, error)
}

// TemplateSource is an optional CustomerChannel capability: reading the
// message templates of a WhatsApp Business Account (every language and
// status). The bridge checks for it with a type assertion and calls it
// from SyncTemplates, outside any transaction; it changes nothing.
type TemplateSource interface {
	ListTemplates(ctx context.Context, account string) ([]templates.Template, error)
}

// PresenceReader is an optional AgentWorkspace capability: whether a user
// is active right now. The bridge polls it for team members so away agents
// get no new conversations.
type PresenceReader interface {
	Presence(ctx context.Context, userID string) (active bool, err error)
}

// ---------------------------------------------------------------------------
// Delivery errors

// FailureReason says in domain terms why a delivery failed; the bridge turns
// it into words an agent understands.
type FailureReason string

const (
	ReasonNone           FailureReason = ""
	ReasonOutsideWindow  FailureReason = "outside_window"  // 24-hour window closed: needs a template
	ReasonUndeliverable  FailureReason = "undeliverable"   // number not on WhatsApp, blocked, …
	ReasonTokenExpired   FailureReason = "token_expired"   // credentials must be replaced
	ReasonUnsupported    FailureReason = "unsupported"     // message type not supported
	ReasonInvalidRequest FailureReason = "invalid_request" // our request was wrong
	ReasonPolicy         FailureReason = "policy"          // spam or policy limit
	ReasonRateLimited    FailureReason = "rate_limited"
	ReasonMediaRejected  FailureReason = "media_rejected" // too big or wrong type
	ReasonNotInChannel   FailureReason = "not_in_channel" // the bot cannot post there
	ReasonTemporary      FailureReason = "temporary"      // retried and still failing
	ReasonHeld           FailureReason = "held"           // someone else took the conversation before it was sent
	// Template sends (WhatsApp 132xxx codes).
	ReasonTemplateParams   FailureReason = "template_params"   // parameter count or format mismatch (132000, 132012)
	ReasonTemplateMissing  FailureReason = "template_missing"  // no such template in that language (132001)
	ReasonTemplatePaused   FailureReason = "template_paused"   // paused for low quality (132015)
	ReasonTemplateDisabled FailureReason = "template_disabled" // disabled (132016)
	ReasonUnknown          FailureReason = "unknown"
)

// DeliveryError is returned by CustomerChannel and AgentWorkspace methods.
// A plain error (or a nil *DeliveryError) means "transient, retry with
// backoff".
type DeliveryError struct {
	// Permanent means retrying cannot help.
	Permanent bool
	// RetryAfter, when positive, is how long the platform asked us to wait.
	RetryAfter time.Duration
	Reason     FailureReason
	Code       string // the platform's own code, e.g. "131047", "ratelimited"
	Err        error
}

func (e *DeliveryError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("%s delivery error %s (%s): %v", kind, e.Code, e.Reason, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// AsDeliveryError finds a *DeliveryError in err's chain.
func AsDeliveryError(err error) (*DeliveryError, bool) {
	var de *DeliveryError
	if errors.As(err, &de) {
		return de, true
	}
	return nil, false
}

// ---------------------------------------------------------------------------
// Optional capabilities and the report source

// ReplyButton is one quick-reply button of an interactive message. The
// customer's press comes back as an InboundMessage of KindInteractive whose
// Interactive.ID is this ID.
type ReplyButton struct {
	ID    string `json:"id"`    // at most 256 characters, minted by the bridge
	Title string `json:"title"` // at most 20 characters (WhatsApp's limit)
}

// InteractiveSender is a CustomerChannel that can send a message with reply
// buttons (WhatsApp interactive "button", at most three). The bridge checks
// for it with a type assertion before offering a satisfaction survey.
// Delivery jobs call it, never inside a transaction; it is valid only
// inside the 24-hour window, like free text.
type InteractiveSender interface {
	SendButtons(ctx context.Context, inbox InboxID, to CustomerAddress, text string, buttons []ReplyButton) (externalID string, err error)
}

// ReportQuery asks for the supervisor figures of one team (or every team,
// Team "") and optionally one agent, over a period counted in the team's
// time zone.
type ReportQuery struct {
	Team  string
	Agent string // workspace user id; "" for the whole scope
	Inbox string // one business number's id; "" for every inbox
	// Channel ("messenger", …) and Label narrow to the conversations of
	// one customer channel and of the people carrying one label.
	Channel string
	Label   string
	// Period is "today", "yesterday", "7d" or "30d", counted at Now. From
	// and To, when set, replace it: local dates "YYYY-MM-DD", both days
	// included.
	Period   string
	From, To string
	// Now is the instant the period is counted from and the backlog
	// measured at; the bridge passes its own clock.
	Now     time.Time
	Lang    string
	ByAgent bool // one row per agent in the table
	Chart   bool // draw the digest chart too
}

// Report is what a Reporter answers: the figures as a monospace table
// (to be wrapped in a ``` block) and, when asked, a PNG chart.
type Report struct {
	Table    string
	Chart    []byte
	From, To time.Time // the period measured, [From, To)
}

// ErrBadPeriod is returned by a Reporter for a period it cannot read (an
// unknown name, a malformed date, From after To); the command tells the
// person how to write one.
var ErrBadPeriod = errors.New("bad period")

// Reporter computes supervisor metrics from the event log. The bridge calls
// it for /switchboard metrics and digests, outside any transaction; the
// application wires it to storage and bridge/report (which the bridge may
// not import).
type Reporter interface {
	Report(ctx context.Context, q ReportQuery) (Report, error)
}

// ---------------------------------------------------------------------------
// Pickers

// PickerQuery is a workspace adapter asking what to offer in a picker (a
// Slack modal's menu, a Discord autocomplete) to the person about to use
// it. The thread names the conversation; ConversationID may name it
// instead (a card button). A query from a team channel outside any thread
// (starting a conversation) names the channel only.
type PickerQuery struct {
	Workspace      WorkspaceKind
	ChannelID      string
	ThreadKey      string
	ConversationID ConversationID
	UserID         string
	Roles          []string
	Guest          bool
	// Search is what the person typed so far (autocomplete); "" for all.
	Search string
}

// TemplateChoices is what a template picker offers.
type TemplateChoices struct {
	Conversation ConversationID // 0 when starting a conversation
	// Language is the customer's language when known ("es"): pickers show
	// its templates first.
	Language  string
	Templates []templates.Template // approved only, sendable from here
	// Refusal, when set, is why the person may not send a template here
	// (in their language); Templates is then empty.
	Refusal string
}

// CannedChoice is one canned response a picker offers.
type CannedChoice struct {
	Name     string
	Language string
	Preview  string // the text as it would be sent in this conversation
	// Conversation is the one it would be sent in (the query's), for the
	// AgentAction a picker's choice becomes.
	Conversation ConversationID
}

// Drafts gives adapters the text of a stored draft reply (an AI
// suggestion) to prefill the form its Edit button opens, and its state
// after a Send or Discard, so that the adapter replaces the draft's
// message ("Sending…") or removes it only when the bridge actually sent
// or dropped it; a refused Send leaves it as it is (the bridge tells the
// agent why). The bridge implements it; only the agent the draft was made
// for may read it (ErrNotFound otherwise). It changes nothing.
type Drafts interface {
	DraftText(ctx context.Context, conv ConversationID, value, userID string) (string, error)
	DraftState(ctx context.Context, conv ConversationID, value, userID string) (DraftState, error)
}

// Picker answers pickers. The bridge implements it; adapters call it
// while drawing a modal or answering an autocomplete (so within Slack's
// and Discord's 3 seconds), outside any transaction. It changes nothing.
type Picker interface {
	TemplateChoices(ctx context.Context, q PickerQuery) (TemplateChoices, error)
	CannedChoices(ctx context.Context, q PickerQuery) ([]CannedChoice, error)
}
