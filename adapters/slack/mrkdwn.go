package slack

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/switchboard/switchboard/adapters/internal/mention"
	"github.com/switchboard/switchboard/bridge"
)

// MaxMessageBytes is where Post splits long texts. Slack truncates at
// 40,000 characters but renders messages over ~4,000 poorly; we count bytes
// (never more than characters) so the limit holds for any script.
const MaxMessageBytes = 3900

// FromMrkdwn turns the text of a Slack message into WhatsApp text with
// only a user resolver; see ConvertMrkdwn.
func FromMrkdwn(text string, userName func(id string) string) string {
	return ConvertMrkdwn(text, Names{User: userName})
}

// Names resolves what a Slack message refers to, for ConvertMrkdwn. Each
// function may be nil or return "" when it does not know.
type Names struct {
	// User is a person's display name (users.info display_name, then
	// real_name).
	User func(id string) string
	// Channel is a channel's name without "#" (conversations.info).
	Channel func(id string) string
	// Everyone is the word @here, @channel and @everyone become (from the
	// message catalogue, in the team's language); "" drops them.
	Everyone string

	command bool // a text command: user mentions stay references
}

// ConvertMrkdwn turns the text of a Slack message into WhatsApp text a
// customer can read. Bold, italic, strike, inline code, ``` blocks and
// "> " quotes use the same markers on both platforms and pass through;
// the composer's "•", "◦" and "▪" bullets become "- " items (WhatsApp's
// list syntax); Slack's control sequences in angle brackets become
// readable words and the three HTML entities Slack escapes are unescaped.
// Mentions read as names: "@Ana Lima", "#general", "@support". A mention
// no resolver can name (and no label names) is dropped with its space
// rather than shown as an id or "@someone", so no workspace id ever
// reaches a customer.
//
// A text command ("!transfer <@U1> …") is for the bridge, never the
// customer: its user mentions become the bridge's {@U1} references, so
// the command names the person whatever their name looks like.
func ConvertMrkdwn(text string, n Names) string {
	if strings.HasPrefix(strings.TrimSpace(text), "!") {
		n.User = nil
		n.command = true
	}
	text = slackBullets(text)
	var b strings.Builder
	b.Grow(len(text))
	for {
		open := strings.IndexByte(text, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open:], '>')
		if end < 0 {
			break
		}
		b.WriteString(unescape(text[:open]))
		b.WriteString(controlSequence(text[open+1:open+end], n))
		text = text[open+end+1:]
	}
	b.WriteString(unescape(text))
	return dropUnnamed(b.String())
}

// slackBullets rewrites the bullets Slack's composer writes into a
// message's text ("• item", "    ◦ nested") as WhatsApp list items
// ("- item"), keeping the indentation, outside ``` blocks.
func slackBullets(text string) string {
	if !strings.ContainsAny(text, "•◦▪") {
		return text
	}
	lines := strings.Split(text, "\n")
	inFence := false
	for i, line := range lines {
		if !inFence {
			body := strings.TrimLeft(line, " \t")
			for _, bullet := range []string{"• ", "◦ ", "▪ "} {
				if rest, ok := strings.CutPrefix(body, bullet); ok {
					lines[i] = line[:len(line)-len(body)] + "- " + rest
					break
				}
			}
		}
		if strings.Count(line, "```")%2 == 1 {
			inFence = !inFence
		}
	}
	return strings.Join(lines, "\n")
}

// unnamed marks where a mention nobody could name was dropped (see
// mention.DropUnnamed).
const unnamed = mention.Unnamed

func dropUnnamed(s string) string { return mention.DropUnnamed(s) }

