package bridge

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// The light CRM's thread commands (issue 12, docs/contacts.md). An agent
// of the conversation's team (or a supervisor) edits the person the
// conversation's contact belongs to:
//
//	!label add vip | !label remove vip | !label
//	!stage qualified
//	!attr plan=gold | !attr plan= (clears) | !attr
//	!name María López
//	!contact            the contact card, privately
//	!merge 12 | !merge +34600111222 | !merge ana@example.com   (a preview)
//	!merge 12 confirm   the merge itself (crm_merge.go)
//	!cnote prefers calls after 18:00   a private note about the person
//
// Every change is an event in the conversation's log (EventContact), a
// crmChanged record for the CRM webhook, and a card update; answers and
// refusals are told privately to the agent.

// EventContact is a change to the conversation's person; Data says what
// kind of change, never a value that could be personal ("label+",
// "stage=qualified", "attr plan", "name", "merged 12", …): the event log
// outlives an erase (storage/people_erase.go blanks it too, for rows
// written before). Stored: never rename it.
const EventContact = "contact_changed"

// crmVerbs are the thread commands handled by crmCommand.
var crmVerbs = map[string]bool{"label": true, "stage": true, "attr": true, "name": true, "contact": true, "merge": true, "cnote": true}

// isCRMCommand reports whether verb is one of the CRM's thread commands.
func isCRMCommand(verb string) bool { return crmVerbs[verb] }

// crmCommand runs one CRM thread command; the caller checked that actor
// may act in the conversation's team.
//
// who is actor's standing in the conversation's team and person the actor
// as the workspace described them: !merge needs both (crm_merge.go).
func (b *Bridge) crmCommand(ctx context.Context, tx Tx, conv Conversation, who Standing, person Person, verb, args string, now time.Time) error {
	actor := person.ID
	lang := b.language(conv.Team)
	tell := func(key string, a ...any) error {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, key, a...), now)
	}
	p, err := tx.PersonOfContact(ctx, conv.ContactID)
	if err != nil {
		return fmt.Errorf("person of conversation %d: %w", conv.ID, err)
	}
	if !p.ErasedAt.IsZero() {
		return tell("crm.erased")
	}
	id := PersonID(p.ID)
	schema := b.schema()
	changed := func(data map[string]string, kind, event string) error {
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventContact, Actor: actor, Data: event, At: now}); err != nil {
			return err
		}
		if err := b.crmChanged(ctx, tx, contacts.Change{Kind: kind, PersonID: p.ID, Conversation: int64(conv.ID), Actor: actor, At: now, Data: data}); err != nil {
			return fmt.Errorf("record CRM change of person %d: %w", p.ID, err)
		}
		return b.enqueueCard(ctx, tx, conv.ID, now)
	}
	switch verb {
	case "label":
		fields := strings.Fields(args)
		if len(fields) == 0 {
			return tell("crm.labels", labelList(lang, p.Labels))
		}
		op := strings.ToLower(fields[0])
		if (op != "add" && op != "remove" && op != "rm") || len(fields) < 2 {
			return tell("crm.label_usage")
		}
		label, err := contacts.NormalizeLabel(strings.Join(fields[1:], " "))
		if err != nil {
			return tell("crm.bad_label", contacts.MaxLabelLength)
		}
		if op == "add" {
			added, err := tx.AddLabel(ctx, id, label, now)
			if err != nil || !added {
				return errOr(err, func() error { return tell("crm.label_had", label) })
			}
			if err := changed(map[string]string{"label_added": label}, contacts.ChangeContactUpdated, "label+"); err != nil {
				return err
			}
			return tell("crm.label_added", label)
		}
		removed, err := tx.RemoveLabel(ctx, id, label, now)
		if err != nil || !removed {
			return errOr(err, func() error { return tell("crm.label_missing", label) })
		}
		if err := changed(map[string]string{"label_removed": label}, contacts.ChangeContactUpdated, "label-"); err != nil {
			return err
		}
		return tell("crm.label_removed", label)
	case "stage":
		if strings.TrimSpace(args) == "" {
			return tell("crm.stage_usage", orDash(p.Stage), strings.Join(schema.Stages, ", "))
		}
		stage, err := schema.Stage(args)
		if err != nil {
			return tell("crm.bad_stage", strings.TrimSpace(args), strings.Join(schema.Stages, ", "))
		}
		if err := tx.SetStage(ctx, id, stage, now); err != nil {
			return err
		}
		if err := changed(map[string]string{"stage": stage, "previous_stage": p.Stage}, contacts.ChangeContactUpdated, "stage="+stage); err != nil {
			return err
		}
		return tell("crm.stage_set", stage)
	case "attr":
		name, value, ok := strings.Cut(args, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if strings.TrimSpace(args) == "" {
			return tell("crm.attrs", attrList(p.Attributes))
		}
		if !ok || !contacts.ValidAttributeName(name) {
			return tell("crm.attr_usage")
		}
		if strings.TrimSpace(value) == "" {
			cleared, err := tx.ClearAttribute(ctx, id, name, now)
			if err != nil || !cleared {
				return errOr(err, func() error { return tell("crm.attr_unset", name) })
			}
			if err := changed(map[string]string{"attribute": name, "value": ""}, contacts.ChangeContactUpdated, "attr "+name+" cleared"); err != nil {
				return err
			}
			return tell("crm.attr_cleared", name)
		}
		v, err := schema.Parse(name, value)
		if err != nil {
			return tell("crm.bad_value", name, strings.TrimSpace(value), typeHint(lang, schema.Attribute(name)))
		}
		if err := tx.SetAttribute(ctx, id, name, v, now); err != nil {
			return err
		}
		if err := changed(map[string]string{"attribute": name, "value": v}, contacts.ChangeContactUpdated, "attr "+name); err != nil {
			return err
		}
		return tell("crm.attr_set", name, v)
	case "name":
		name := strings.TrimSpace(args)
		if name == "" || len(name) > contacts.MaxValueLength {
			return tell("crm.name_usage")
		}
		if err := tx.SetPersonName(ctx, id, name, now); err != nil {
			return err
		}
		if err := changed(map[string]string{"name": name}, contacts.ChangeContactUpdated, "name"); err != nil {
			return err
		}
		return tell("crm.name_set", name)
	case "cnote":
		body := strings.TrimSpace(args)
		if body == "" {
			return tell("crm.cnote_usage")
		}
		if _, err := tx.AddPersonNote(ctx, contacts.Note{PersonID: p.ID, Author: actor, Body: body, CreatedAt: now}); err != nil {
			return err
		}
		// A private note is the agents' own: it is logged, but it is not
		// a change the business's CRM is sent (docs/crm.md).
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventContact, Actor: actor, Data: "cnote", At: now}); err != nil {
			return err
		}
		return tell("crm.cnote_saved", p.DisplayName())
	case "contact":
		text, err := b.contactCardText(ctx, tx, p, lang, conv.ID)
		if err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, actor, text, now)
	case "merge":
		return b.mergeCommand(ctx, tx, conv, p, who, person, args, now, changed)
	}
	return nil
}

