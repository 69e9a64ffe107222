package bridge

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/switchboard/switchboard/bridge/assist"
)

// MaskPhone shows a customer's number the way agents need it: enough to
// recognise, not enough to copy. "34612345678" → "+34 6•• ••• •78".
func MaskPhone(digits string) string {
	if digits == "" {
		return ""
	}
	if IsBSUID(digits) {
		return MaskUserID(digits) // no phone number: never "+US.…" (identities.go)
	}
	formatted := "+" + digits
	if num, err := phonenumbers.Parse("+"+digits, ""); err == nil {
		formatted = phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	}
	// Keep the country code (before the first space), the first digit
	// after it and the last two digits.
	runes := []rune(formatted)
	space := strings.IndexRune(formatted, ' ')
	total := 0
	for _, r := range runes {
		if r >= '0' && r <= '9' {
			total++
		}
	}
	seen, keptAfterCC := 0, 0
	for i, r := range runes {
		if r < '0' || r > '9' {
			continue
		}
		seen++
		inCountryCode := space > 0 && i < space
		if inCountryCode {
			continue
		}
		if keptAfterCC < 1 {
			keptAfterCC++
			continue
		}
		if seen > total-2 {
			continue
		}
		runes[i] = '•'
	}
	return string(runes)
}

// card builds the status card of a conversation.
func (b *Bridge) card(conv Conversation, contact Contact, earlier []CardLink) Card {
	lang := b.language(conv.Team)
	name := customerLabel(contact, Text(lang, "card.unknown_customer")) // identities.go
	inbox := string(conv.Inbox)
	if in, ok := b.inboxes[conv.Inbox]; ok && in.Name != "" {
		inbox = in.Name
	}
	assignee := CardField{Label: Text(lang, "card.assignee"), Value: Text(lang, "card.nobody")}
	switch conv.Assignee {
	case "":
	case assist.AgentID:
		assignee.Value = Text(lang, "fl.card_assignee") // no workspace user to mention
	default:
		assignee.UserID, assignee.Value = conv.Assignee, conv.Assignee
	}
	c := Card{
		ConversationID: conv.ID,
		Title:          Text(lang, "card.title", name, int64(conv.ID)),
		Fields: append(append([]CardField{{Label: Text(lang, "card.customer"), Value: name}},
			identityFields(lang, conv.Channel, contact)...), // cardchannel.go
			CardField{Label: Text(lang, "card.channel"), Value: channelBadge(lang, conv.Channel)},
			CardField{Label: Text(lang, "card.inbox"), Value: inbox},
			CardField{Label: Text(lang, "card.team"), Value: conv.Team},
			CardField{Label: Text(lang, "card.state"), Value: Text(lang, "state."+string(conv.State))},
			assignee,
		),
		Links:  earlier,
		Footer: Text(lang, "card.footer", strings.Join(b.opts.NotePrefixes, " / ")),
	}
	if conv.State == StateResolved {
		c.Buttons = []CardButton{{Verb: VerbReopen, Label: Text(lang, "button.reopen")}}
		return c
	}
	now := b.now()
	if conv.Channel.Rules().Window > 0 {
		c.Fields = append(c.Fields, windowField(conv, lang, now))
	}
	// With the window closed a template is the only way to reach the
	// customer: the button says so by its style.
	template := CardButton{Verb: VerbTemplate, Label: Text(lang, "button.template"), Primary: !WindowOpen(conv, now)}
	if conv.Assignee == assist.AgentID {
		// Claiming takes over from the assistant (assist_firstline.go).
		c.Buttons = []CardButton{{Verb: VerbClaim, Label: Text(lang, "fl.button_takeover"), Primary: true}, template,
			{Verb: VerbTransfer, Label: Text(lang, "button.transfer")},
			{Verb: VerbResolve, Label: Text(lang, "button.resolve"), Danger: true}}
	} else if conv.Assignee != "" {
		c.Buttons = []CardButton{{Verb: VerbUnclaim, Label: Text(lang, "button.unclaim")}, template,
			{Verb: VerbTransfer, Label: Text(lang, "button.transfer")},
			{Verb: VerbResolve, Label: Text(lang, "button.resolve"), Danger: true}}
	} else {
		c.Buttons = []CardButton{{Verb: VerbClaim, Label: Text(lang, "button.claim"), Primary: true}, template,
			{Verb: VerbTransfer, Label: Text(lang, "button.transfer")},
			{Verb: VerbResolve, Label: Text(lang, "button.resolve"), Danger: true}}
	}
	if b.opts.Assistant != nil {
		// A draft only the presser sees (assist_agent.go).
		c.Buttons = append(c.Buttons, CardButton{Verb: VerbSuggest, Label: Text(lang, "button.suggest")})
	}
	c.Buttons = withoutTemplates(conv.Channel, c.Buttons) // cardchannel.go
	return c
}

