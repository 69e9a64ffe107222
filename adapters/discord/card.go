package discord

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Embed and component limits we stay under (Discord rejects the whole
// message with 50035 Invalid Form Body otherwise).
const (
	maxTitleChars       = 256
	maxFieldNameChars   = 256
	maxFieldValueChars  = 1024
	maxFields           = 25
	maxDescriptionChars = 4096
	maxFooterChars      = 2048
	maxButtonLabelChars = 80
	maxButtonsPerRow    = 5
	maxRows             = 5
	maxCustomIDChars    = 100
	maxThreadNameChars  = 100
	embedColor          = 0x5865F2
)

// customIDPrefix starts every custom_id we hand out, so clicks on other
// apps' components (or old formats) are recognised and refused.
const customIDPrefix = "sb:"

// CustomID is the custom_id of a card button: "sb:<verb>:<conversation>".
func CustomID(verb bridge.Verb, id bridge.ConversationID) string {
	s := customIDPrefix + string(verb) + ":" + id.String()
	if len(s) > maxCustomIDChars {
		s = s[:maxCustomIDChars]
	}
	return s
}

// ActionCustomID is the custom_id of a private action's button:
// "sb:<verb>:<conversation>/<value>". Values too long to fit are refused
// by the bridge's limit (60 bytes), so nothing is cut here.
func ActionCustomID(a bridge.PrivateAction) string {
	s := customIDPrefix + string(a.Verb) + ":" + a.Conversation.String()
	if a.Value != "" {
		s += "/" + a.Value
	}
	return s
}

// ParseActionCustomID reads a custom_id of a card button or a private
// action; value is "" for card buttons.
func ParseActionCustomID(s string) (verb bridge.Verb, id bridge.ConversationID, value string, err error) {
	conv, value, _ := strings.Cut(s, "/")
	verb, id, err = ParseCustomID(conv)
	return verb, id, value, err
}

// ActionComponents lays out private actions as one row of buttons.
func ActionComponents(actions []bridge.PrivateAction) []discordgo.MessageComponent {
	if len(actions) == 0 {
		return nil
	}
	var row discordgo.ActionsRow
	for _, a := range actions {
		if len(row.Components) == maxButtonsPerRow {
			break
		}
		style := discordgo.SecondaryButton
		if a.Primary {
			style = discordgo.PrimaryButton
		}
		label := strings.TrimSpace(a.Label)
		if label == "" {
			label = string(a.Verb)
		}
		row.Components = append(row.Components, discordgo.Button{
			Label: truncate(label, maxButtonLabelChars), Style: style, CustomID: ActionCustomID(a),
		})
	}
	return []discordgo.MessageComponent{row}
}

// ParseCustomID reads a custom_id CustomID produced.
func ParseCustomID(s string) (bridge.Verb, bridge.ConversationID, error) {
	rest, ok := strings.CutPrefix(s, customIDPrefix)
	if !ok {
		return "", 0, fmt.Errorf("custom_id %q: not ours", s)
	}
	verb, conv, ok := strings.Cut(rest, ":")
	if !ok || verb == "" {
		return "", 0, fmt.Errorf("custom_id %q: no verb", s)
	}
	id, err := bridge.ParseConversationID(conv)
	if err != nil || id <= 0 {
		return "", 0, fmt.Errorf("custom_id %q: bad conversation id", s)
	}
	return bridge.Verb(verb), id, nil
}

// CardEmbed lays out a status card as an embed: the title, the fields
// inline (UserID fields as <@id> mentions), links to other threads in the
// description, and the footer. link renders a thread URL; nil leaves links
// as labels. Every bridge text is escaped (customer names among them).
func CardEmbed(card bridge.Card, link func(bridge.ThreadRef) string) *discordgo.MessageEmbed {
	title := strings.TrimSpace(card.Title)
	if title == "" {
		title = "Conversation " + card.ConversationID.String()
	}
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: truncate(title, maxTitleChars), Color: embedColor}
	for _, f := range card.Fields {
		if len(e.Fields) == maxFields {
			break
		}
		value := Escape(f.Value)
		switch {
		case f.UserID != "":
			value = "<@" + f.UserID + ">"
		case !f.At.IsZero() && strings.Contains(f.AtFormat, "%s"):
			// A live countdown in every reader's client ("in 3 hours").
			value = strings.Replace(Escape(f.AtFormat), "%s", fmt.Sprintf("<t:%d:R>", f.At.Unix()), 1)
		}
		name := strings.TrimSpace(f.Label)
		if name == "" {
			name = "\u200b" // Discord needs a non-empty name
		}
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name: truncate(name, maxFieldNameChars), Value: truncate(value, maxFieldValueChars), Inline: true,
		})
	}
	var lines []string
	for _, l := range card.Links {
		label := Escape(strings.TrimSpace(l.Label))
		if label == "" {
			label = "thread"
		}
		if link != nil {
			if u := link(l.Thread); u != "" {
				label = "[" + label + "](" + u + ")"
			}
		}
		lines = append(lines, "• "+label)
	}
	if len(lines) > 0 {
		e.Description = truncate(strings.Join(lines, "\n"), maxDescriptionChars)
	}
	if footer := strings.TrimSpace(card.Footer); footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: truncate(footer, maxFooterChars)}
	}
	return e
}

// CardComponents lays out the card's buttons in action rows of five.
func CardComponents(card bridge.Card) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row discordgo.ActionsRow
	for _, b := range card.Buttons {
		label := strings.TrimSpace(b.Label)
		if label == "" {
			label = string(b.Verb)
		}
		style := discordgo.SecondaryButton
		switch {
		case b.Danger:
			style = discordgo.DangerButton
		case b.Primary:
			style = discordgo.PrimaryButton
		}
		row.Components = append(row.Components, discordgo.Button{
			Label: truncate(label, maxButtonLabelChars), Style: style, CustomID: CustomID(b.Verb, card.ConversationID),
		})
		if len(row.Components) == maxButtonsPerRow {
			rows = append(rows, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 {
		rows = append(rows, row)
	}
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	if rows == nil {
		rows = []discordgo.MessageComponent{} // an edit must clear old buttons
	}
	return rows
}

// CardState infers the conversation state a card shows from its buttons
// (the contract's Card has no state field): Reopen means resolved, Unclaim
// assigned, Claim pending. "" when it cannot tell.
func CardState(card bridge.Card) string {
	has := map[bridge.Verb]bool{}
	for _, b := range card.Buttons {
		has[b.Verb] = true
	}
	switch {
	case has[bridge.VerbReopen]:
		return "resolved"
	case has[bridge.VerbUnclaim]:
		return "assigned"
	case has[bridge.VerbClaim]:
		return "pending"
	}
	return ""
}

// threadName is the thread's (or forum post's) name.
func threadName(card bridge.Card) string {
	name := strings.Join(strings.Fields(card.Title), " ")
	if name == "" {
		name = "Conversation " + card.ConversationID.String()
	}
	return truncate(name, maxThreadNameChars)
}

// truncate shortens s to at most n characters, marking the cut with "…"
// and never leaving a dangling backslash escape.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	for len(r) > 0 && r[len(r)-1] == '\\' {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
