package bridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// !merge (issue 12, review finding 4): a merge cannot be undone, so it
// names its target exactly and happens in two steps.
//
//	!merge 12            a private preview: both people's identities and
//	                     conversation counts, and how to confirm
//	!merge 12 confirm    the merge
//
// The target is a person id, a phone number or an e-mail address, never
// a name or a label (those may match someone else): mergeTargetOf.
//
// Who may merge: an agent of the conversation's team when the other
// person is one of the card's merge suggestions (same phone or e-mail) or
// has a conversation in a team the agent works in; a supervisor of the
// conversation's team in every other case.

// mergeTarget is what an agent's !merge argument names.
type mergeTarget struct {
	ID      int64          // a person id, or
	Query   contacts.Query // an exact phone or e-mail
	Confirm bool
	// Fuzzy: a name or label search, refused (it could match the wrong
	// person).
	Fuzzy bool
}

// maxBareID is the longest person id written without "#": from 7 digits
// on, bare digits are a phone number (the shortest numbers in use have 7
// digits); "#1234567" is person 1234567.
const maxBareID = 6

// mergeTargetOf reads a !merge argument:
//
//	#12, #1234567     a person id (any number of digits)
//	12 … 999999       a person id (up to 6 digits, no sign or separator)
//	+34 600 111 222   a phone number (a "+" always means a phone)
//	34600111222       a phone number (7 or more digits)
//	ana@example.com   an e-mail address, exactly
//
// and a trailing "confirm". Anything else is Fuzzy; "" is the zero value.
func mergeTargetOf(s string) mergeTarget {
	var t mergeTarget
	fields := strings.Fields(s)
	if n := len(fields); n > 1 && strings.EqualFold(fields[n-1], "confirm") {
		t.Confirm = true
		fields = fields[:n-1]
	}
	s = strings.Join(fields, " ")
	if s == "" {
		return mergeTarget{}
	}
	if rest, ok := strings.CutPrefix(s, "#"); ok {
		if n, err := strconv.ParseInt(rest, 10, 64); err == nil && n > 0 && isDigits(rest) {
			t.ID = n
			return t
		}
		t.Fuzzy = true
		return t
	}
	if isDigits(s) && len(s) <= maxBareID {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			t.ID = n
			return t
		}
	}
	q := contacts.ParseQuery(s)
	switch {
	case q.Phone != "" && (strings.HasPrefix(s, "+") || len(q.Phone) > maxBareID):
		t.Query = contacts.Query{Phone: q.Phone}
	case q.Email != "":
		t.Query = contacts.Query{Email: q.Email}
	default:
		t.Fuzzy = true
	}
	return t
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mergeFind finds the one person t names; found is false when none or
// several (a phone shared by two people) match.
func mergeFind(ctx context.Context, tx Tx, t mergeTarget) (contacts.Person, bool, error) {
	if t.ID != 0 {
		p, err := tx.GetPerson(ctx, PersonID(t.ID))
		if errors.Is(err, ErrNotFound) {
			return contacts.Person{}, false, nil
		}
		return p, err == nil, err
	}
	list, err := tx.FindPeople(ctx, t.Query, 2)
	if err != nil || len(list) != 1 {
		return contacts.Person{}, false, err
	}
	return list[0], true, nil
}

