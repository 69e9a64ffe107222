package configs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A team's first_line mistakes stop start-up naming the field and the fix.
func TestFirstLineErrorsNameTheFieldAndTheFix(t *testing.T) {
	t.Parallel()
	team := "teams:\n  - name: support\n    slack_channel: C0123456789\n    first_line:\n"
	for _, tc := range []struct {
		name string
		yaml string
		want string
	}{
		{"an unknown mode", team + "      mode: sometimes\n", `teams[0].first_line.mode: "sometimes" is not a mode; write never, always or out_of_hours`},
		{"out of hours without hours", team + "      mode: out_of_hours\n", "teams[0].first_line.mode: is out_of_hours but team support has no hours; add its hours or write always"},
		{"negative turns", team + "      mode: always\n      max_turns: -1\n", "teams[0].first_line.max_turns: is -1; write at least 1"},
		{"no turns", team + "      mode: always\n      max_turns: 0\n",
			"teams[0].first_line.max_turns: is 0; write at least 1 answer (default 3); use mode: never to turn the assistant off"},
		{"a negative confidence", team + "      mode: always\n      min_confidence: -0.1\n", "teams[0].first_line.min_confidence: is -0.1; write a number between 0 and 1"},
		{"a confidence above 1", team + "      mode: always\n      min_confidence: 50\n", "teams[0].first_line.min_confidence: is 50; write a number between 0 and 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.yaml), "x.yaml", noEnv)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("always with defaults is valid", func(t *testing.T) {
		c, err := Parse([]byte(team+"      mode: always\n"), "x.yaml", noEnv)
		require.NoError(t, err)
		require.Equal(t, "always", c.Teams[0].FirstLine.Mode)
		require.Nil(t, c.Teams[0].FirstLine.MinConfidence, "unwritten: the default applies")
		require.Zero(t, c.Teams[0].FirstLine.MaxTurns, "unwritten: the default applies")
	})
	t.Run("min_confidence 0 is 0, not the default", func(t *testing.T) {
		c, err := Parse([]byte(team+"      mode: always\n      min_confidence: 0\n      max_turns: 1\n"), "x.yaml", noEnv)
		require.NoError(t, err)
		require.NotNil(t, c.Teams[0].FirstLine.MinConfidence)
		require.Zero(t, *c.Teams[0].FirstLine.MinConfidence)
		require.Equal(t, 1, c.Teams[0].FirstLine.MaxTurns)
	})
}
