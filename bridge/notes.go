package bridge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Note detection fails closed: an agent who types a note prefix meant a
// note, however the workspace dressed it up, and a note wrongly sent to a
// customer cannot be taken back while a reply wrongly kept as a note is
// visible (📝) and can be typed again. So before matching, prefixMatcher
// looks past what a person or a workspace puts in front of a word:
//
//   - Unicode space and format characters: no-break spaces, zero-width
//     characters, the BOM, \r\n, every Zs and Cf rune, also inside the
//     prefix ("no\u200bte:");
//   - markup around the prefix as the bridge receives it (WhatsApp style
//     *bold*, _italic_, ~strike~, `code`, which both adapters produce) and
//     raw Discord or Slack forms that may slip through (**, __, ||, ~~);
//   - quote markers (">", ">>>", Slack's escaped "&gt;") and list bullets;
//   - leading emoji, emoji sequences (skin tones, ZWJ, variation selectors)
//     and emoji shortcodes (Slack sends "📝" as ":memo:", Discord custom
//     emoji arrive as ":name:");
//   - case, with Unicode case folding, and compatibility forms (NFKC), so
//     "NOTE:" and full-width "ｎｏｔｅ：" match "note:".
//
// Spaces before a prefix's punctuation are allowed too: "note :" is a
// note. The prefix must still be there as typed: "notebook arrives
// tomorrow" and "note that we close at 5" are replies, and "📝 call back"
// without a prefix is a reply (the emoji alone is not a prefix).
type prefixMatcher struct {
	prefixes []string // normalised with foldText
	// lenient is for notes, where a doubt must end as a note: the prefix
	// is also found behind quote markers, bullets, emoji and a leading
	// @mention (matchAfterMention). A reply prefix is matched strictly,
	// behind nothing but spaces, invisible characters and markup: in a
	// note-by-default team "> reply: …" quotes a colleague and "📝 reply:"
	// is not a decision to send, and there a doubt must stay a note too.
	lenient bool
}

func newPrefixMatcher(prefixes []string, lenient bool) prefixMatcher {
	m := prefixMatcher{lenient: lenient}
	for _, p := range prefixes {
		if f := foldText(p); f != "" {
			m.prefixes = append(m.prefixes, f)
		}
	}
	return m
}

var folder = cases.Fold()

// foldText is the form prefixes are compared in: compatibility-normalised,
// case-folded, without format characters or spaces.
func foldText(s string) string {
	s = folder.String(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if ignorableInside(r) {
			return -1
		}
		return r
	}, s)
}

// match reports whether text starts with one of the prefixes once what
// may precede it is skipped, and returns the text after the prefix with
// the markup that wrapped the prefix ("*note:*") removed from its start.
func (m prefixMatcher) match(text string) (bool, string) {
	if len(m.prefixes) == 0 {
		return false, text
	}
	rest := text
	var opened []rune // markup runes skipped before the prefix, in order
	for guard := 0; guard < 64 && rest != ""; guard++ {
		for _, p := range m.prefixes {
			if end, ok := matchPrefix(rest, p); ok {
				return true, trimClosers(rest[end:], opened)
			}
		}
		n, markup := leadingIgnorable(rest)
		if n > 0 && !m.lenient && len(markup) == 0 && !spaceOrFormat(rest) {
			return false, text
		}
		if n == 0 {
			if m.lenient && strings.HasPrefix(rest, "@") {
				return m.matchAfterMention(text, rest)
			}
			return false, text
		}
		opened = append(opened, markup...)
		rest = rest[n:]
	}
	return false, text
}

// mentionWords is how many words after a leading @mention may stand
// before a prefix: names have several words ("@Ana María Souza note: …")
// and the adapters have already turned the mention into a plain name.
const mentionWords = 6

// matchAfterMention handles a message that starts with a mention of a
// colleague: "@Ana note: check the invoice" is a note to Ana, not a reply
// that tells the customer about Ana. The bridge no longer knows where the
// name ends, so a prefix starting any of the next few words of the first
// line counts. This fails closed: "@Ana please note: …" is kept as a note,
// visible as such and easy to send again with the reply prefix.
func (m prefixMatcher) matchAfterMention(text, rest string) (bool, string) {
	line, _, _ := strings.Cut(rest, "\n")
	words := 0
	for i, r := range line {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Zs, r) {
			continue
		}
		if words++; words > mentionWords {
			break
		}
		start := i + utf8.RuneLen(r)
		if strings.HasPrefix(rest[start:], "@") {
			continue // the next word is another mention: its own turn comes
		}
		if ok, body := m.match(rest[start:]); ok {
			return true, strings.TrimSpace(rest[:i]) + " " + body
		}
	}
	return false, text
}

