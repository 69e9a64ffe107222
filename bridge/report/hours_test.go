package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/routing"
)

func madrid(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	return loc
}

// local reads "2006-01-02 15:04" in loc.
func local(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return v
}

// testHours: Monday to Friday 09:00-18:00, plus a Saturday night shift
// 22:00-06:00 that ends on Sunday morning.
func testHours(t testing.TB) routing.Hours {
	t.Helper()
	day, night := []routing.Span{{Start: 9 * 60, End: 18 * 60}}, []routing.Span{{Start: 22 * 60, End: 6 * 60}}
	h := routing.Hours{TimeZone: "Europe/Madrid", Weekly: routing.Weekly{time.Monday: day, time.Tuesday: day,
		time.Wednesday: day, time.Thursday: day, time.Friday: day, time.Saturday: night}}
	require.NoError(t, h.Validate("hours"))
	return h
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	now := local(t, loc, "2025-03-31 10:00")
	tests := []struct {
		name     string
		p        Period
		from, to string
		length   time.Duration
	}{
		{"today", Today(now, loc), "2025-03-31 00:00", "2025-04-01 00:00", 24 * time.Hour},
		{"yesterday is the 23-hour DST day", Yesterday(now, loc), "2025-03-30 00:00", "2025-03-31 00:00", 23 * time.Hour},
		{"last 7 days end at today's midnight", LastDays(now, loc, 7), "2025-03-24 00:00", "2025-03-31 00:00", 7*24*time.Hour - time.Hour},
		{"last 30 days", LastDays(now, loc, 30), "2025-03-01 00:00", "2025-03-31 00:00", 30*24*time.Hour - time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, local(t, loc, tc.from).Equal(tc.p.From), tc.p.From)
			require.True(t, local(t, loc, tc.to).Equal(tc.p.To), tc.p.To)
			require.Equal(t, tc.length, tc.p.To.Sub(tc.p.From))
		})
	}
	require.Len(t, LastDays(now, loc, 7).Days(), 7)
}

func TestParseTransfer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Transfer
		ok   bool
	}{
		{"agent:U2", Transfer{ToAgent: "U2"}, true},
		{"team:support->sales", Transfer{FromTeam: "support", ToTeam: "sales"}, true},
		{TransferData(Transfer{FromTeam: "a", ToTeam: "b", FromAgent: "U1", ToAgent: "U2"}), Transfer{"a", "b", "U1", "U2"}, true},
		{"garbage", Transfer{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseTransfer(tc.in)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
