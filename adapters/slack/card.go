package slack

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// Block Kit limits we stay under (Slack rejects the whole message with
// invalid_blocks otherwise).
const (
	maxBlocks          = 50
	maxHeaderChars     = 150
	maxFieldsPerBlock  = 10
	maxFieldChars      = 2000
	maxButtonsPerBlock = 25
	maxButtonChars     = 75
	maxSectionChars    = 3000
	maxContextElements = 10
	maxContextChars    = 2000
)

// CardBlocks lays out a status card: a header with the title, the fields
// two to a row, a row of buttons, links to other threads and a footer.
// Texts come from the bridge (customer names among them), so every mrkdwn
// text is escaped. link renders a thread URL; nil leaves links as labels.
func CardBlocks(card bridge.Card, link func(bridge.ThreadRef) string) []slackapi.Block {
	var blocks []slackapi.Block
	title := truncate(strings.TrimSpace(card.Title), maxHeaderChars)
	if title == "" {
		title = "Conversation " + card.ConversationID.String()
	}
	blocks = append(blocks, slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, title, true, false)))

	// Slack lays section fields out in two columns.
	var fields []*slackapi.TextBlockObject
	for _, f := range card.Fields {
		text := Escape(f.Value)
		switch {
		case f.UserID != "":
			text = "<@" + f.UserID + ">"
		case !f.At.IsZero() && strings.Contains(f.AtFormat, "%s"):
			text = strings.Replace(Escape(f.AtFormat), "%s", slackDate(f.At), 1)
		}
		if label := strings.TrimSpace(f.Label); label != "" {
			text = "*" + Escape(label) + "*\n" + text
		}
		if strings.TrimSpace(text) == "" {
			continue // Slack rejects empty text objects
		}
		fields = append(fields, mrkdwn(truncate(text, maxFieldChars)))
		if len(fields) == maxFieldsPerBlock {
			blocks = append(blocks, slackapi.NewSectionBlock(nil, fields, nil))
			fields = nil
		}
	}
	if len(fields) > 0 {
		blocks = append(blocks, slackapi.NewSectionBlock(nil, fields, nil))
	}

	var buttons []slackapi.BlockElement
	for _, b := range card.Buttons {
		if len(buttons) == maxButtonsPerBlock {
			break
		}
		label := strings.TrimSpace(b.Label)
		if label == "" {
			label = string(b.Verb)
		}
		btn := slackapi.NewButtonBlockElement(ActionID(b.Verb), card.ConversationID.String(),
			slackapi.NewTextBlockObject(slackapi.PlainTextType, truncate(label, maxButtonChars), true, false))
		switch {
		case b.Danger:
			btn.WithStyle(slackapi.StyleDanger)
		case b.Primary:
			btn.WithStyle(slackapi.StylePrimary)
		}
		buttons = append(buttons, btn)
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slackapi.NewActionBlock("sb_actions", buttons...))
	}

	var links []slackapi.MixedElement
	for _, l := range card.Links {
		if len(links) == maxContextElements {
			break
		}
		label := Escape(strings.ReplaceAll(l.Label, "|", "¦"))
		if strings.TrimSpace(label) == "" {
			label = "thread"
		}
		text := label
		if link != nil {
			if u := link(l.Thread); u != "" {
				text = "<" + u + "|" + label + ">"
			}
		}
		links = append(links, mrkdwn(truncate(text, maxContextChars)))
	}
	if len(links) > 0 {
		blocks = append(blocks, slackapi.NewContextBlock("sb_links", links...))
	}
	if footer := strings.TrimSpace(card.Footer); footer != "" && len(blocks) < maxBlocks {
		blocks = append(blocks, slackapi.NewContextBlock("sb_footer", mrkdwn(truncate(Escape(footer), maxContextChars))))
	}
	if len(blocks) > maxBlocks {
		blocks = blocks[:maxBlocks]
	}
	return blocks
}

// slackDate shows an instant in each reader's own time zone ("today
// 14:05", "tomorrow 09:12"), with a UTC fallback for clients that cannot.
func slackDate(at time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", at.Unix(), at.UTC().Format("2006-01-02 15:04 UTC"))
}

// cardText is the notification and fallback text of a card message.
func cardText(card bridge.Card) string {
	if t := strings.TrimSpace(card.Title); t != "" {
		return Escape(t)
	}
	return "Conversation " + card.ConversationID.String()
}

func mrkdwn(text string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false)
}

// truncate shortens s to at most n characters, marking the cut with "…".
// A cut escaped entity ("&am…") would render oddly but cannot inject.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// actionBlocks lays out a private message with buttons: the text, then one
// actions block. Action ids get a "#n" suffix because Slack wants them
// unique within a block; parseInteraction drops it.
func actionBlocks(text string, actions []bridge.PrivateAction) []slackapi.Block {
	blocks := []slackapi.Block{slackapi.NewSectionBlock(
		slackapi.NewTextBlockObject(slackapi.MarkdownType, truncate(text, maxSectionChars), false, false), nil, nil)}
	var buttons []slackapi.BlockElement
	for i, a := range actions {
		if len(buttons) == maxButtonsPerBlock {
			break
		}
		label := strings.TrimSpace(a.Label)
		if label == "" {
			label = string(a.Verb)
		}
		btn := slackapi.NewButtonBlockElement(fmt.Sprintf("%s#%d", ActionID(a.Verb), i), ActionValue(a),
			slackapi.NewTextBlockObject(slackapi.PlainTextType, truncate(label, maxButtonChars), true, false))
		if a.Primary {
			btn.WithStyle(slackapi.StylePrimary)
		}
		buttons = append(buttons, btn)
	}
	return append(blocks, slackapi.NewActionBlock("sb_private", buttons...))
}
