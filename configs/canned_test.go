package configs

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/canned"
)

const cannedTeams = "teams:\n  - name: support\n    slack_channel: C0123456789\n"

// Canned responses are read in both shapes, global and per team, and
// flattened to one response per language.
func TestCannedResponsesAreRead(t *testing.T) {
	t.Parallel()
	yaml := cannedTeams + `    canned_responses:
      - name: refund
        text:
          es: "Hola {{contact.first_name}}"
          any: "Hi {{ contact.first_name }}"
canned_responses:
  - name: hours
    text: "9-18"
`
	c, err := Parse([]byte(yaml), "x.yaml", noEnv)
	require.NoError(t, err)
	require.Equal(t, []canned.Response{
		{Team: "", Name: "hours", Language: "", Body: "9-18", Source: canned.SourceConfig},
		{Team: "support", Name: "refund", Language: "", Body: "Hi {{ contact.first_name }}", Source: canned.SourceConfig},
		{Team: "support", Name: "refund", Language: "es", Body: "Hola {{contact.first_name}}", Source: canned.SourceConfig},
	}, c.CannedResponses())
	require.Contains(t, c.Summary(), "canned responses: refund (any, es)")
	require.Contains(t, c.Summary(), "canned responses for every team: hours (any)")
}

// Every mistake in a canned response is refused at load, naming the field,
// its line and the fix: an unknown variable never waits for an agent to
// send it.
func TestCannedResponseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		yaml  string
		field string
		line  int
		want  string
	}{
		{"an unknown variable, with a suggestion", "canned_responses:\n  - name: hi\n    text: \"Hi {{contact.firstname}}\"\n",
			"canned_responses[0].text", 3, "unknown variable {{contact.firstname}}; did you mean {{contact.first_name}}?"},
		{"an unknown variable in one language", "canned_responses:\n  - name: hi\n    text:\n      en: ok\n      es: \"Hola {{agente}}\"\n",
			"canned_responses[0].text.es", 5, "unknown variable {{agente}}"},
		{"a name that is not a slug", "canned_responses:\n  - name: Refund Policy\n    text: x\n",
			"canned_responses[0].name", 2, `e.g. "refund-policy"`},
		{"a country variant", "canned_responses:\n  - name: hi\n    text:\n      pt_BR: Olá\n",
			"canned_responses[0].text.pt_BR", 4, `write the language alone, "pt"`},
		{"no text", "canned_responses:\n  - name: hi\n", "canned_responses[0].text", 2, "is required"},
		{"an empty text", "canned_responses:\n  - name: hi\n    text: \"  \"\n", "canned_responses[0].text", 3, "is empty"},
		{"a name twice in one language", cannedTeams + "    canned_responses:\n      - name: hi\n        text: {es: Hola}\n      - name: hi\n        text: {es: Buenas, en: Hi}\n",
			"teams[0].canned_responses[1].text.es", 8, "already defined in language es by teams[0].canned_responses[0]"},
		{"a language twice", "canned_responses:\n  - name: hi\n    text:\n      es: a\n      es: b\n",
			"canned_responses[0].text", 4, `"es" is set twice (line 8)`},
		{"a list for a text", "canned_responses:\n  - name: hi\n    text: [a, b]\n",
			"canned_responses[0].text", 3, "expected a text, or language codes"},
		{"an unknown key", "canned_responses:\n  - name: hi\n    text: x\n    lang: es\n", "canned_responses[0].lang", 4, "known fields: name, text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			yaml := tc.yaml
			if tc.yaml[:5] != "teams" {
				yaml = cannedTeams + tc.yaml
			}
			_, err := Parse([]byte(yaml), "x.yaml", noEnv)
			require.Error(t, err)
			require.ErrorContains(t, err, tc.want)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tc.field, fe.Field)
			offset := 0
			if tc.yaml[:5] != "teams" {
				offset = 3 // the teams lines come first
			}
			require.Equal(t, tc.line+offset, fe.Line)
		})
	}
}
