package configs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSupervisionFieldsAndDefaults(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`
teams:
  - name: support
    slack_channel: C0123456789
    supervisors_channel: C0SUPERVIS1
    hours:
      time_zone: Europe/Madrid
      weekly: {mon-fri: ["09:00-18:00"]}
    csat: {comment_window: 10m}
    sla_targets: {first_response: 15m, resolution: 1d}
    digest: {daily: true, weekly: fri, at: "17:30"}
  - name: sales
    slack_channel: C0987654321
    csat: {enabled: false}
    sla_targets: {next_response: 1h, warn_at: 0}
`), "x.yaml", noEnv)
	require.NoError(t, err)
	support, sales := c.Teams[0], c.Teams[1]
	require.Equal(t, CSAT{Enabled: true, CommentWindow: Duration(10 * time.Minute)}, support.CSAT, "surveys are on unless turned off")
	require.Equal(t, SLA{FirstResponse: Duration(15 * time.Minute), Resolution: Duration(24 * time.Hour), WarnAt: DefaultSLAWarnAt}, support.SLA)
	day, ok := support.Digest.Weekday()
	require.True(t, ok)
	require.Equal(t, time.Friday, day)
	require.Equal(t, 17*time.Hour+30*time.Minute, support.Digest.TimeOfDay())
	require.Equal(t, "Europe/Madrid", support.Location().String(), "the hours' time zone")
	require.False(t, sales.CSAT.Enabled)
	require.Zero(t, sales.SLA.WarnAt, "0 turns warnings off")
	require.Equal(t, DefaultDigestAt, sales.Digest.At)
	require.False(t, sales.Digest.Enabled())
	require.Equal(t, time.UTC, sales.Location())
	require.Contains(t, c.Summary(), "csat on (comments for 10m), sla first response 15m / resolution 24h, warning at 80%, digest daily and weekly on fri at 17:30 Europe/Madrid to C0SUPERVIS1")
	require.Contains(t, c.Summary(), "csat off, sla next response 1h, warning at 0%, no digest")
}

func TestSupervisionErrorsNameTheFieldAndTheFix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"a warning fraction of 80", "    sla_targets: {first_response: 10m, warn_at: 80}\n",
			"teams[0].sla_targets.warn_at: must be a fraction from 0 up to (not including) 1, e.g. 0.8"},
		{"a weekly digest on no day", "    digest: {weekly: someday}\n",
			`teams[0].digest.weekly: "someday" is not a day; write mon, tue`},
		{"a digest time without minutes", "    digest: {daily: true, at: \"9\"}\n",
			`teams[0].digest.at: "9" is not a time of day; write it like "09:00"`},
		{"an unknown time zone", "    digest: {daily: true, time_zone: Mars/Olympus}\n",
			`teams[0].digest.time_zone: unknown time zone "Mars/Olympus"`},
		{"a channel name for the supervisors", "    supervisors_channel: \"#supervisors\"\n",
			`teams[0].supervisors_channel: "#supervisors" is not a Slack channel id`},
		{"a comment window past the customer window", "    csat: {comment_window: 2d}\n",
			"teams[0].csat.comment_window: must be at most 24h"},
		{"a misspelt target", "    sla_targets: {first_reponse: 10m}\n",
			`unknown field "first_reponse" in teams[0].sla_targets; did you mean "first_response"?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", noEnv)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
