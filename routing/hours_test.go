package routing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// loadHours decodes and validates Hours from inline YAML.
func loadHours(t *testing.T, src string) Hours {
	t.Helper()
	var h Hours
	require.NoError(t, yaml.Unmarshal([]byte(src), &h))
	require.NoError(t, h.Validate("hours"))
	return h
}

func at(t *testing.T, zone, clock string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	v, err := time.ParseInLocation("2006-01-02 15:04", clock, loc)
	require.NoError(t, err)
	return v
}

func TestHoursOpen(t *testing.T) {
	t.Parallel()
	madrid := loadHours(t, `
time_zone: Europe/Madrid
weekly:
  mon-fri: ["09:00-14:00", "15:00-18:00"]
  sat: ["10:00-13:00"]
holidays: ["2025-01-06", "12-25"]
`)
	night := loadHours(t, `
time_zone: America/Sao_Paulo
weekly:
  fri,sat: ["22:00-06:00"]
holidays: ["2025-06-14"]
`)
	always := loadHours(t, `
time_zone: UTC
weekly: {daily: ["00:00-24:00"]}
`)
	cases := []struct {
		name  string
		hours Hours
		at    time.Time
		open  bool
	}{
		// 2025-01-07 is a Tuesday.
		{"open on a weekday morning in Madrid", madrid, at(t, "Europe/Madrid", "2025-01-07 09:00"), true},
		{"closed at lunch", madrid, at(t, "Europe/Madrid", "2025-01-07 14:30"), false},
		{"span end is exclusive", madrid, at(t, "Europe/Madrid", "2025-01-07 18:00"), false},
		{"closed before opening", madrid, at(t, "Europe/Madrid", "2025-01-07 08:59"), false},
		{"time zone aware: 08:30 UTC is 09:30 in Madrid", madrid, at(t, "UTC", "2025-01-07 08:30"), true},
		{"time zone aware: 17:30 UTC is 18:30 in Madrid", madrid, at(t, "UTC", "2025-01-07 17:30"), false},
		{"time zone aware: summer time, 07:30 UTC is 09:30 in Madrid", madrid, at(t, "UTC", "2025-07-08 07:30"), true},
		{"New York evening is Madrid night", madrid, at(t, "America/New_York", "2025-01-07 20:00"), false},
		{"saturday short day", madrid, at(t, "Europe/Madrid", "2025-01-11 12:00"), true},
		{"sunday closed", madrid, at(t, "Europe/Madrid", "2025-01-12 12:00"), false},
		{"dated holiday closed", madrid, at(t, "Europe/Madrid", "2025-01-06 10:00"), false},
		{"yearly holiday closed", madrid, at(t, "Europe/Madrid", "2026-12-25 10:00"), false},
		// 2025-06-13 is a Friday.
		{"crossing midnight: open at the start", night, at(t, "America/Sao_Paulo", "2025-06-13 22:00"), true},
		{"crossing midnight: a holiday cuts the tail at midnight", night, at(t, "America/Sao_Paulo", "2025-06-14 05:59"), false},
		{"crossing midnight: open after midnight", night, at(t, "America/Sao_Paulo", "2025-06-07 05:59"), true},
		{"crossing midnight: tail of Saturday's span on Sunday", night, at(t, "America/Sao_Paulo", "2025-06-22 03:00"), true},
		{"crossing midnight: closed at the end", night, at(t, "America/Sao_Paulo", "2025-06-22 06:00"), false},
		{"crossing midnight: Saturday 02:00 continues Friday", night, at(t, "America/Sao_Paulo", "2025-06-21 02:00"), true},
		{"crossing midnight: Thursday night closed", night, at(t, "America/Sao_Paulo", "2025-06-19 23:00"), false},
		{"crossing midnight: in UTC", night, at(t, "UTC", "2025-06-21 03:00"), true},
		{"whole day", always, at(t, "UTC", "2025-03-01 23:59"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.open, c.hours.Open(c.at))
		})
	}
}

