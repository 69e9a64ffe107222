package bridge

// Private answers in the author's language. A Discord interaction says
// which language its author's client speaks (AgentMessage.Lang,
// AgentAction.Lang). The many paths that tell the author something
// (refusals, previews, confirmations) write their texts in the team's
// language and queue them through enqueueTell; there, a text for the
// event's author is written again in the author's language: the
// catalogue entry it came from is recognised by its format, its values
// are kept. A text the catalogue did not make, or whose entry cannot be
// told apart, is left as it is.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

type authorLangKey struct{}

type authorLang struct{ user, lang string }

// withAuthorLanguage returns ctx carrying the language user's client
// speaks, when we ship texts in it.
func withAuthorLanguage(ctx context.Context, user, locale string) context.Context {
	lang, ok := SupportedLanguage(locale)
	if !ok || user == "" {
		return ctx
	}
	go formatsOnce.Do(compileFormats) // now, not inside the transaction that tells
	return context.WithValue(ctx, authorLangKey{}, authorLang{user: user, lang: lang})
}

// inAuthorLanguage is text for userID: in the author's language when ctx
// carries it for userID, unchanged otherwise.
func inAuthorLanguage(ctx context.Context, userID, text string) string {
	a, ok := ctx.Value(authorLangKey{}).(authorLang)
	if !ok || a.user != userID {
		return text
	}
	return retranslate(text, a.lang)
}

// format is one catalogue text, compiled to recognise what it made.
type format struct {
	key, lang string
	// re splits lazily, greedy greedily: a text they split differently
	// could have been made from different values, and is left alone.
	re, greedy *regexp.Regexp
	verbs      []byte // the verb of each placeholder, in order
	literal    int    // characters outside placeholders: how specific it is
}

var (
	formatsOnce sync.Once
	formats     []format
	verbRE      = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)
)

// minLiteral leaves out formats with too little fixed text to be told
// apart from other texts ("%s", "*%s*").
const minLiteral = 8

func compileFormats() {
	for key, entry := range catalog {
		for lang, f := range entry {
			pattern, verbs, literal, ok := formatPattern(f)
			if !ok || literal < minLiteral {
				continue
			}
			formats = append(formats, format{key: key, lang: lang, re: regexp.MustCompile(pattern),
				greedy: regexp.MustCompile(strings.ReplaceAll(pattern, `(.*?)`, `(.*)`)), verbs: verbs, literal: literal})
		}
	}
}

// formatPattern turns a fmt format into a regular expression matching
// what it prints; ok is false for verbs it does not read back.
func formatPattern(f string) (pattern string, verbs []byte, literal int, ok bool) {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	last := 0
	for _, loc := range verbRE.FindAllStringIndex(f, -1) {
		lit := f[last:loc[0]]
		b.WriteString(regexp.QuoteMeta(lit))
		literal += utf8.RuneCountInString(lit)
		verb := f[loc[1]-1]
		switch verb {
		case '%':
			b.WriteString("%")
			literal++
		case 's', 'v':
			b.WriteString(`(.*?)`)
			verbs = append(verbs, 's')
		case 'd':
			b.WriteString(`(-?[0-9]+)`)
			verbs = append(verbs, 'd')
		default:
			return "", nil, 0, false
		}
		last = loc[1]
	}
	rest := f[last:]
	b.WriteString(regexp.QuoteMeta(rest))
	literal += utf8.RuneCountInString(rest)
	b.WriteString(`$`)
	return b.String(), verbs, literal, true
}

// retranslate writes text, made from a catalogue entry in any language,
// in lang. The most specific matching entry wins; when two different
// entries match as specifically, the text is left alone.
func retranslate(text, lang string) string {
	formatsOnce.Do(compileFormats)
	var best *format
	var args []string
	tie := false
	for i := range formats {
		f := &formats[i]
		if best != nil && f.literal < best.literal {
			continue
		}
		m := f.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		if g := f.greedy.FindStringSubmatch(text); !slices.Equal(m, g) {
			continue // ambiguous values
		}
		switch {
		case best == nil || f.literal > best.literal:
			best, args, tie = f, m[1:], false
		case f.key != best.key:
			tie = true
		}
	}
	if best == nil || tie || best.lang == lang {
		return text
	}
	target, ok := catalog[best.key][lang]
	if !ok {
		return text
	}
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
		if best.verbs[i] == 'd' {
			if n, err := strconv.Atoi(a); err == nil {
				values[i] = n
			}
		}
	}
	if len(values) == 0 {
		return target
	}
	return fmt.Sprintf(target, values...)
}
