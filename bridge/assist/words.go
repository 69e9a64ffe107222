package assist

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold lowercases text and strips accents ("Pérdida" → "perdida"), so
// the lexicon and the extraction compare words as people mean them.
func fold(text string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(text))
	if err != nil {
		return strings.ToLower(text)
	}
	return out
}

// words splits folded text into words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// stemRunes is how much of a word the extraction compares: a crude,
// language-independent stemmer ("reembolso", "reembolsos", "reembolsar").
const stemRunes = 5

// terms are the distinct content words of text, stemmed: words of three
// letters or more (short words are mostly function words in en, es, pt).
func terms(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words(text) {
		rs := []rune(w)
		if len(rs) < 3 {
			continue
		}
		if len(rs) > stemRunes {
			rs = rs[:stemRunes]
		}
		out[string(rs)] = true
	}
	return out
}

// sentences splits text into sentences, dropping Markdown headings,
// list markers and blank lines.
func sentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimLeft(line, "-*•> ")
		for line != "" {
			end := sentenceEnd(line)
			s := strings.TrimSpace(line[:end])
			if s != "" {
				out = append(out, s)
			}
			line = strings.TrimSpace(line[end:])
		}
	}
	return out
}

// sentenceEnd is the end of line's first sentence: after ". ", "! ",
// "? " (not inside "1.5" or "e.g.x"), or the line's end.
func sentenceEnd(line string) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '.', '!', '?':
			if i+1 == len(line) {
				return len(line)
			}
			if line[i+1] == ' ' {
				return i + 1
			}
		}
	}
	return len(line)
}