// transferredCard is the card of a thread the conversation left: it says
// where it went and offers no buttons (they act in the new thread).
func (b *Bridge) transferredCard(conv Conversation, contact Contact, team string, earlier []CardLink) Card {
	c := b.card(conv, contact, earlier)
	lang := b.language(conv.Team)
	fields := c.Fields[:0]
	for _, f := range c.Fields {
		switch f.Label {
		case Text(lang, "card.state"):
			f.Value = Text(lang, "state.transferred", team)
		case windowLabel(lang, conv.Channel):
			continue // the new thread's card keeps the window up to date
		}
		fields = append(fields, f)
	}
	c.Fields = fields
	c.Buttons = nil
	return c
}

// inboundText renders what a customer sent as thread text, for every kind
// (media get this as the file's comment). Nothing is ever dropped: kinds we
// cannot show are named.
func inboundText(lang string, m InboundMessage) string {
	lines := channelContext(lang, m) // cardchannel.go: e-mail subject, Instagram story
	if m.Forwarded {
		lines = append(lines, "_"+Text(lang, "post.forwarded")+"_")
	}
	switch m.Kind {
	case KindText:
		lines = append(lines, m.Text)
	case KindImage, KindVideo, KindDocument, KindSticker, KindAudio:
		label := Text(lang, "post."+string(m.Kind))
		if m.Kind == KindAudio && m.Media != nil && m.Media.Voice {
			label = Text(lang, "post.voice")
		}
		if m.Media != nil && m.Media.Filename != "" {
			label += ": " + m.Media.Filename
		}
		lines = append(lines, label)
		if m.Text != "" {
			lines = append(lines, m.Text)
		}
	case KindLocation:
		lines = append(lines, locationText(lang, m.Location))
	case KindContacts:
		for _, c := range m.Contacts {
			line := Text(lang, "post.contact") + ": *" + c.Name + "*"
			if c.Org != "" {
				line += " (" + c.Org + ")"
			}
			for _, p := range c.Phones {
				line += "\n  📞 " + p
			}
			for _, e := range c.Emails {
				line += "\n  ✉️ " + e
			}
			lines = append(lines, line)
		}
	case KindInteractive, KindButton:
		lines = append(lines, Text(lang, "post.chose", m.Text))
	case KindOrder:
		lines = append(lines, Text(lang, "post.order"))
		if m.Text != "" {
			lines = append(lines, m.Text)
		}
	case KindSystem:
		text := m.Text
		if m.IdentityChange != nil {
			text = identityChangeText(lang, m.IdentityChange) // identities.go
		}
		lines = append(lines, Text(lang, "post.notice", text))
	case KindEdit:
		lines = append(lines, Text(lang, "post.edited", m.Text))
	case KindRevoke:
		lines = append(lines, Text(lang, "post.revoked"))
	case KindReaction:
		if m.Reaction != nil && m.Reaction.Emoji != "" {
			lines = append(lines, Text(lang, "post.reacted", m.Reaction.Emoji))
		} else {
			lines = append(lines, Text(lang, "post.unreacted"))
		}
	case KindUnsupported:
		detail := "unsupported"
		if len(m.Errors) > 0 {
			e := m.Errors[0]
			detail = strings.TrimSpace(fmt.Sprintf("%d %s", e.Code, firstNonEmpty(e.Details, e.Message, e.Title)))
		}
		lines = append(lines, Text(lang, "post.unsupported", detail))
	default:
		kind := rawType(m.Raw)
		if kind == "" || readableKind(MessageKind(kind)) {
			// A kind we know how to show, or no readable type at all: the
			// message itself did not decode (an undecodable item in a batch).
			lines = append(lines, Text(lang, "post.unreadable", firstNonEmpty(kind, string(m.Kind))))
			break
		}
		lines = append(lines, Text(lang, "post.unknown", kind))
	}
	return strings.Join(lines, "\n")
}

func locationText(lang string, l *Location) string {
	if l == nil {
		return Text(lang, "post.location")
	}
	text := Text(lang, "post.location")
	if l.Name != "" {
		text += ": *" + l.Name + "*"
	}
	if l.Address != "" {
		text += "\n" + l.Address
	}
	text += fmt.Sprintf("\nhttps://www.google.com/maps/search/?api=1&query=%.6f,%.6f", l.Latitude, l.Longitude)
	return text
}

// readableKind says whether switchboard shows messages of kind k.
func readableKind(k MessageKind) bool {
	switch k {
	case KindText, KindImage, KindAudio, KindVideo, KindDocument, KindSticker, KindLocation, KindContacts,
		KindInteractive, KindButton, KindReaction, KindOrder, KindSystem, KindEdit, KindRevoke, KindUnsupported:
		return true
	}
	return false
}

func rawType(raw json.RawMessage) string {
	var probe struct {
		Type string `json:"type"`
	}
	if len(raw) > 0 && json.Unmarshal(raw, &probe) == nil {
		return probe.Type
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
