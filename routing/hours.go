package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	// The IANA database is embedded so business hours mean the same thing
	// on every machine, including minimal containers without /usr/share/zoneinfo.
	_ "time/tzdata"

	"go.yaml.in/yaml/v3"
)

// Hours are a team's (or an agent's) weekly opening hours in one time zone.
//
//	time_zone: America/Sao_Paulo
//	weekly:
//	  mon-fri: ["09:00-18:00"]
//	  sat: ["10:00-14:00"]
//	  sun: ["22:00-06:00"]   # crosses midnight: Sunday 22:00 to Monday 06:00
//	holidays: ["2025-12-25", "01-01"]   # a date, or a month-day every year
//
// A span belongs to the day it starts on; one that crosses midnight goes on
// into the next day. A holiday closes its whole local calendar day: no span
// starts on it and the after-midnight tail of the previous day's span stops
// at its midnight.
type Hours struct {
	TimeZone string `yaml:"time_zone"`
	Weekly   Weekly `yaml:"weekly"`
	Holidays []Date `yaml:"holidays"`
	loc      *location
}

// location caches the loaded zone; a pointer so Hours stays comparable and
// copies share it.
type location struct{ loc *time.Location }

// Validate checks the time zone and loads it. Load calls it; call it
// yourself when you build Hours in code. path prefixes error messages.
func (h *Hours) Validate(path string) error {
	if h.TimeZone == "" {
		return fmt.Errorf("%s.time_zone: required (an IANA name such as Europe/Madrid)", path)
	}
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil {
		return fmt.Errorf("%s.time_zone: unknown time zone %q (use an IANA name such as America/Mexico_City)", path, h.TimeZone)
	}
	if len(h.Weekly) == 0 {
		return fmt.Errorf("%s.weekly: at least one day with opening spans is required", path)
	}
	h.loc = &location{loc: loc}
	return nil
}

// Location is the time zone of the hours, UTC when it cannot be loaded.
func (h Hours) Location() *time.Location {
	if h.loc != nil {
		return h.loc.loc
	}
	if loc, err := time.LoadLocation(h.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Open reports whether t falls inside the hours.
func (h Hours) Open(t time.Time) bool {
	return h.openIn(t.In(h.Location()))
}

func (h Hours) openIn(local time.Time) bool {
	if h.isHoliday(local) {
		return false
	}
	minute := local.Hour()*60 + local.Minute()
	for _, s := range h.Weekly[local.Weekday()] {
		if s.crossesMidnight() {
			if minute >= s.Start {
				return true
			}
		} else if minute >= s.Start && minute < s.End {
			return true
		}
	}
	y, m, d := local.Date()
	yesterday := time.Date(y, m, d-1, 12, 0, 0, 0, local.Location())
	if h.isHoliday(yesterday) {
		return false
	}
	for _, s := range h.Weekly[yesterday.Weekday()] {
		if s.crossesMidnight() && minute < s.End {
			return true
		}
	}
	return false
}

// NextOpen returns t itself when the hours are open at t, otherwise the
// first later instant at which they open. ok is false when they never open
// within the next two years (no spans, or every day a holiday).
func (h Hours) NextOpen(t time.Time) (next time.Time, ok bool) {
	loc := h.Location()
	local := t.In(loc)
	if h.openIn(local) {
		return t, true
	}
	// Opening instants are span starts and midnights (where a crossing span
	// resumes after a holiday). Check each candidate in order.
	y, m, d := local.Date()
	for day := 0; day <= 2*366; day++ {
		midnight := time.Date(y, m, d+day, 0, 0, 0, 0, loc)
		candidates := []time.Time{midnight}
		for _, s := range h.Weekly[midnight.Weekday()] {
			candidates = append(candidates, time.Date(y, m, d+day, s.Start/60, s.Start%60, 0, 0, loc))
		}
		slices.SortFunc(candidates, func(a, b time.Time) int { return a.Compare(b) })
		for _, c := range candidates {
			if c.After(t) && h.openIn(c.In(loc)) {
				return c, true
			}
		}
	}
	return time.Time{}, false
}

func (h Hours) isHoliday(local time.Time) bool {
	y, m, d := local.Date()
	for _, hd := range h.Holidays {
		if hd.Month == m && hd.Day == d && (hd.Year == 0 || hd.Year == y) {
			return true
		}
	}
	return false
}

// Weekly maps a weekday to its opening spans. In YAML a key names one day
// ("mon", "monday"), a range ("mon-fri", "fri-mon" wraps), a list
// ("sat,sun"), or "daily"; a day may appear under one key only.
type Weekly map[time.Weekday][]Span

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// parseDays reads a Weekly key.
func parseDays(key string) ([]time.Weekday, error) {
	key = strings.ToLower(strings.TrimSpace(key))
	if key == "daily" {
		return []time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil
	}
	var days []time.Weekday
	for _, part := range strings.Split(key, ",") {
		part = strings.TrimSpace(part)
		from, to, isRange := strings.Cut(part, "-")
		a, okA := dayNames[strings.TrimSpace(from)]
		if !okA {
			return nil, fmt.Errorf("unknown day %q (use mon, tue, …, sun, a range mon-fri, a list sat,sun or daily)", part)
		}
		if !isRange {
			days = append(days, a)
			continue
		}
		b, okB := dayNames[strings.TrimSpace(to)]
		if !okB {
			return nil, fmt.Errorf("unknown day %q in range %q", to, part)
		}
		for d := a; ; d = (d + 1) % 7 {
			days = append(days, d)
			if d == b {
				break
			}
		}
	}
	return days, nil
}

// UnmarshalYAML reads day keys and their span lists.
func (w *Weekly) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: weekly must be a mapping of days to spans, e.g. mon-fri: [\"09:00-18:00\"]", n.Line)
	}
	out := Weekly{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		days, err := parseDays(k.Value)
		if err != nil {
			return fmt.Errorf("line %d: weekly: %w", k.Line, err)
		}
		var spans []Span
		if err := v.Decode(&spans); err != nil {
			return fmt.Errorf("line %d: weekly.%s: %w", v.Line, k.Value, err)
		}
		for _, d := range days {
			if _, dup := out[d]; dup {
				return fmt.Errorf("line %d: weekly: %s appears under more than one key", k.Line, d)
			}
			out[d] = spans
		}
	}
	*w = out
	return nil
}

