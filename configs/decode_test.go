package configs

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }

func TestExpand(t *testing.T) {
	t.Parallel()
	env := map[string]string{"A": "alpha", "B": "b:${A}", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		in, want string
		vars     []string
	}{
		{"plain", "plain", nil},
		{"${A}", "alpha", []string{"A"}},
		{"x-${A}-y", "x-alpha-y", []string{"A"}},
		{"${B}", "b:${A}", []string{"B"}}, // expanded text is not scanned again
		{"${UNSET}", "", []string{"UNSET"}},
		{"${UNSET:-fallback}", "fallback", []string{"UNSET"}},
		{"${EMPTY:-fallback}", "fallback", []string{"EMPTY"}},
		{"${A:-fallback}", "alpha", []string{"A"}},
		{"${L:-:8080}", ":8080", []string{"L"}},
		{"$${A}", "${A}", nil},
		{"cost $5", "cost $5", nil},
		{"${A}${A}", "alphaalpha", []string{"A", "A"}},
	} {
		got, vars, err := expand(tc.in, getenv)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
		require.Equal(t, tc.vars, vars, tc.in)
	}
	for _, bad := range []string{"${A", "${}", "${1A}", "${A B}", "${A-x}"} {
		_, _, err := expand(bad, getenv)
		require.Error(t, err, bad)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	known := []string{"name", "slack_channel", "language", "supervisors"}
	require.Equal(t, "slack_channel", suggest("slak", known))
	require.Equal(t, "slack_channel", suggest("slackChannel", known))
	require.Equal(t, "slack_channel", suggest("slack_chanel", known))
	require.Equal(t, "language", suggest("langauge", known))
	require.Equal(t, "supervisors", suggest("supervisor", known))
	require.Equal(t, "", suggest("members", known))
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		"0":      0,
		"30s":    30 * time.Second,
		"1h30m":  90 * time.Minute,
		"24h":    24 * time.Hour,
		"7d":     7 * 24 * time.Hour,
		"1d12h":  36 * time.Hour,
		"1.5d":   36 * time.Hour,
		"250ms":  250 * time.Millisecond,
		" 15m ":  15 * time.Minute,
		"2d30m":  48*time.Hour + 30*time.Minute,
		"1h1d":   25 * time.Hour,
		"+5s":    5 * time.Second,
		"10µs":   10 * time.Microsecond,
		"1d0h0m": 24 * time.Hour,
	} {
		got, err := ParseDuration(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "30", "-1s", "-1", "d", "7dd", "2 days", "1w", "s", "1.2.3d", "99999999999999d", "30sd"} {
		_, err := ParseDuration(bad)
		require.Error(t, err, bad)
	}
}

func TestDurationString(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0:                          "0s",
		30 * time.Second:           "30s",
		24 * time.Hour:             "24h",
		7 * 24 * time.Hour:         "7d",
		90 * time.Minute:           "1h30m",
		2 * time.Hour:              "2h",
		5 * time.Minute:            "5m",
		1500 * time.Millisecond:    "1.5s",
		36*time.Hour + time.Minute: "36h1m",
	} {
		require.Equal(t, want, Duration(d).String(), d)
	}
}

func TestParseByteSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"0":         0,
		"1048576":   1 << 20,
		"1_048_576": 1 << 20,
		"1MiB":      1 << 20,
		"100MiB":    100 << 20,
		"100 MiB":   100 << 20,
		"5MB":       5_000_000,
		"64kib":     64 << 10,
		"2GiB":      2 << 30,
		"512B":      512,
	} {
		got, err := ParseByteSize(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "MiB", "-1", "1.5MiB", "ten", "1TiB", "99999999999999999GiB"} {
		_, err := ParseByteSize(bad)
		require.Error(t, err, bad)
	}
	require.Equal(t, "100 MiB", ByteSize(100<<20).String())
	require.Equal(t, "1000 B", ByteSize(1000).String())
}
