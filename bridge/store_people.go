package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// ErrMergeRefused is returned by PeopleTx.MergePeople when either person
// is erased, merged already (perhaps by a concurrent merge), or they are
// the same person.
var ErrMergeRefused = errors.New("merge refused")

// PersonConversation is one conversation of a person, on any of their
// identities, with the thread it lives in now (Thread is zero before the
// thread is open).
type PersonConversation struct {
	Conversation Conversation
	Identity     contacts.Identity
	Thread       ThreadRef
}

// PeopleTx is the storage contract of the light CRM (issue 12,
// bridge/contacts, docs/contacts.md). Every change bumps the person's
// version, so the CRM webhook can order what it sends.
type PeopleTx interface {
	// GetPerson reads a person with identities, labels and attributes;
	// ErrNotFound. A merged person is returned as it is (MergedInto set).
	GetPerson(ctx context.Context, id PersonID) (contacts.Person, error)
	// PersonOfContact is GetPerson of the contact's person.
	PersonOfContact(ctx context.Context, id ContactID) (contacts.Person, error)
	// SetPersonName sets the agent-given name ("" clears it).
	SetPersonName(ctx context.Context, id PersonID, name string, now time.Time) error
	// AddLabel adds a normalised label; added is false when it was there.
	AddLabel(ctx context.Context, id PersonID, label string, now time.Time) (added bool, err error)
	// RemoveLabel removes a label; removed is false when it was not there.
	RemoveLabel(ctx context.Context, id PersonID, label string, now time.Time) (removed bool, err error)
	// SetAttribute stores a canonical value (contacts.Schema.Parse).
	SetAttribute(ctx context.Context, id PersonID, name, value string, now time.Time) error
	// ClearAttribute removes one; cleared is false when it was not set.
	ClearAttribute(ctx context.Context, id PersonID, name string, now time.Time) (cleared bool, err error)
	// SetStage stores a stage (contacts.Schema.Stage checked it).
	SetStage(ctx context.Context, id PersonID, stage string, now time.Time) error
	// AddPersonNote stores a private note and returns it with its id.
	AddPersonNote(ctx context.Context, n contacts.Note) (contacts.Note, error)
	// PersonNotes lists the newest limit notes, newest first.
	PersonNotes(ctx context.Context, id PersonID, limit int) ([]contacts.Note, error)
	// FindPeople lists up to limit people matching q (neither merged nor
	// erased), by id.
	FindPeople(ctx context.Context, q contacts.Query, limit int) ([]contacts.Person, error)
	// MergeCandidates lists the other people (neither merged nor erased)
	// with an identity sharing a phone number or an e-mail address with
	// one of id's; contacts.Suggestions decides what to show.
	MergeCandidates(ctx context.Context, id PersonID) ([]contacts.Person, error)
	// MergePeople moves from's identities, labels, attributes (into's win
	// on a clash), notes, name and stage (when into has none) to into and
	// marks from merged into it. Two concurrent merges touching one person
	// are settled by the database: the second gets ErrMergeRefused.
	MergePeople(ctx context.Context, into, from PersonID, now time.Time) error
	// PersonConversations lists the person's newest limit conversations
	// across every identity and channel, newest first, with their threads.
	PersonConversations(ctx context.Context, id PersonID, limit int) ([]PersonConversation, error)
}