// Span is an opening interval within a day in minutes since local midnight.
// End is after Start, or before it when the span crosses midnight
// ("22:00-06:00"). End may be 24*60 ("18:00-24:00").
type Span struct {
	Start, End int
}

// ParseSpan reads "HH:MM-HH:MM".
func ParseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, fmt.Errorf("span %q: want HH:MM-HH:MM such as 09:00-18:00", s)
	}
	a, err := parseClock(from)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	b, err := parseClock(to)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	if a == 24*60 {
		return Span{}, fmt.Errorf("span %q: a span cannot start at 24:00", s)
	}
	if a == b {
		return Span{}, fmt.Errorf("span %q: empty span (use 00:00-24:00 for a whole day)", s)
	}
	if b == 24*60 && a == 0 {
		return Span{Start: 0, End: 24 * 60}, nil
	}
	return Span{Start: a, End: b}, nil
}

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("time %q: out of range", s)
	}
	return h*60 + m, nil
}

func (s Span) crossesMidnight() bool { return s.End < s.Start }

// String writes the span back as "HH:MM-HH:MM".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
}

// UnmarshalYAML reads "HH:MM-HH:MM".
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	sp, err := ParseSpan(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = sp
	return nil
}

// Date is a holiday: a calendar date, or with Year 0 a month and day that
// recur every year.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD" or "MM-DD".
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
	}
	// 2024 is a leap year so 02-29 is accepted as a recurring date.
	if t, err := time.Parse("2006-01-02", "2024-"+s); err == nil && len(s) == 5 {
		return Date{Month: t.Month(), Day: t.Day()}, nil
	}
	return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD, or MM-DD for every year", s)
}

// UnmarshalYAML reads "YYYY-MM-DD" or "MM-DD".
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = v
	return nil
}

// String writes the date back as YAML accepts it.
func (d Date) String() string {
	if d.Year == 0 {
		return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Between returns how much of the interval [from, to) falls inside the
// hours, in real time: on a DST change a 22:00-06:00 night is an hour
// shorter or longer. Holidays close their whole day, as in Open. Reports
// measure business time with it (bridge/report.BusinessHours).
func (h Hours) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	loc := h.Location()
	// Start one day early: yesterday's span may cross into from's day.
	start := from.In(loc)
	y, m, d := start.Date()
	d--
	var total time.Duration
	for {
		day := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if day.After(to) {
			return total
		}
		if !h.isHoliday(day) {
			nextIsHoliday := h.isHoliday(time.Date(y, m, d+1, 12, 0, 0, 0, loc))
			for _, s := range h.Weekly[day.Weekday()] {
				// time.Date on the local calendar keeps wall-clock edges
				// right across DST changes (Add would drift by the hour).
				open := time.Date(y, m, d, s.Start/60, s.Start%60, 0, 0, loc)
				var closed time.Time
				switch {
				case !s.crossesMidnight():
					closed = time.Date(y, m, d, s.End/60, s.End%60, 0, 0, loc)
				case nextIsHoliday:
					closed = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
				default:
					closed = time.Date(y, m, d+1, s.End/60, s.End%60, 0, 0, loc)
				}
				total += overlap(open, closed, from, to)
			}
		}
		d++
	}
}

// overlap is the length of the intersection of [a1, a2) and [b1, b2).
func overlap(a1, a2, b1, b2 time.Time) time.Duration {
	lo, hi := a1, a2
	if b1.After(lo) {
		lo = b1
	}
	if b2.Before(hi) {
		hi = b2
	}
	if !hi.After(lo) {
		return 0
	}
	return hi.Sub(lo)
}