// controlSequence renders the inside of one <…> sequence.
func controlSequence(seq string, n Names) string {
	target, label, hasLabel := strings.Cut(seq, "|")
	label = strings.TrimSpace(unescape(label))
	switch {
	case strings.HasPrefix(target, "@"): // <@U123> or <@U123|name>
		if n.command {
			return bridge.MentionToken(target[1:])
		}
		if n.User != nil {
			if name := strings.TrimSpace(n.User(target[1:])); name != "" {
				return "@" + name
			}
		}
		if hasLabel && strings.TrimPrefix(label, "@") != "" {
			return "@" + strings.TrimPrefix(label, "@")
		}
		return unnamed
	case strings.HasPrefix(target, "#"): // <#C123|general>, <#C123|> or <#C123>
		if hasLabel && label != "" {
			return "#" + strings.TrimPrefix(label, "#")
		}
		if n.Channel != nil {
			if name := strings.TrimSpace(n.Channel(target[1:])); name != "" {
				return "#" + strings.TrimPrefix(name, "#")
			}
		}
		return unnamed
	case strings.HasPrefix(target, "!"): // <!here>, <!subteam^S1|@team>, <!date^…|fallback>
		name, _, _ := strings.Cut(target[1:], "^")
		switch name {
		case "here", "channel", "everyone":
			if n.Everyone != "" {
				return n.Everyone
			}
			return unnamed
		case "subteam":
			if strings.TrimPrefix(label, "@") != "" {
				return "@" + strings.TrimPrefix(label, "@")
			}
			return unnamed
		}
		if hasLabel && label != "" {
			return label
		}
		return unnamed
	}
	url := unescape(target)
	if !hasLabel || label == "" || label == url {
		return url
	}
	if addr, ok := strings.CutPrefix(url, "mailto:"); ok && addr == label {
		return label
	}
	return label + " (" + url + ")"
}

var (
	unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	escaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

func unescape(s string) string { return unescaper.Replace(s) }

// Escape escapes the three characters Slack treats as control characters.
// Every customer-supplied text goes through it, so a customer can never write
// <!channel>, <@U123> or a disguised <https://evil|link> into a workspace.
func Escape(s string) string { return escaper.Replace(s) }

// ToMrkdwn converts WhatsApp formatting to Slack mrkdwn. The two share
// *bold*, _italic_, ~strike~, ```code``` and "> " quotes, so conversion is
// escaping; Slack renders an escaped "&gt; " at a line start as a quote, the
// same way it delivers quotes typed by its own users.
func ToMrkdwn(whatsApp string) string { return Escape(whatsApp) }

// SplitText cuts text into pieces of at most max bytes, preferring line
// breaks, then spaces, and never cutting inside a UTF-8 sequence or an
// HTML entity. A ``` code block left open at a cut is closed at the end of
// one piece and reopened at the start of the next, so formatting survives.
func SplitText(text string, max int) []string {
	const fence = "```"
	if max < 16 {
		max = 16
	}
	var out []string
	reopen := false
	for {
		if reopen {
			text = fence + "\n" + text
		}
		if len(text) <= max {
			out = append(out, text)
			return out
		}
		budget := max - len(fence) - 1 // room to close a fence
		cut := cutPoint(text, budget)
		piece := strings.TrimRight(text[:cut], " ")
		rest := strings.TrimLeft(text[cut:], " \n")
		reopen = strings.Count(piece, fence)%2 == 1
		if reopen {
			piece += "\n" + fence
		}
		out = append(out, piece)
		text = rest
		if text == "" {
			return out
		}
	}
}

// cutPoint finds where to cut text so the first piece is at most limit bytes.
func cutPoint(text string, limit int) int {
	window := text[:limit]
	if i := strings.LastIndexByte(window, '\n'); i > limit/2 {
		return i + 1
	}
	if i := strings.LastIndexByte(window, ' '); i > limit/2 {
		return i + 1
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	// Do not split "&amp;" and friends: entities are at most 5 bytes.
	if amp := strings.LastIndexByte(text[:cut], '&'); amp >= 0 && cut-amp < 5 && !strings.Contains(text[amp:cut], ";") {
		cut = amp
	}
	if cut == 0 {
		cut = limit
	}
	return cut
}

// mentionToken matches bridge.MentionToken's "{@U123}".
var mentionToken = regexp.MustCompile(`\{@([A-Z0-9]{2,32})\}`)

// channelToken matches bridge.ChannelToken's "{#C123}".
var channelToken = regexp.MustCompile(`\{#([A-Z0-9]{2,32})\}`)

// RenderMentions turns the bridge's user and channel references into
// Slack mentions and channel links.
func RenderMentions(text string) string {
	return channelToken.ReplaceAllString(mentionToken.ReplaceAllString(text, "<@$1>"), "<#$1>")
}

// userMention matches <@U123> and <@U123|name> in Slack's raw text.
var userMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|[^>]*)?>`)

// Mentions returns the user ids mentioned in raw Slack text, in order.
func Mentions(text string) []string {
	var ids []string
	for _, m := range userMention.FindAllStringSubmatch(text, -1) {
		ids = append(ids, m[1])
	}
	return ids
}
