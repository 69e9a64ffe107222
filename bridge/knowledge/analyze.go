package knowledge

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Analyze turns text into the terms BM25, Coverage and the test embedding
// compare: words folded to lower case without accents ("Envíos" →
// "envios"), the commonest words of English, Spanish and Portuguese
// dropped, and each word lightly stemmed (stem) so plurals and the
// common inflections meet their singular.
//
// One analyser serves the three languages at once because a knowledge
// base mixes them, often within a document, and a customer's question is
// in any of them. That is also why the index is a small hand-written
// BM25 rather than bleve: bleve analyses a field with one language's
// analyser, and picking the language of every chunk and query would
// cost more than it gives on short texts.
func Analyze(text string) []string {
	var out []string
	for _, w := range words(text) {
		if stopwords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// words splits text into folded words (letters and digits).
func words(text string) []string {
	folded := fold(text)
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// fold lowers case and strips accents: decompose, drop the combining
// marks, recompose (golang.org/x/text).
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// stem is a light stemmer for English, Spanish and Portuguese: it removes
// plural and a few frequent derivational endings so "refunds"/"refund",
// "reembolsos"/"reembolso", "devoluções"/"devolução" and
// "devoluciones"/"devolución" meet. It is deliberately conservative
// (short words are left alone) because a wrong merge costs precision in
// every language at once.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for _, r := range stemRules {
		if len(w)-len(r.suffix) >= r.min && strings.HasSuffix(w, r.suffix) {
			w = w[:len(w)-len(r.suffix)] + r.repl
			if r.undouble && len(w) > 2 && w[len(w)-1] == w[len(w)-2] {
				w = w[:len(w)-1] // shipp(ing) → ship
			}
			break
		}
	}
	// The final vowel of Spanish and Portuguese nouns and adjectives, and
	// English's silent e: "pedido"/"pedida", "horario"/"horarios",
	// "price"/"prices" meet.
	if n := len(w); n > 3 && strings.IndexByte("aeo", w[n-1]) >= 0 {
		w = w[:n-1]
	}
	return w
}

// stemRules are tried in order; the first whose suffix fits wins. min is
// the shortest stem it may leave.
var stemRules = []struct {
	suffix, repl string
	min          int
	undouble     bool
}{
	// Portuguese -ção/-ções, Spanish -ción/-ciones, English -tion: one stem
	// for the three ("devolução", "devolución" → "devoluc"; "opções",
	// "opciones", "options" → "opc").
	{suffix: "coes", repl: "c", min: 3}, {suffix: "cao", repl: "c", min: 3},
	{suffix: "ciones", repl: "c", min: 3}, {suffix: "cion", repl: "c", min: 3},
	{suffix: "tions", repl: "c", min: 3}, {suffix: "tion", repl: "c", min: 3},
	{suffix: "soes", repl: "s", min: 3}, {suffix: "sao", repl: "s", min: 3},
	{suffix: "siones", repl: "s", min: 3}, {suffix: "sion", repl: "s", min: 3},
	{suffix: "mente", min: 4},                           // rápidamente
	{suffix: "ments", min: 3}, {suffix: "ment", min: 3}, // payments → pay
	{suffix: "ings", min: 3, undouble: true}, {suffix: "ing", min: 3, undouble: true},
	{suffix: "ies", repl: "y", min: 3}, {suffix: "ied", repl: "y", min: 3}, // deliveries → delivery
	{suffix: "eis", repl: "el", min: 3},    // disponíveis → disponivel
	{suffix: "ais", repl: "al", min: 3},    // nacionais → nacional
	{suffix: "ed", min: 3, undouble: true}, // refunded → refund
	{suffix: "es", min: 3},                 // meses → mes, boxes → box
	{suffix: "s", min: 3},
}

// stopwords are dropped before indexing and from queries: words that
// carry no topic in English, Spanish and Portuguese (already folded).
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a an and are as at be but by can could do does did for from had has have how i if in into is it its me my no not of on or our please so than that the their them then there these they this to us was we were what when where which who why will with would you your yours am been being i'm im hi hello thanks thank also any about
el la los las un una unos unas y o u de del al en por para con sin sobre que como cuando donde cual cuales quien es son ser esta estan estoy esto este ese esa eso mi mis tu tus su sus nos nosotros usted ustedes yo me te se le les lo ya muy mas pero si hay puedo puede pueden hola gracias tengo tiene tienen hacer hace qué cómo
o os as um uma uns umas e ou do da dos das no na nos nas pelo pela pelos pelas por para com sem sobre que como quando onde qual quais quem sao ser estar esta estao eu voce voces meu minha meus minhas seu sua seus suas ele ela eles elas isso isto esse essa aquele ja muito mais mas se ha posso pode podem ola obrigado obrigada tenho tem fazer faz nao
`) {
		m[fold(w)] = true
	}
	return m
}()
