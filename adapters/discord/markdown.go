package discord

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboard/switchboard/adapters/internal/mention"
	"github.com/switchboard/switchboard/bridge"
)

// MaxMessageChars is Discord's limit on a message's content (characters).
const MaxMessageChars = 2000

// ToDiscord converts WhatsApp-formatted text (*bold*, _italic_, ~strike~,
// ```code``` and `code`) to Discord Markdown and escapes everything else
// Discord would interpret: stray markers, masked links, headings, lists,
// quotes, spoilers and every mention form (<@id>, <#id>, <@&id>, @everyone,
// @here). Code keeps its content; URLs pass through so they stay links.
// A customer can therefore never ping anyone, even before AllowedMentions
// (which Post also sets) is taken into account.
func ToDiscord(whatsApp string) string {
	var b strings.Builder
	b.Grow(len(whatsApp) + len(whatsApp)/8)
	for _, seg := range splitCode(whatsApp) {
		if seg.code {
			b.WriteString(seg.text)
			continue
		}
		b.WriteString(convertInline([]rune(seg.text), true))
	}
	return b.String()
}

type segment struct {
	text string
	code bool
}

// splitCode cuts text into code (```…``` or `…`) and prose segments. An
// unclosed marker is prose.
func splitCode(text string) []segment {
	var out []segment
	for text != "" {
		i := strings.IndexByte(text, '`')
		if i < 0 {
			break
		}
		fence := "`"
		if strings.HasPrefix(text[i:], "```") {
			fence = "```"
		}
		end := strings.Index(text[i+len(fence):], fence)
		if end < 0 || (fence == "`" && strings.ContainsRune(text[i+1:i+1+end], '\n')) || end == 0 {
			// Not code: keep the backtick as prose (escaped later).
			out = append(out, segment{text: text[:i+len(fence)]})
			text = text[i+len(fence):]
			continue
		}
		if i > 0 {
			out = append(out, segment{text: text[:i]})
		}
		stop := i + 2*len(fence) + end
		out = append(out, segment{text: text[i:stop], code: true})
		text = text[stop:]
	}
	if text != "" {
		out = append(out, segment{text: text})
	}
	return mergeProse(out)
}

func mergeProse(in []segment) []segment {
	var out []segment
	for _, s := range in {
		if n := len(out); n > 0 && !s.code && !out[n-1].code {
			out[n-1].text += s.text
			continue
		}
		out = append(out, s)
	}
	return out
}

var discordMarker = map[rune]string{'*': "**", '_': "*", '~': "~~"}