// schema is the configured CRM schema, with the default stages.
func (b *Bridge) schema() contacts.Schema {
	return contacts.NewSchema(b.opts.Contacts.Stages, b.opts.Contacts.Attributes)
}

func errOr(err error, otherwise func() error) error {
	if err != nil {
		return err
	}
	return otherwise()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func labelList(lang string, labels []string) string {
	if len(labels) == 0 {
		return Text(lang, "crm.none")
	}
	return "`" + strings.Join(labels, "` `") + "`"
}

func attrList(attrs map[string]string) string {
	if len(attrs) == 0 {
		return "—"
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + attrs[n]
	}
	return strings.Join(parts, ", ")
}

// typeHint says in the agent's language what an attribute accepts.
func typeHint(lang string, def contacts.AttributeDef) string {
	switch def.Kind {
	case contacts.KindNumber:
		return Text(lang, "crm.type_number")
	case contacts.KindDate:
		return Text(lang, "crm.type_date")
	case contacts.KindList:
		return Text(lang, "crm.type_list", strings.Join(def.Options, ", "))
	}
	return Text(lang, "crm.type_text", contacts.MaxValueLength)
}

// identityText names an identity for agents: its channel and a masked
// phone number, the username or e-mail address.
func identityText(id contacts.Identity) string {
	ch := channelTitle(id.Channel)
	switch {
	case id.Phone != "":
		return ch + " " + MaskPhone(id.Phone)
	case id.Username != "":
		return ch + " " + id.Username
	case id.Email != "":
		return ch + " " + id.Email
	}
	return ch
}

func channelTitle(ch string) string {
	switch ch {
	case "whatsapp", "":
		return "WhatsApp"
	case "instagram":
		return "Instagram"
	case "messenger":
		return "Messenger"
	case "email":
		return "E-mail"
	}
	return ch
}

// erasedContact reports whether c's personal data was erased: the erase
// replaces the address with "erased:<contact id>" (storage/people_erase.go).
func erasedContact(c Contact) bool { return strings.HasPrefix(string(c.Address), "erased:") }
