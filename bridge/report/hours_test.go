package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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

func spans(t testing.TB, day []time.Weekday, s string) []Span {
	t.Helper()
	var out []Span
	for _, d := range day {
		sp, err := ParseSpan(d, s)
		require.NoError(t, err)
		out = append(out, sp)
	}
	return out
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// testHours: Monday to Friday 09:00-18:00, plus a Saturday night shift
// 22:00-06:00 that ends on Sunday morning.
func testHours(t testing.TB) WeeklyHours {
	loc := madrid(t)
	return WeeklyHours{Loc: loc, Spans: append(spans(t, weekdays, "09:00-18:00"), spans(t, []time.Weekday{time.Saturday}, "22:00-06:00")...)}
}

func TestWeeklyHoursBetween(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	h := testHours(t)
	// 2025-03-30 is the last Sunday of March: at 02:00 CET Madrid jumps to
	// 03:00 CEST. 2025-10-26 is the last Sunday of October: at 03:00 CEST
	// it goes back to 02:00 CET.
	tests := []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"inside one span", "2025-03-24 10:00", "2025-03-24 10:45", 45 * time.Minute},
		{"before opening counts nothing", "2025-03-24 07:00", "2025-03-24 08:59", 0},
		{"evening to next morning: 17-18 plus 09-09:30", "2025-03-24 17:00", "2025-03-25 09:30", 90 * time.Minute},
		{"Friday evening to Monday morning without the night shift would be 2h; the Saturday night adds 8h",
			"2025-03-14 17:00", "2025-03-17 10:00", time.Hour + 8*time.Hour + time.Hour},
		{"the night span crosses midnight: Saturday 23:00 to Sunday 01:00", "2025-03-22 23:00", "2025-03-23 01:00", 2 * time.Hour},
		{"a clock starting after midnight inside Saturday's night span", "2025-03-23 05:00", "2025-03-23 12:00", time.Hour},
		{"spring forward: Saturday 22:00 CET to Sunday 06:00 CEST is 7 real hours", "2025-03-29 20:00", "2025-03-30 12:00", 7 * time.Hour},
		{"spring forward, then Monday 09:00-10:00: 6h + 1h (Sat 23:00 start)", "2025-03-29 23:00", "2025-03-31 10:00", 7 * time.Hour},
		{"fall back: Saturday 22:00 CEST to Sunday 06:00 CET is 9 real hours", "2025-10-25 20:00", "2025-10-26 12:00", 9 * time.Hour},
		{"a week: 5×9h + 8h", "2025-03-17 00:00", "2025-03-24 00:00", 45*time.Hour + 8*time.Hour},
		{"to before from is zero", "2025-03-24 12:00", "2025-03-24 10:00", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, h.Between(local(t, loc, tc.from), local(t, loc, tc.to)))
		})
	}
	t.Run("instants given in another zone mean the same", func(t *testing.T) {
		from := local(t, loc, "2025-03-29 20:00").UTC()
		require.Equal(t, 7*time.Hour, h.Between(from, local(t, loc, "2025-03-30 12:00").In(time.FixedZone("X", -5*3600))))
	})
	t.Run("a whole day span", func(t *testing.T) {
		all := WeeklyHours{Loc: loc, Spans: spans(t, []time.Weekday{time.Sunday}, "00:00-24:00")}
		// Sunday 2025-03-30 lasts 23 real hours in Madrid.
		require.Equal(t, 23*time.Hour, all.Between(local(t, loc, "2025-03-29 00:00"), local(t, loc, "2025-04-01 00:00")))
	})
}

func TestParseSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Span
		wantErr bool
	}{
		{"09:00-18:00", Span{time.Monday, 9 * time.Hour, 18 * time.Hour}, false},
		{"22:30-06:00", Span{time.Monday, 22*time.Hour + 30*time.Minute, 6 * time.Hour}, false},
		{"00:00-24:00", Span{time.Monday, 0, 24 * time.Hour}, false},
		{"9-18", Span{}, true},
		{"09:00", Span{}, true},
		{"25:00-26:00", Span{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSpan(time.Monday, tc.in)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
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