// matchPrefix reports whether s begins with the folded prefix p, walking s
// rune by rune (so the byte length consumed in s is known even when NFKC
// or folding change lengths). Format characters are skipped anywhere and
// spaces before punctuation of the prefix.
func matchPrefix(s, p string) (int, bool) {
	got := ""
	for i, r := range s {
		if ignorableInside(r) {
			continue
		}
		if got != "" && len(got) < len(p) {
			next, _ := utf8.DecodeRuneInString(p[len(got):])
			if unicode.IsSpace(r) && unicode.IsPunct(next) {
				continue
			}
			// Markup inside the prefix: "*Note*: x", "`note`: x",
			// Discord's "**Note**: x" (arrives as "*Note*: x").
			if strings.ContainsRune(markupRunes, r) && r != next {
				continue
			}
		}
		got += foldText(string(r))
		if len(got) >= len(p) {
			if strings.HasPrefix(got, p) {
				return i + utf8.RuneLen(r), true
			}
			return 0, false
		}
		if !strings.HasPrefix(p, got) {
			return 0, false
		}
	}
	return 0, false
}

// ignorableInside: runes that never carry meaning in a prefix.
func ignorableInside(r rune) bool {
	return unicode.Is(unicode.Cf, r) || r == '\uFE0F' || r == '\uFE0E'
}

const markupRunes = "*_~`|"

// leadingIgnorable measures what may stand before a prefix at the start
// of s: spaces, format characters, markup, quote markers, bullets, emoji
// and emoji shortcodes. It returns the bytes to skip (0: nothing) and the
// markup runes among them.
func leadingIgnorable(s string) (int, []rune) {
	if strings.HasPrefix(s, "&gt;") {
		return len("&gt;"), nil
	}
	if n := shortcodeLen(s); n > 0 {
		return n, nil
	}
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case strings.ContainsRune(markupRunes, r):
		return size, []rune{r}
	case r == '>' || r == '•' || r == '◦' || r == '▪' || r == '-' || r == '+':
		return size, nil
	case unicode.IsSpace(r), unicode.Is(unicode.Zs, r), unicode.Is(unicode.Cf, r):
		return size, nil
	case isEmojiRune(r):
		return size, nil
	}
	return 0, nil
}

// spaceOrFormat reports whether s starts with a space or an invisible
// format character.
func spaceOrFormat(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Cf, r)
}

// isEmojiRune: pictographs and what joins or modifies them (skin tones,
// keycaps, variation selectors, regional indicators, tags).
func isEmojiRune(r rune) bool {
	return unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || unicode.Is(unicode.Mn, r) ||
		unicode.Is(unicode.Me, r) || (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0xE0020 && r <= 0xE007F)
}

// shortcodeLen measures an emoji shortcode such as ":memo:" or
// ":lock_with_ink_pen:" at the start of s (0: none).
func shortcodeLen(s string) int {
	if len(s) < 3 || s[0] != ':' {
		return 0
	}
	for i := 1; i < len(s) && i < 64; i++ {
		c := s[i]
		switch {
		case c == ':':
			if i == 1 {
				return 0
			}
			return i + 1
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '+':
		default:
			return 0
		}
	}
	return 0
}

// trimClosers removes from the start of rest the markup that closes what
// opened before the prefix ("*note:* text" → "text"), then spaces. Markup
// that was not opened before the prefix stays: "reply: *Hello*" keeps its
// bold.
func trimClosers(rest string, opened []rune) string {
	rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || ignorableInside(r) })
	for i := len(opened) - 1; i >= 0; i-- {
		r, size := utf8.DecodeRuneInString(rest)
		if r != opened[i] {
			break
		}
		rest = rest[size:]
	}
	return strings.TrimSpace(rest)
}

// isNote reports whether text is an internal note and returns the text
// without its prefix.
func (b *Bridge) isNote(text string) (bool, string) {
	return b.notes.match(text)
}

// isReply, for a team that takes notes by default, reports whether text
// carries a reply prefix and returns the text to send without it.
func (b *Bridge) isReply(text string) (bool, string) {
	return b.replies.match(text)
}
