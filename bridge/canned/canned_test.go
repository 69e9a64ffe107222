package canned_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/canned"
)

func TestNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"no variables", nil},
		{"Hi {{contact.first_name}}", []string{"contact.first_name"}},
		{"{{ agent.name }} and {{agent.name}} and {{team.name}}", []string{"agent.name", "team.name"}},
		{"{{}} is empty", []string{""}},
		{"single {brace} is text", nil},
	} {
		t.Run(tc.body, func(t *testing.T) {
			require.Equal(t, tc.want, canned.Names(tc.body))
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	long := make([]rune, canned.MaxBodyChars+1)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		name    string
		body    string
		unknown string // the unknown variable reported, if any
		fails   bool
	}{
		{"every known variable", "{{contact.name}} {{contact.first_name}} {{agent.name}} {{team.name}} #{{conversation.id}}", "", false},
		{"spaces inside the braces", "Hi {{ contact.first_name }}", "", false},
		{"a typo", "Hi {{contact.firstname}}", "contact.firstname", true},
		{"an empty variable", "Hi {{}}", "", true},
		{"blank", "  \n ", "", true},
		{"too long", string(long), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := canned.Validate(tc.body, canned.Known)
			if !tc.fails {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var uv *canned.UnknownVariableError
			if tc.unknown != "" {
				require.True(t, errors.As(err, &uv))
				require.Equal(t, tc.unknown, uv.Name)
			}
		})
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	values := map[string]string{"contact.first_name": "Ana", "agent.name": "Bruno", "team.name": "soporte", "conversation.id": "12"}
	for _, tc := range []struct {
		body, want string
	}{
		{"Hola {{contact.first_name}}, soy {{agent.name}} de {{team.name}}.", "Hola Ana, soy Bruno de soporte."},
		{"Caso #{{ conversation.id }}", "Caso #12"},
		{"Hola {{contact.name}}, ¿qué tal?", "Hola, ¿qué tal?"},
		{"{{contact.name}} hola", "hola"},
		{"línea 1\n{{contact.name}}\nlínea 3", "línea 1\n\nlínea 3"},
		{"no variables", "no variables"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			require.Equal(t, tc.want, canned.Render(tc.body, values))
		})
	}
	require.Equal(t, []string{"contact.name"}, canned.Missing("{{contact.name}} {{agent.name}}", values))
}

func TestFirstName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Ana María García": "Ana", "  Bruno ": "Bruno", "": "", "Lee, Kim": "Lee"} {
		require.Equal(t, want, canned.FirstName(in), in)
	}
}

func TestValidNameAndLanguage(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"refund": true, "refund-policy-2": true, "": false, "Refund": false,
		"refund policy": false, "a--b": false, "-a": false, "global/refund": false, "abcdefghijabcdefghijabcdefghijabc": false} {
		require.Equal(t, ok, canned.ValidName(name) == nil, name)
	}
	require.Equal(t, "refund-policy", canned.Slug("Refund Policy!"))
	for lang, ok := range map[string]bool{"": true, "es": true, "pt": true, "fil": true, "pt_BR": false, "ES": false, "spanish": false} {
		require.Equal(t, ok, canned.ValidLanguage(lang) == nil, lang)
	}
	require.ErrorContains(t, canned.ValidLanguage("pt_BR"), `"pt"`, "the fix is named")
}

func TestPick(t *testing.T) {
	t.Parallel()
	r := func(team, lang string) canned.Response {
		return canned.Response{Team: team, Name: "hello", Language: lang, Body: team + "/" + lang}
	}
	for _, tc := range []struct {
		name  string
		list  []canned.Response
		langs []string
		want  string
	}{
		{"the customer's language", []canned.Response{r("support", "en"), r("support", "es")}, []string{"es", "en"}, "support/es"},
		{"then the team's language", []canned.Response{r("support", "en"), r("support", "pt")}, []string{"es", "en"}, "support/en"},
		{"then the any-language version", []canned.Response{r("support", ""), r("support", "pt")}, []string{"es", "en"}, "support/"},
		{"then any version, the team's first", []canned.Response{r("", "de"), r("support", "pt")}, []string{"es", "en"}, "support/pt"},
		{"a team's version shadows the global one", []canned.Response{r("", "es"), r("support", "es")}, []string{"es"}, "support/es"},
		{"a global version in the customer's language beats the team's in another", []canned.Response{r("", "es"), r("support", "en")}, []string{"es", "en"}, "/es"},
		{"unknown customer language", []canned.Response{r("support", "pt"), r("support", "en")}, []string{"", "en"}, "support/en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := canned.Pick(tc.list, "hello", tc.langs...)
			require.True(t, ok)
			require.Equal(t, tc.want, got.Body)
		})
	}
	_, ok := canned.Pick([]canned.Response{r("support", "es")}, "bye", "es")
	require.False(t, ok)
}

func TestVisibleAndRefs(t *testing.T) {
	t.Parallel()
	list := []canned.Response{
		{Team: "", Name: "hello", Language: "es"},
		{Team: "support", Name: "hello", Language: "es"},
		{Team: "", Name: "hello", Language: "en"},
	}
	got := canned.Visible(list)
	require.Len(t, got, 2)
	require.Equal(t, "support", got[0].Team)
	require.Equal(t, "en", got[1].Language)

	name, lang, ok := canned.ParseRef("refund@es")
	require.True(t, ok)
	require.Equal(t, [2]string{"refund", "es"}, [2]string{name, lang})
	name, lang, ok = canned.ParseRef("refund")
	require.True(t, ok)
	require.Equal(t, [2]string{"refund", ""}, [2]string{name, lang})
	_, _, ok = canned.ParseRef("Refund@spanish")
	require.False(t, ok)
	require.Equal(t, "refund@", canned.Ref("refund", ""))
}

// Declared contact attributes become variables; others stay unknown.
func TestKnownWithAttributes(t *testing.T) {
	known := canned.KnownWith([]string{"plan"})
	for name, want := range map[string]bool{"contact.plan": true, "contact.name": true, "contact.seats": false, "plan": false, "agent.plan": false} {
		require.Equal(t, want, known(name), name)
	}
	require.NoError(t, canned.Validate("Your plan: {{contact.plan}}", known))
	require.Error(t, canned.Validate("Your plan: {{contact.plan}}", canned.Known))
}
