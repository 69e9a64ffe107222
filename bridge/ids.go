package bridge

import "strconv"

// ConversationID identifies a conversation in our database. Adapters carry it
// opaquely (in button values, for example) and hand it back to the bridge.
type ConversationID int64

func (id ConversationID) String() string { return strconv.FormatInt(int64(id), 10) }

// ParseConversationID reads an id that String produced.
func ParseConversationID(s string) (ConversationID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	return ConversationID(n), err
}

// ContactID identifies a customer in our database.
type ContactID int64

// PersonID identifies a person (the CRM's contact, bridge/contacts): one
// human with identities (Contact rows) on several channels.
type PersonID int64

// MessageID identifies one stored message (inbound, outbound, note or system).
type MessageID int64

// InboxID is the customer channel's own id of the business's inbox: the
// WhatsApp phone_number_id, the Facebook Page id (Messenger), the
// Instagram professional account id, the e-mail address of a mailbox.
// Only the channel's adapter interprets it; ids are unique across
// channels (the configuration checks).
type InboxID string

// CustomerAddress is the customer's id on the customer channel: the
// WhatsApp wa_id or BSUID, the Messenger PSID, the Instagram IGSID, the
// e-mail address. Only the channel's adapter interprets it.
type CustomerAddress string

// WorkspaceKind names an agent workspace implementation.
type WorkspaceKind string

const (
	WorkspaceSlack   WorkspaceKind = "slack"
	WorkspaceDiscord WorkspaceKind = "discord"
)

// ThreadRef says where a conversation lives in an agent workspace. Only the
// workspace adapter that produced it interprets ChannelID, ThreadKey and
// CardKey (for Slack: channel id, thread_ts and the card's ts).
type ThreadRef struct {
	Workspace WorkspaceKind `json:"workspace"`
	ChannelID string        `json:"channel_id"`
	ThreadKey string        `json:"thread_key"`
	CardKey   string        `json:"card_key"`
}

// IsZero reports whether the thread has not been opened yet.
func (t ThreadRef) IsZero() bool { return t.ThreadKey == "" }
