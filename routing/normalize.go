package routing

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns text as every matcher sees it: lowercased, accents and
// other combining marks removed (compatibility forms folded too, so
// "ＤＥＶＯＬＵＣＩÓＮ" and "Devolución" both become "devolucion"), runs of
// white space collapsed to one space, leading and trailing space trimmed.
// Punctuation is kept so regular expressions can still see "#123" or "?".
// Normalize is idempotent: Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	if isPlainASCII(s) {
		return collapseSpace(strings.ToLower(s))
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	// Lowercase first: lowercasing can introduce combining marks (İ → i̇),
	// which the fold then removes. The fold runs twice because compatibility
	// decomposition can in turn produce upper case (℡ → TEL).
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	t.Reset()
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	if needsRefold(out) {
		t.Reset()
		if out, _, err = transform.String(t, out); err != nil {
			return collapseSpace(strings.ToLower(s))
		}
	}
	return collapseSpace(out)
}

// needsRefold reports whether one fold left upper case or a combining mark
// behind, which only exotic compatibility characters do.
func needsRefold(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && (unicode.IsUpper(r) || unicode.Is(unicode.Mn, r)) {
			return true
		}
		if 'A' <= r && r <= 'Z' {
			return true
		}
	}
	return false
}

// foldPool holds fold transformers: a transform.Chain keeps state, so each
// goroutine needs its own, and building one allocates.
var foldPool = sync.Pool{New: func() any { return foldChain() }}

func foldChain() transform.Transformer {
	return transform.Chain(
		runes.Map(unicode.ToLower),
		norm.NFKD,
		runes.Remove(runes.In(unicode.Mn)),
		norm.NFC,
		runes.Map(unicode.ToLower),
	)
}

// FoldAccents removes combining marks from s and nothing else: it leaves
// case and ASCII untouched. Regular expressions in the config go through it
// so that a pattern written with accents matches normalised text, while
// escapes such as \D or \S keep their meaning.
func FoldAccents(s string) string {
	if isPlainASCII(s) {
		return s
	}
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// collapseSpace trims s and replaces every run of white space with one
// ASCII space. It returns s itself when nothing changes.
func collapseSpace(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Tokenize splits already normalised text into words: maximal runs of
// letters and digits. Everything else separates words.
func Tokenize(normalized string) []string {
	tokens := make([]string, 0, len(normalized)/5+1)
	start := -1
	for i, r := range normalized {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			tokens = append(tokens, normalized[start:i])
			start = -1
		}
	}
	if start >= 0 {
		tokens = append(tokens, normalized[start:])
	}
	return tokens
}

// Words normalises text and splits it into words.
func Words(text string) []string { return Tokenize(Normalize(text)) }

// Languages the built-in detector and away messages know.
const (
	LangEnglish    = "en"
	LangSpanish    = "es"
	LangPortuguese = "pt"
)

// knownLanguages lists the languages DetectLanguage can return, in the
// order used to break nothing but to print stable messages.
var knownLanguages = []string{LangEnglish, LangSpanish, LangPortuguese}

// stopwordLists are frequent function words and greetings per language,
// written already normalised (no accents). Words found in more than one list
// ("de", "que", "no", "a") count for none of them when detecting a language,
// but are still stopwords for the classifier.
var stopwordLists = map[string]string{
	LangEnglish: `a about after all also am an and any are as at be because been but by can
could did do does dont for from get got had has have hello hi how i if im in is it its
just me my no not of on or our please so thank thanks that the their them then there
these they this to too up us was we were what when where which who why will with would
you your yes hey`,
	LangSpanish: `a al algo como con cual cuando de del donde el ella ellos en era es esa ese
eso esta estan estas este esto estoy gracias hay hola la las le les lo los me mi mis muy
nada ni no nos nosotros o otra otro para pero por porque que quiero se ser si sin sobre
son su sus tambien te tengo ti tu tus un una uno unos unas usted y ya yo necesito buenos
buenas dias tardes favor`,
	LangPortuguese: `a ao aos as com como da das de do dos e ela ele eles em era essa esse
esta estou eu isso ja mais mas me meu minha muito na nao nas no nos o obrigado obrigada
ola os ou para pela pelo por porque quando que quero se sem seu sua tambem te tem tenho
um uma umas uns voce voces preciso bom boa dia tarde favor estao`,
}

var (
	// stopwords holds every stopword of every language.
	stopwords = map[string]struct{}{}
	// distinctive maps a word found in exactly one list to its language.
	distinctive = map[string]string{}
)

func init() {
	seen := map[string]map[string]bool{}
	for lang, list := range stopwordLists {
		for _, w := range strings.Fields(list) {
			stopwords[w] = struct{}{}
			if seen[w] == nil {
				seen[w] = map[string]bool{}
			}
			seen[w][lang] = true
		}
	}
	for w, langs := range seen {
		if len(langs) == 1 {
			for l := range langs {
				distinctive[w] = l
			}
		}
	}
}

// IsStopword reports whether a normalised word is a stopword of English,
// Spanish or Portuguese.
func IsStopword(word string) bool {
	_, ok := stopwords[word]
	return ok
}

// DetectLanguage guesses whether normalised words are English, Spanish or
// Portuguese by counting stopwords that belong to only one of the three. It
// abstains (ok false) when no such word occurs or when the leading language
// has no more than twice the hits of the runner-up: a short "ok" or a mix
// of languages says nothing reliable.
func DetectLanguage(words []string) (lang string, ok bool) {
	var en, es, pt int
	for _, w := range words {
		switch distinctive[w] {
		case LangEnglish:
			en++
		case LangSpanish:
			es++
		case LangPortuguese:
			pt++
		}
	}
	best, bestN, second := "", 0, 0
	for _, c := range []struct {
		lang string
		n    int
	}{{LangEnglish, en}, {LangSpanish, es}, {LangPortuguese, pt}} {
		switch {
		case c.n > bestN:
			second = bestN
			best, bestN = c.lang, c.n
		case c.n > second:
			second = c.n
		}
	}
	if bestN == 0 || bestN <= 2*second {
		return "", false
	}
	return best, true
}
