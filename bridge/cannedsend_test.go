package bridge

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/canned"
)

func TestParseCannedArgs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, name, lang string }{
		{"", "", ""},
		{"refund", "refund", ""},
		{"Refund es", "refund", "es"},
		{"refund@pt", "refund", "pt"},
		{"refund any", "refund", ""},
		{"  refund   en  extra", "refund", "en"},
	} {
		name, lang := parseCannedArgs(tc.in)
		require.Equal(t, [2]string{tc.name, tc.lang}, [2]string{name, lang}, tc.in)
	}
}

// A picker lists the customer's language first, then the team's, then
// the any-language ones, then the rest; what was typed filters by name or
// text, names starting with it first.
func TestCannedChoicesOrder(t *testing.T) {
	t.Parallel()
	r := func(name, lang, body string) canned.Response {
		return canned.Response{Team: "support", Name: name, Language: lang, Body: body}
	}
	list := []canned.Response{
		r("bye", "de", "Tschüss"), r("bye", "en", "Bye {{contact.first_name}}"), r("hello", "", "👋"),
		r("hello", "es", "Hola {{contact.first_name}}"), r("refund", "en", "Your refund"), r("refund", "es", "Tu reembolso"),
	}
	values := map[string]string{"contact.first_name": "Ana"}
	names := func(cs []CannedChoice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, canned.Ref(c.Name, c.Language))
		}
		return out
	}
	got := cannedChoices(list, []string{"es", "en"}, "", values)
	require.Equal(t, []string{"hello@es", "refund@es", "bye@en", "refund@en", "hello@", "bye@de"}, names(got))
	require.Equal(t, "Hola Ana", got[0].Preview, "previews are rendered for this customer")

	require.Equal(t, []string{"refund@es", "refund@en"}, names(cannedChoices(list, []string{"es", "en"}, "REF", values)))
	require.Equal(t, []string{"refund@es"}, names(cannedChoices(list, []string{"es", "en"}, "reembolso", values)),
		"the text is searched too")
	require.Equal(t, []string{"hello@es", "bye@en"}, names(cannedChoices(list, []string{"es", "en"}, "ana", values)),
		"in the rendered text")
}

// Every canned text has the same placeholders in each language, so no
// translation prints %!s(MISSING).
func TestCannedTextsHaveTheSamePlaceholders(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[sdv]`)
	for key, tr := range cannedTexts {
		want := verbs.FindAllString(tr["en"], -1)
		for _, lang := range []string{"es", "pt"} {
			require.Equal(t, want, verbs.FindAllString(tr[lang], -1), "%s in %s", key, lang)
		}
	}
}
