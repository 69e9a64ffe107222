// Package contacts is the domain of switchboard's light CRM: people (what
// agents call contacts) with identities on several customer channels,
// their labels, typed attributes, pipeline stage and private notes, merge
// suggestions, and the shape of what leaves for a business's own CRM (the
// outbound webhook) or for the person themselves (export). It is pure: no
// I/O, and it does not import bridge; bridge stores and delivers what it
// decides.
//
// A person has one or more identities: bridge.Contact rows, each one
// address on one channel (a WhatsApp number or BSUID, a Messenger PSID, an
// Instagram IGSID, an e-mail address). A new identity is a new person;
// agents merge two people when they are one (!merge), and the bridge
// suggests it when a phone number or an e-mail address matches.
package contacts

import (
	"errors"
	"fmt"
	"time"
)

// Person is one human the business talks to, across channels.
type Person struct {
	ID int64
	// Name is the name an agent gave; "" shows DisplayName's fallback
	// (the identities' profile names).
	Name       string
	Stage      string
	Labels     []string          // sorted, lower case
	Attributes map[string]string // canonical values (Schema.Parse)
	Identities []Identity
	// MergedInto is the person this one was merged into (0 if none).
	MergedInto int64
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ErasedAt   time.Time // zero unless erased
}

// Identity is a person's address on one channel (a bridge.Contact row).
type Identity struct {
	ContactID int64
	Channel   string // "whatsapp", "messenger", "instagram", "email"
	Address   string
	Name      string // profile name the channel gave
	Phone     string // E.164 digits, no "+"
	Email     string
	Username  string // WhatsApp username
	UserID    string // WhatsApp BSUID
}

// Note is an agent's private note about a person (never sent).
type Note struct {
	ID        int64
	PersonID  int64
	Author    string // workspace user id
	Body      string
	CreatedAt time.Time
}

// DisplayName is what cards and lists call p: the agent-given name, else
// the first identity's profile name, else its username, phone or address.
func (p Person) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	for _, id := range p.Identities {
		switch {
		case id.Name != "":
			return id.Name
		case id.Username != "":
			return id.Username
		}
	}
	for _, id := range p.Identities {
		switch {
		case id.Phone != "":
			return "+" + id.Phone
		case id.Email != "":
			return id.Email
		case id.Address != "":
			return id.Address
		}
	}
	return fmt.Sprintf("#%d", p.ID)
}

// ---------------------------------------------------------------------------
// Schema: stages and attributes, from the configuration (contacts: …).

// AttributeKind is the type of a custom attribute.
type AttributeKind string

const (
	KindText   AttributeKind = "text"
	KindNumber AttributeKind = "number"
	KindDate   AttributeKind = "date" // YYYY-MM-DD
	KindList   AttributeKind = "list" // one of Options
)

// AttributeDef declares one custom attribute.
type AttributeDef struct {
	Name    string
	Kind    AttributeKind
	Options []string // KindList: the allowed values
}

// DefaultStages is the pipeline when the configuration names none.
var DefaultStages = []string{"lead", "qualified", "customer", "lost"}

// Schema is what the configuration allows: the pipeline's stages in
// order and the typed attributes. Attributes not declared are text.
type Schema struct {
	Stages     []string
	Attributes []AttributeDef
}

// Errors of Schema's checks, wrapped with the detail agents read.
var (
	ErrUnknownStage = errors.New("unknown stage")
	ErrBadValue     = errors.New("value does not fit the attribute's type")
)

// Change is one thing that changed about a person or one of their
// conversations, as the outbound CRM webhook reports it (docs/crm.md).
// The bridge records one in the same transaction as the change.
type Change struct {
	// Kind is stable (it is part of the webhook's contract): see the
	// Change* constants.
	Kind     string
	PersonID int64
	// Conversation is the conversation the change is about (0 for a
	// change of the person alone).
	Conversation int64
	Actor        string // workspace user id, "customer" or "switchboard"
	At           time.Time
	// Data is the kind's detail: the label, the stage, "plan=gold", the
	// merged person's id, the team…
	Data map[string]string
}

// Change kinds. They are part of the webhook's documented contract: never
// rename one.
const (
	ChangeContactCreated    = "contact.created"
	ChangeContactUpdated    = "contact.updated" // name, labels, attributes, stage
	ChangeContactMerged     = "contact.merged"
	ChangeContactErased     = "contact.erased"
	ChangeConversationOpen  = "conversation.opened"
	ChangeConversationAssig = "conversation.assigned"
	ChangeConversationXfer  = "conversation.transferred"
	ChangeConversationDone  = "conversation.resolved"
	// ChangeConversationReopen: the customer wrote again within the reopen
	// window, so a resolved conversation is open again (same id).
	ChangeConversationReopen = "conversation.reopened"
)
