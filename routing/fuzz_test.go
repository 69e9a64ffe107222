package routing

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// FuzzNormalize checks the normaliser's promises on any input: it is
// idempotent, returns valid UTF-8 without combining marks or stray white
// space, and tokens are non-empty runs of letters and digits.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Devolución", "DEVOLUÇÃO", "ＤＥＶＯＬＵＣＩÓＮ", "İstanbul", "℡ Ⅸ ﬁ", "  a\t\nb  ",
		"ol\xffá", "e\u0301\u0301", "ß", "ǅ", "ΣΑΣ", "\u00a0x\u2003", "🙂 #123?", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		require.True(t, utf8.ValidString(n))
		require.Equal(t, n, Normalize(n), "idempotent")
		require.Equal(t, strings.TrimSpace(n), n)
		require.NotContains(t, n, "  ")
		for _, r := range n {
			require.False(t, unicode.Is(unicode.Mn, r), "combining mark %U in %q", r, n)
			require.False(t, unicode.IsSpace(r) && r != ' ', "white space %U in %q", r, n)
		}
		for _, tok := range Tokenize(n) {
			require.NotEmpty(t, tok)
			for _, r := range tok {
				require.True(t, unicode.IsLetter(r) || unicode.IsDigit(r), "rune %U in token %q", r, tok)
			}
		}
		_, _ = DetectLanguage(Tokenize(n))
	})
}

// FuzzDecide runs the rule matcher over any text: a decision always names a
// route and team of the tree, a keyword rule matches regardless of accents
// and case of ASCII letters, and Explain agrees with Decide.
func FuzzDecide(f *testing.F) {
	rt, err := Load([]byte(treeYAML))
	require.NoError(f, err)
	routes := map[string]string{}
	var walk func(r *Route)
	walk = func(r *Route) {
		routes[r.ID] = r.team
		for _, c := range r.Routes {
			walk(c)
		}
	}
	walk(rt.Root)
	for _, s := range []string{
		"Quiero una devolución", "pedido #4411", "ref #12345", "Olá, preciso da nota fiscal",
		"how much is the premium plan", "money, back", "", "\x00\xff", "devolv", strings.Repeat("a ", 500),
	} {
		f.Add(s, "1002", "vip")
	}
	f.Fuzz(func(t *testing.T, text, inbox, label string) {
		in := Input{Text: text, Inbox: inbox, ContactLabels: []string{label}, At: t0}
		d := rt.Decide(in)
		team, ok := routes[d.RouteID]
		require.True(t, ok, "unknown route %q", d.RouteID)
		require.Equal(t, team, d.Team)
		require.NotEmpty(t, d.Reasons)
		require.Contains(t, rt.Explain(in), "decision: team "+d.Team+" by route '"+d.RouteID+"'")

		// Keywords ignore ASCII case and accents: the refund keyword
		// appended to any text still matches (unless an earlier rule wins).
		withKw := Input{Text: text + " DEVOLUCIÓN", Inbox: "none", At: t0}
		got := rt.Decide(withKw)
		if got.RouteID != "refunds" {
			require.Contains(t, []string{"order-number", "order-hash", "refunds"}, got.RouteID, "text %q", withKw.Text)
		}
	})
}