func TestHoursNextOpen(t *testing.T) {
	t.Parallel()
	h := loadHours(t, `
time_zone: Europe/Madrid
weekly:
  mon-fri: ["09:00-18:00"]
  sun: ["22:00-02:00"]
holidays: ["2025-01-06"]
`)
	cases := []struct {
		name string
		from time.Time
		want time.Time
	}{
		{"open now returns now", at(t, "Europe/Madrid", "2025-01-07 10:00"), at(t, "Europe/Madrid", "2025-01-07 10:00")},
		{"evening waits for the morning", at(t, "Europe/Madrid", "2025-01-07 19:00"), at(t, "Europe/Madrid", "2025-01-08 09:00")},
		{"friday evening waits for sunday night", at(t, "Europe/Madrid", "2025-01-10 19:00"), at(t, "Europe/Madrid", "2025-01-12 22:00")},
		{"holiday monday: sunday span cut at midnight, tuesday opens", at(t, "Europe/Madrid", "2025-01-06 01:00"), at(t, "Europe/Madrid", "2025-01-07 09:00")},
		{"asked in another zone", at(t, "UTC", "2025-01-07 18:30"), at(t, "Europe/Madrid", "2025-01-08 09:00")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, ok := h.NextOpen(c.from)
			require.True(t, ok)
			require.True(t, c.want.Equal(got), "want %s, got %s", c.want, got)
		})
	}
	t.Run("never opens", func(t *testing.T) {
		t.Parallel()
		h := loadHours(t, "time_zone: UTC\nweekly: {mon: [\"09:00-10:00\"]}\nholidays: [\"01-01\"]")
		h.Weekly = Weekly{}
		_, ok := h.NextOpen(at(t, "UTC", "2025-01-01 00:00"))
		require.False(t, ok)
	})
}

func TestHoursBetween(t *testing.T) {
	t.Parallel()
	// Monday to Friday 09:00-18:00 and a Saturday night shift ending on
	// Sunday morning. 2025-03-30 is the last Sunday of March: at 02:00 CET
	// Madrid jumps to 03:00 CEST. 2025-10-26 is the last Sunday of October:
	// at 03:00 CEST it goes back to 02:00 CET. Holidays: Friday 2025-03-21
	// and Sunday 2025-03-16 (which cuts Saturday 15's night at midnight).
	h := loadHours(t, `
time_zone: Europe/Madrid
weekly:
  mon-fri: ["09:00-18:00"]
  sat: ["22:00-06:00"]
holidays: ["2025-03-21", "2025-03-16"]
`)
	madrid := func(s string) time.Time { return at(t, "Europe/Madrid", s) }
	cases := []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"inside one span", "2025-03-24 10:00", "2025-03-24 10:45", 45 * time.Minute},
		{"before opening counts nothing", "2025-03-24 07:00", "2025-03-24 08:59", 0},
		{"evening to next morning: 17-18 plus 09-09:30", "2025-03-24 17:00", "2025-03-25 09:30", 90 * time.Minute},
		{"Friday evening to Monday morning: 1h + the Saturday night 8h + 1h", "2025-03-07 17:00", "2025-03-10 10:00", 10 * time.Hour},
		{"the night span crosses midnight: Saturday 23:00 to Sunday 01:00", "2025-03-22 23:00", "2025-03-23 01:00", 2 * time.Hour},
		{"a clock starting after midnight inside Saturday's night span", "2025-03-23 05:00", "2025-03-23 12:00", time.Hour},
		{"spring forward: Saturday 22:00 CET to Sunday 06:00 CEST is 7 real hours", "2025-03-29 20:00", "2025-03-30 12:00", 7 * time.Hour},
		{"spring forward, then Monday 09:00-10:00: 6h + 1h", "2025-03-29 23:00", "2025-03-31 10:00", 7 * time.Hour},
		{"fall back: Saturday 22:00 CEST to Sunday 06:00 CET is 9 real hours", "2025-10-25 20:00", "2025-10-26 12:00", 9 * time.Hour},
		{"a week: 5×9h + 8h", "2025-03-03 00:00", "2025-03-10 00:00", 45*time.Hour + 8*time.Hour},
		{"a holiday Friday counts nothing", "2025-03-21 08:00", "2025-03-21 20:00", 0},
		{"a holiday Sunday stops Saturday's night at midnight", "2025-03-15 20:00", "2025-03-16 12:00", 2 * time.Hour},
		{"the week with the holiday Friday: 4×9h + 8h", "2025-03-17 00:00", "2025-03-24 00:00", 36*time.Hour + 8*time.Hour},
		{"to before from is zero", "2025-03-24 12:00", "2025-03-24 10:00", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.want, h.Between(madrid(c.from), madrid(c.to)))
		})
	}
	t.Run("instants given in another zone mean the same", func(t *testing.T) {
		t.Parallel()
		from := madrid("2025-03-29 20:00").UTC()
		require.Equal(t, 7*time.Hour, h.Between(from, madrid("2025-03-30 12:00").In(time.FixedZone("X", -5*3600))))
	})
	t.Run("a whole-day span on the 23-hour day", func(t *testing.T) {
		t.Parallel()
		all := loadHours(t, "time_zone: Europe/Madrid\nweekly: {sun: [\"00:00-24:00\"]}")
		require.Equal(t, 23*time.Hour, all.Between(madrid("2025-03-29 00:00"), madrid("2025-04-01 00:00")))
	})
	t.Run("agrees with Open minute by minute", func(t *testing.T) {
		t.Parallel()
		// Two weeks around the spring-forward Sunday, with both holidays.
		from, to := madrid("2025-03-13 00:00"), madrid("2025-04-02 00:00")
		var open time.Duration
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			if h.Open(m) {
				open += time.Minute
			}
		}
		require.Equal(t, open, h.Between(from, to))
		require.NotZero(t, open)
	})
}

func TestHoursErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, yaml, want string }{
		{"unknown zone", "time_zone: Mars/Olympus\nweekly: {mon: [\"09:00-10:00\"]}", `hours.time_zone: unknown time zone "Mars/Olympus"`},
		{"missing zone", "weekly: {mon: [\"09:00-10:00\"]}", "hours.time_zone: required"},
		{"no days", "time_zone: UTC", "hours.weekly: at least one day"},
		{"bad span", "time_zone: UTC\nweekly: {mon: [\"9-10\"]}", `time "9": want HH:MM`},
		{"empty span", "time_zone: UTC\nweekly: {mon: [\"09:00-09:00\"]}", "empty span (use 00:00-24:00 for a whole day)"},
		{"bad day", "time_zone: UTC\nweekly: {moonday: [\"09:00-10:00\"]}", `unknown day "moonday"`},
		{"day twice", "time_zone: UTC\nweekly: {mon-fri: [\"09:00-10:00\"], fri: [\"11:00-12:00\"]}", "Friday appears under more than one key"},
		{"bad holiday", "time_zone: UTC\nweekly: {mon: [\"09:00-10:00\"]}\nholidays: [\"25/12\"]", `date "25/12": want YYYY-MM-DD`},
		{"minute out of range", "time_zone: UTC\nweekly: {mon: [\"09:60-10:00\"]}", `time "09:60": out of range`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var h Hours
			err := yaml.Unmarshal([]byte(c.yaml), &h)
			if err == nil {
				err = h.Validate("hours")
			}
			require.ErrorContains(t, err, c.want)
		})
	}
}

func TestParseDaysRanges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key  string
		want []time.Weekday
	}{
		{"mon-fri", []time.Weekday{1, 2, 3, 4, 5}},
		{"fri-mon", []time.Weekday{5, 6, 0, 1}},
		{"sat,sun", []time.Weekday{6, 0}},
		{"Wednesday", []time.Weekday{3}},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			t.Parallel()
			got, err := parseDays(c.key)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}