// convertInline converts and escapes one prose segment. lineStart says
// whether r starts at the beginning of a line.
func convertInline(r []rune, lineStart bool) string {
	var b strings.Builder
	atLine := lineStart
	for i := 0; i < len(r); i++ {
		c := r[i]
		if atLine {
			// Escape block syntax at the start of a line: headings, -#
			// subtext, quotes, lists ("- ", "* ", "1. ").
			j := i
			for j < len(r) && (r[j] == ' ' || r[j] == '\t') {
				j++
			}
			b.WriteString(string(r[i:j]))
			i = j
			if i >= len(r) {
				break
			}
			c = r[i]
			switch {
			case c == '#' || c == '>' || c == '-' || c == '+':
				b.WriteRune('\\')
			case unicode.IsDigit(c):
				k := i
				for k < len(r) && unicode.IsDigit(r[k]) {
					k++
				}
				if k+1 < len(r) && r[k] == '.' && r[k+1] == ' ' {
					b.WriteString(string(r[i:k]) + "\\.")
					i = k
					atLine = false
					continue
				}
			}
			atLine = false
		}
		if c == '\n' {
			b.WriteRune(c)
			atLine = true
			continue
		}
		if url := urlAt(r, i); url > 0 {
			b.WriteString(string(r[i : i+url]))
			i += url - 1
			continue
		}
		if m, ok := discordMarker[c]; ok {
			if end := closingMarker(r, i); end > 0 {
				b.WriteString(m)
				b.WriteString(convertInline(r[i+1:end], false))
				b.WriteString(m)
				i = end
				continue
			}
		}
		switch c {
		case '\\', '*', '_', '~', '`', '|', '[', ']', '<':
			b.WriteRune('\\')
			b.WriteRune(c)
		case '@':
			b.WriteRune('@')
			if hasWordAt(r, i+1, "everyone") || hasWordAt(r, i+1, "here") {
				b.WriteRune('\u200b') // zero-width space: never a mass mention
			}
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// closingMarker finds the end of a WhatsApp span opened by r[i]: the
// marker must follow a non-word character and precede a non-space, and
// the closing one must follow a non-space, precede a non-word character
// and be on the same line. It returns the closer's index or -1.
func closingMarker(r []rune, i int) int {
	m := r[i]
	if i > 0 && isWord(r[i-1]) {
		return -1
	}
	if i+1 >= len(r) || unicode.IsSpace(r[i+1]) || r[i+1] == m {
		return -1
	}
	for j := i + 2; j < len(r); j++ {
		if r[j] == '\n' {
			return -1
		}
		if r[j] == m && !unicode.IsSpace(r[j-1]) && (j+1 == len(r) || !isWord(r[j+1])) {
			return j
		}
	}
	return -1
}

func isWord(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

func hasWordAt(r []rune, i int, word string) bool {
	w := []rune(word)
	if i+len(w) > len(r) {
		return false
	}
	return strings.EqualFold(string(r[i:i+len(w)]), word)
}

// urlAt returns the length of an http(s) URL starting at r[i], or 0.
func urlAt(r []rune, i int) int {
	if i > 0 && isWord(r[i-1]) {
		return 0
	}
	if !hasWordAt(r, i, "https://") && !hasWordAt(r, i, "http://") {
		return 0
	}
	j := i
	for j < len(r) && !unicode.IsSpace(r[j]) && r[j] != '<' && r[j] != '>' {
		j++
	}
	// Trailing punctuation belongs to the sentence.
	for j > i && strings.ContainsRune(".,;:!?)*_~", r[j-1]) {
		j--
	}
	return j - i
}

// Escape escapes Discord Markdown and mentions in plain text (a name, a
// label) without converting any formatting.
func Escape(s string) string {
	var b strings.Builder
	for i, c := range s {
		switch c {
		case '\\', '*', '_', '~', '`', '|', '[', ']', '<':
			b.WriteRune('\\')
			b.WriteRune(c)
		case '@':
			b.WriteRune('@')
			rest := s[i+1:]
			if strings.HasPrefix(strings.ToLower(rest), "everyone") || strings.HasPrefix(strings.ToLower(rest), "here") {
				b.WriteRune('\u200b')
			}
		case '\n':
			b.WriteRune(' ')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// mentionToken matches bridge.MentionToken for Discord user ids
// (snowflakes: decimal digits).
var mentionToken = regexp.MustCompile(`\{@(\d{1,25})\}`)

// foreignToken is a bridge user reference that is not a Discord id: a
// Slack user named in a conversation transferred from a Slack team.
var foreignToken = regexp.MustCompile(`\{@([A-Za-z0-9]{1,40})\}`)

// RenderMentions turns the bridge's user references into Discord mentions
// and returns the ids mentioned (for AllowedMentions.Users). References to
// users of another workspace (Slack ids) cannot be mentions here; they
// are shown as "@id" rather than as raw tokens.
func RenderMentions(text string) (string, []string) {
	var ids []string
	for _, m := range mentionToken.FindAllStringSubmatch(text, -1) {
		ids = append(ids, m[1])
	}
	text = mentionToken.ReplaceAllString(text, "<@$1>")
	text = channelToken.ReplaceAllString(text, "<#$1>")
	return foreignToken.ReplaceAllString(text, "@$1"), ids
}

// channelToken matches bridge.ChannelToken for a Discord channel id.
var channelToken = regexp.MustCompile(`\{#(\d{1,25})\}`)

var (
	reUserMention    = regexp.MustCompile(`<@!?(\d+)>`)
	reRoleMention    = regexp.MustCompile(`<@&(\d+)>`)
	reChannelMention = regexp.MustCompile(`<#(\d+)>`)
	reCustomEmoji    = regexp.MustCompile(`<a?:(\w+):\d+>`)
	reTimestamp      = regexp.MustCompile(`<t:(-?\d+)(?::([tTdDfFR]))?>`)
	reCommand        = regexp.MustCompile(`</([\w -]+):\d+>`)
	reMaskedLink     = regexp.MustCompile(`\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)`)
	reAngleURL       = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	reBoldItalic     = regexp.MustCompile(`\*\*\*(\S(?:.*?\S)?)\*\*\*`)
	reBold           = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`)
	reUnderline      = regexp.MustCompile(`__(\S(?:.*?\S)?)__`)
	reItalicStar     = regexp.MustCompile(`(^|[^\w*])\*(\S(?:[^*\n]*?\S)?)\*`)
	reStrike         = regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`)
	reSpoiler        = regexp.MustCompile(`\|\|(.+?)\|\|`)
	reHeading        = regexp.MustCompile(`(?m)^#{1,3} +(.+)$`)
	reSubtext        = regexp.MustCompile(`(?m)^-# +`)
	reEscaped        = regexp.MustCompile(`\\([\\*_~` + "`" + `|\[\]<>#@:.\-+])`)
)

// FromDiscord turns an agent's Discord Markdown into WhatsApp text with
// only a user resolver; see ConvertDiscord.
func FromDiscord(text string, userName func(id string) string) string {
	return ConvertDiscord(text, Names{User: userName})
}

// Names resolves what a Discord message refers to, for ConvertDiscord.
// Each function may be nil or return "" when it does not know.
type Names struct {
	// User is a member's name: guild nickname, else global name, else
	// user name.
	User func(id string) string
	// Channel is a channel's name without "#".
	Channel func(id string) string
	// Role is a role's name without "@".
	Role func(id string) string
	// Everyone is the word @everyone and @here become (from the message
	// catalogue, in the team's language); "" drops them.
	Everyone string

	command bool // a text command: user mentions stay references
}

// ConvertDiscord turns an agent's Discord Markdown into WhatsApp text a
// customer can read: **bold** → *bold*, *italic* → _italic_, ~~strike~~ →
// ~strike~, headings → a bold line, "-#" subtext → plain, underline and
// spoilers lose their markers, "* " items → "- ", ">>> " quotes every
// line after it, masked links become "text (url)", custom emoji ":name:",
// timestamps a date, and mentions read as names ("@Ana", "#general",
// "@Sales"). A mention nobody can name is dropped with its space rather
// than shown as an id or "@someone". Code keeps its content literally;
// a code block loses its language tag, which WhatsApp would show as text.
//
// A text command ("!transfer <@id> …") is for the bridge, never the
// customer: its user mentions become the bridge's {@id} references, so
// the command names the person whatever their name looks like.
func ConvertDiscord(text string, n Names) string {
	n.command = strings.HasPrefix(strings.TrimSpace(text), "!")
	var b strings.Builder
	quoteRest := false
	for _, seg := range splitCode(text) {
		if seg.code {
			code := stripLanguage(seg.text)
			if quoteRest {
				code = strings.ReplaceAll(code, "\n", "\n> ")
			}
			b.WriteString(code)
			continue
		}
		prose := fromDiscordProse(seg.text, n)
		prose, quoteRest = blockQuotes(prose, quoteRest, b.Len() == 0 || strings.HasSuffix(b.String(), "\n"))
		b.WriteString(prose)
	}
	return dropUnnamed(b.String())
}

// stripLanguage drops the language tag of a ``` block ("```go\n…").
func stripLanguage(code string) string {
	if !strings.HasPrefix(code, "```") {
		return code
	}
	first, rest, ok := strings.Cut(code[3:], "\n")
	if ok && first != "" && !strings.ContainsAny(first, " `") {
		return "```\n" + rest
	}
	return code
}

// blockQuotes turns Discord's ">>> " (everything after it is quoted) into
// WhatsApp's "> " on each line. quoting says an earlier segment opened
// one; lineStart whether prose starts a line. It returns whether the
// quote continues into the next segment.
func blockQuotes(prose string, quoting, lineStart bool) (string, bool) {
	lines := strings.Split(prose, "\n")
	for i, line := range lines {
		atStart := i > 0 || lineStart
		if quoting {
			if atStart {
				lines[i] = "> " + line
			}
			continue
		}
		if !atStart {
			continue
		}
		if rest, ok := strings.CutPrefix(line, ">>> "); ok {
			quoting = true
			lines[i] = "> " + rest
		}
	}
	return strings.Join(lines, "\n"), quoting
}

// unnamed marks where a mention nobody could name was dropped (see
// mention.DropUnnamed).
const unnamed = mention.Unnamed

func dropUnnamed(s string) string { return mention.DropUnnamed(s) }

const boldMark = "\x00B\x00"

// name resolves id with fn, or "".
func name(fn func(string) string, id string) string {
	if fn == nil {
		return ""
	}
	return strings.TrimSpace(fn(id))
}

// reEveryone matches @everyone and @here typed as words.
var reEveryone = regexp.MustCompile(`(^|[^\w@])@(everyone|here)\b`)

// reListStar matches a "* " list item at a line start.
var reListStar = regexp.MustCompile(`(?m)^([ \t]*)[*+] `)

func fromDiscordProse(s string, n Names) string {
	// Escaped characters become placeholders so no rule below sees them.
	var escaped []string
	s = reEscaped.ReplaceAllStringFunc(s, func(m string) string {
		escaped = append(escaped, m[1:])
		return "\x00E" + strconv.Itoa(len(escaped)-1) + "\x00"
	})
	s = reUserMention.ReplaceAllStringFunc(s, func(m string) string {
		id := reUserMention.FindStringSubmatch(m)[1]
		if n.command {
			return bridge.MentionToken(id)
		}
		if nm := name(n.User, id); nm != "" {
			return "@" + nm
		}
		return unnamed
	})
	s = reRoleMention.ReplaceAllStringFunc(s, func(m string) string {
		if nm := strings.TrimPrefix(name(n.Role, reRoleMention.FindStringSubmatch(m)[1]), "@"); nm != "" {
			return "@" + nm
		}
		return unnamed
	})
	s = reChannelMention.ReplaceAllStringFunc(s, func(m string) string {
		if nm := strings.TrimPrefix(name(n.Channel, reChannelMention.FindStringSubmatch(m)[1]), "#"); nm != "" {
			return "#" + nm
		}
		return unnamed
	})
	s = reEveryone.ReplaceAllStringFunc(s, func(m string) string {
		lead := reEveryone.FindStringSubmatch(m)[1]
		if n.Everyone == "" {
			return lead + unnamed
		}
		return lead + n.Everyone
	})
	s = reCustomEmoji.ReplaceAllString(s, ":$1:")
	s = reCommand.ReplaceAllString(s, "/$1")
	s = reTimestamp.ReplaceAllStringFunc(s, func(m string) string {
		p := reTimestamp.FindStringSubmatch(m)
		sec, err := strconv.ParseInt(p[1], 10, 64)
		if err != nil {
			return m
		}
		layout := "2006-01-02 15:04 UTC"
		switch p[2] {
		case "d", "D":
			layout = "2006-01-02"
		case "t", "T":
			layout = "15:04 UTC"
		}
		return time.Unix(sec, 0).UTC().Format(layout)
	})
	s = reMaskedLink.ReplaceAllStringFunc(s, func(m string) string {
		p := reMaskedLink.FindStringSubmatch(m)
		if p[1] == p[2] {
			return p[2]
		}
		return p[1] + " (" + p[2] + ")"
	})
	s = reAngleURL.ReplaceAllString(s, "$1")
	s = reHeading.ReplaceAllStringFunc(s, func(m string) string {
		// A heading is bold already: bold inside it would close it.
		title := strings.ReplaceAll(reHeading.FindStringSubmatch(m)[1], "**", "")
		return boldMark + strings.TrimSpace(title) + boldMark
	})
	s = reSubtext.ReplaceAllString(s, "")
	s = reListStar.ReplaceAllString(s, "$1- ")
	s = reBoldItalic.ReplaceAllString(s, boldMark+"_${1}_"+boldMark)
	s = reBold.ReplaceAllString(s, boldMark+"$1"+boldMark)
	s = reUnderline.ReplaceAllString(s, "$1")
	s = reItalicStar.ReplaceAllString(s, "${1}_${2}_")
	s = reStrike.ReplaceAllString(s, "~$1~")
	s = reSpoiler.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, boldMark, "*")
	for i, e := range escaped {
		s = strings.Replace(s, "\x00E"+strconv.Itoa(i)+"\x00", e, 1)
	}
	return s
}

// SplitText cuts Discord Markdown into pieces of at most max characters,
// preferring line breaks, then spaces, never cutting a backslash escape.
// Formatting open at a cut (a ``` fence, **, ~~, *) is closed at the end
// of the piece and reopened at the start of the next, so it survives.
func SplitText(text string, max int) []string {
	if max < 32 {
		max = 32
	}
	r := []rune(text)
	var out []string
	var reopen string
	for {
		if reopen != "" {
			r = append([]rune(reopen), r...)
		}
		if len(r) <= max {
			return append(out, string(r))
		}
		budget := max - 16 // room to close what is open
		cut := runeCut(r, budget)
		piece := strings.TrimRight(string(r[:cut]), " ")
		rest := []rune(strings.TrimLeft(string(r[cut:]), " \n"))
		open := openFormatting(piece)
		var closing strings.Builder
		reopen = ""
		for i := len(open) - 1; i >= 0; i-- {
			if open[i] == "```" {
				closing.WriteString("\n```")
			} else {
				closing.WriteString(open[i])
			}
		}
		for _, m := range open {
			if m == "```" {
				reopen += "```\n"
			} else {
				reopen += m
			}
		}
		out = append(out, piece+closing.String())
		r = rest
		if len(r) == 0 {
			return out
		}
	}
}

// runeCut finds where to cut so the first piece has at most limit runes.
func runeCut(r []rune, limit int) int {
	lastNL, lastSpace := -1, -1
	for i := 0; i < limit; i++ {
		switch r[i] {
		case '\n':
			lastNL = i
		case ' ':
			lastSpace = i
		}
	}
	switch {
	case lastNL > limit/2:
		return lastNL + 1
	case lastSpace > limit/2:
		return lastSpace + 1
	}
	cut := limit
	// Do not separate a backslash from what it escapes.
	for cut > 1 && r[cut-1] == '\\' {
		cut--
	}
	return cut
}

// openFormatting lists the markers left open at the end of s, outermost
// first: a ``` fence, or outside code **, ~~ and *. Escaped markers and
// inline code are skipped.
func openFormatting(s string) []string {
	var open []string
	toggle := func(m string) {
		for i := len(open) - 1; i >= 0; i-- {
			if open[i] == m {
				open = append(open[:i], open[i+1:]...)
				return
			}
		}
		open = append(open, m)
	}
	inFence, inCode := false, false
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "```"):
			inFence = !inFence
			if inFence {
				open = append(open, "```")
			} else if n := len(open); n > 0 && open[n-1] == "```" {
				open = open[:n-1]
			}
			i += 2
		case inFence:
		case s[i] == '\\':
			i++
		case s[i] == '`':
			inCode = !inCode
		case inCode:
		case strings.HasPrefix(s[i:], "**"):
			toggle("**")
			i++
		case strings.HasPrefix(s[i:], "~~"):
			toggle("~~")
			i++
		case s[i] == '*':
			toggle("*")
		}
	}
	return open
}
