package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// crmCard is what the status card shows of the conversation's person
// (issue 12): loaded with the card's other facts, rendered by withPerson.
type crmCard struct {
	loaded  bool
	person  contacts.Person
	convs   []PersonConversation // across every identity, newest first
	suggest []contacts.Suggestion
}

// cardConversations bounds how many of a person's conversations the card
// and the contact card look at: the newest ones are the useful ones.
const cardConversations = 20

// loadCRM reads the person of dc's contact, their conversations on other
// identities and merge suggestions. A contact without a person (a row
// from before people existed, not migrated) shows the plain card.
func (b *Bridge) loadCRM(ctx context.Context, tx Tx, dc *deliveryContext) error {
	if dc.contact.PersonID == 0 {
		return nil
	}
	p, err := tx.GetPerson(ctx, dc.contact.PersonID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	convs, err := tx.PersonConversations(ctx, PersonID(p.ID), cardConversations)
	if err != nil {
		return err
	}
	cands, err := tx.MergeCandidates(ctx, PersonID(p.ID))
	if err != nil {
		return err
	}
	dc.crm = crmCard{loaded: true, person: p, convs: convs, suggest: contacts.Suggestions(p, cands)}
	return nil
}

// withPerson adds the person to a conversation's card: the agent-given
// name, labels, stage and attributes, the person's other identities with
// links to their latest threads ("also on"), and a merge suggestion.
func (b *Bridge) withPerson(c Card, dc deliveryContext) Card {
	if !dc.crm.loaded {
		return c
	}
	lang := b.language(dc.conv.Team)
	p := dc.crm.person
	if p.Name != "" {
		c.Title = Text(lang, "card.title", p.Name, int64(dc.conv.ID))
		for i, f := range c.Fields {
			if f.Label == Text(lang, "card.customer") {
				c.Fields[i].Value = p.Name
			}
		}
	}
	if len(p.Labels) > 0 {
		c.Fields = append(c.Fields, CardField{Label: Text(lang, "crm.card_labels"), Value: strings.Join(p.Labels, ", ")})
	}
	if p.Stage != "" {
		c.Fields = append(c.Fields, CardField{Label: Text(lang, "crm.card_stage"), Value: p.Stage})
	}
	if len(p.Attributes) > 0 {
		c.Fields = append(c.Fields, CardField{Label: Text(lang, "crm.card_attributes"), Value: attrList(p.Attributes)})
	}
	// Also on: each other identity once, linked to its newest thread.
	var also []string
	seen := map[int64]bool{int64(dc.contact.ID): true}
	for _, pc := range dc.crm.convs {
		if seen[pc.Identity.ContactID] {
			continue
		}
		seen[pc.Identity.ContactID] = true
		also = append(also, identityText(pc.Identity))
		if !pc.Thread.IsZero() {
			c.Links = append(c.Links, CardLink{Label: Text(lang, "crm.card_also_link", identityText(pc.Identity), int64(pc.Conversation.ID),
				pc.Conversation.OpenedAt.Format("2006-01-02")), Thread: pc.Thread})
		}
	}
	for _, id := range p.Identities {
		if !seen[id.ContactID] {
			seen[id.ContactID] = true
			also = append(also, identityText(id))
		}
	}
	if len(also) > 0 {
		c.Fields = append(c.Fields, CardField{Label: Text(lang, "crm.card_also_on"), Value: strings.Join(also, ", ")})
	}
	if len(dc.crm.suggest) > 0 {
		s := dc.crm.suggest[0]
		c.Fields = append(c.Fields, CardField{Label: Text(lang, "crm.card_suggest_label"), Value: suggestionText(lang, s)})
	}
	return c
}

func suggestionText(lang string, s contacts.Suggestion) string {
	key := "crm.suggest_phone"
	if s.Same == "email" {
		key = "crm.suggest_email"
	}
	return Text(lang, key, s.PersonID, s.Name, s.PersonID)
}

// contactCardText is the contact card an agent asks for (!contact,
// /switchboard contact, /contact): who the person is, their identities,
// their newest conversations across channels with links to the threads,
// merge suggestions and the latest private notes. current is the
// conversation asked from (0 for none); it is marked.
func (b *Bridge) contactCardText(ctx context.Context, tx Tx, p contacts.Person, lang string, current ConversationID) (string, error) {
	convs, err := tx.PersonConversations(ctx, PersonID(p.ID), 5)
	if err != nil {
		return "", err
	}
	cands, err := tx.MergeCandidates(ctx, PersonID(p.ID))
	if err != nil {
		return "", err
	}
	notes, err := tx.PersonNotes(ctx, PersonID(p.ID), 3)
	if err != nil {
		return "", err
	}
	lines := []string{Text(lang, "crm.contact_title", p.DisplayName(), p.ID)}
	lines = append(lines, Text(lang, "crm.contact_stage", orDash(p.Stage)))
	lines = append(lines, Text(lang, "crm.contact_labels", labelList(lang, p.Labels)))
	lines = append(lines, Text(lang, "crm.contact_attrs", attrList(p.Attributes)))
	var idents []string
	for _, id := range p.Identities {
		idents = append(idents, identityText(id))
	}
	lines = append(lines, Text(lang, "crm.contact_idents", strings.Join(idents, ", ")))
	if len(convs) > 0 {
		lines = append(lines, Text(lang, "crm.contact_convs"))
	}
	for _, pc := range convs {
		link := ""
		if ws, ok := b.workspaces[pc.Thread.Workspace]; ok && !pc.Thread.IsZero() {
			link = ws.Link(pc.Thread)
		}
		here := ""
		if pc.Conversation.ID == current {
			here = " ←"
		}
		lines = append(lines, fmt.Sprintf("  • #%d %s · %s · %s %s%s", int64(pc.Conversation.ID), channelTitle(string(pc.Conversation.Channel)),
			pc.Conversation.OpenedAt.Format("2006-01-02"), Text(lang, "state."+string(pc.Conversation.State)), link, here))
	}
	for _, s := range contacts.Suggestions(p, cands) {
		lines = append(lines, "💡 "+suggestionText(lang, s))
	}
	for _, n := range notes {
		lines = append(lines, Text(lang, "crm.contact_note", n.CreatedAt.Format("2006-01-02"), MentionToken(n.Author), n.Body))
	}
	return strings.Join(lines, "\n"), nil
}

// contactCommand is /switchboard contact <+phone | e-mail | name |
// label:x>: the contact card of the person found, with their latest
// conversations across channels, shown only to the asker. Any agent may
// look a contact up; editing happens in a conversation's thread.
func (b *Bridge) contactCommand(ctx context.Context, tx Tx, cmd AgentCommand, args, lang string) (string, error) {
	teams, unknown, err := b.teamsOf(ctx, tx, cmd.person())
	if err != nil {
		return "", err
	}
	if len(teams) == 0 {
		return b.noTeam(lang, unknown), nil
	}
	q := contacts.ParseQuery(args)
	if q.Empty() {
		return Text(lang, "crm.contact_usage"), nil
	}
	found, err := tx.FindPeople(ctx, q, 6)
	if err != nil {
		return "", err
	}
	switch len(found) {
	case 0:
		return Text(lang, "crm.contact_none", strings.TrimSpace(args)), nil
	case 1:
		return b.contactCardText(ctx, tx, found[0], lang, 0)
	}
	lines := []string{Text(lang, "crm.contact_many", len(found))}
	for _, p := range found {
		lines = append(lines, fmt.Sprintf("  • #%d %s %s", p.ID, p.DisplayName(), labelList(lang, p.Labels)))
	}
	return strings.Join(lines, "\n"), nil
}

// personFacts are the labels and attributes of the contact's person, for
// routing a new conversation (contact_labels, contact_attributes rules).
func (b *Bridge) personFacts(ctx context.Context, tx Tx, contact Contact) ([]string, map[string]string, error) {
	if contact.PersonID == 0 {
		return nil, nil, nil
	}
	p, err := tx.GetPerson(ctx, contact.PersonID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("route: person of contact %d: %w", contact.ID, err)
	}
	return p.Labels, p.Attributes, nil
}

// cannedAttributes are the person's attributes for {{contact.<attribute>}}
// in canned responses. A failed read leaves them out (the variable is then
// reported missing in the preview); the transaction's next statement
// reports the failure itself.
func (b *Bridge) cannedAttributes(ctx context.Context, tx Tx, contact Contact) map[string]string {
	_, attrs, err := b.personFacts(ctx, tx, contact)
	if err != nil {
		b.log.Warn("contact attributes unavailable for a canned response", "contact", int64(contact.ID), "err", err)
		return nil
	}
	return attrs
}

// attributeNames are the declared contact attributes.
func (b *Bridge) attributeNames() []string { return b.opts.Contacts.AttributeNames() }