// mergeCommand previews or (confirmed) merges the person args names into
// the conversation's person p.
func (b *Bridge) mergeCommand(ctx context.Context, tx Tx, conv Conversation, p contacts.Person, who Standing, person Person,
	args string, now time.Time, changed func(map[string]string, string, string) error) error {
	lang := b.language(conv.Team)
	actor := person.ID
	tell := func(key string, a ...any) error {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, key, a...), now)
	}
	t := mergeTargetOf(args)
	switch {
	case t.Fuzzy:
		return tell("crm.merge_fuzzy", strings.TrimSpace(args))
	case t.ID == 0 && t.Query.Empty():
		return tell("crm.merge_usage")
	}
	other, found, err := mergeFind(ctx, tx, t)
	if err != nil {
		return err
	}
	switch {
	case !found:
		return tell("crm.merge_none", strings.TrimSpace(args))
	case other.ID == p.ID:
		return tell("crm.merge_same")
	case !other.ErasedAt.IsZero():
		return tell("crm.merge_erased", other.ID)
	case other.MergedInto != 0:
		return tell("crm.merge_merged", other.ID, other.MergedInto)
	}
	if ok, err := b.mayMerge(ctx, tx, p, other, who, person); err != nil || !ok {
		return errOr(err, func() error { return tell("crm.merge_supervisor", other.ID) })
	}
	if !t.Confirm {
		return b.mergePreview(ctx, tx, conv, p, other, actor, lang, now)
	}
	if err := tx.MergePeople(ctx, PersonID(p.ID), PersonID(other.ID), now); errors.Is(err, ErrMergeRefused) {
		return tell("crm.merge_merged", other.ID, "?")
	} else if err != nil {
		return err
	}
	var idents []string
	for _, id := range other.Identities {
		idents = append(idents, identityText(id))
	}
	data := map[string]string{"merged_person": strconv.FormatInt(other.ID, 10)}
	if err := changed(data, contacts.ChangeContactMerged, fmt.Sprintf("merged %d", other.ID)); err != nil {
		return err
	}
	// Every open conversation of the merged identities shows the new
	// person on its card too.
	for _, ident := range other.Identities {
		convs, err := tx.ContactConversations(ctx, ContactID(ident.ContactID))
		if err != nil {
			return err
		}
		for _, c := range convs {
			if c.State != StateResolved {
				if err := b.enqueueCard(ctx, tx, c.ID, now); err != nil {
					return err
				}
			}
		}
	}
	return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "crm.merged", MentionToken(actor), other.ID, other.DisplayName(),
		strings.Join(idents, ", "), len(other.Labels), len(other.Attributes)), now)
}

// mayMerge says whether person may merge other into p: a supervisor of
// the conversation's team always; an agent when other is a merge
// suggestion of p's or has a conversation in a team the agent acts in.
func (b *Bridge) mayMerge(ctx context.Context, tx Tx, p, other contacts.Person, who Standing, person Person) (bool, error) {
	if who >= StandingSupervisor {
		return true, nil
	}
	suggested, err := tx.MergeCandidates(ctx, PersonID(p.ID))
	if err != nil {
		return false, err
	}
	if slices.ContainsFunc(suggested, func(c contacts.Person) bool { return c.ID == other.ID }) {
		return true, nil
	}
	convs, err := tx.PersonConversations(ctx, PersonID(other.ID), 50)
	if err != nil {
		return false, err
	}
	seen := map[string]bool{}
	for _, c := range convs {
		if seen[c.Conversation.Team] {
			continue
		}
		seen[c.Conversation.Team] = true
		s, err := b.standingIn(ctx, tx, b.team(c.Conversation.Team), person)
		if err != nil {
			return false, err
		}
		if s.mayAct() {
			return true, nil
		}
	}
	return false, nil
}

// mergePreview tells the actor privately what `!merge … confirm` would
// merge.
func (b *Bridge) mergePreview(ctx context.Context, tx Tx, conv Conversation, p, other contacts.Person, actor, lang string, now time.Time) error {
	line := func(x contacts.Person) (string, error) {
		convs, err := tx.PersonConversations(ctx, PersonID(x.ID), 1000)
		if err != nil {
			return "", err
		}
		idents := make([]string, 0, len(x.Identities))
		for _, id := range x.Identities {
			idents = append(idents, identityText(id))
		}
		return Text(lang, "crm.merge_person", x.ID, x.DisplayName(), orDash(strings.Join(idents, ", ")), len(convs)), nil
	}
	from, err := line(other)
	if err != nil {
		return err
	}
	into, err := line(p)
	if err != nil {
		return err
	}
	return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "crm.merge_preview", from, into, other.ID), now)
}
