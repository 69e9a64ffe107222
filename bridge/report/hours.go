package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// BusinessHours measures business time: Between returns how much of the
// instant interval [from, to) falls inside opening hours (0 when to is not
// after from).
type BusinessHours interface {
	Between(from, to time.Time) time.Duration
}

// Span is one opening span of a week day in local wall-clock time: Start
// and End are offsets from that day's midnight. A span whose End is not
// after its Start crosses midnight and ends on the next day (22:00-06:00).
// Like routing.Hours, a span belongs to the day it starts on.
type Span struct {
	Day        time.Weekday
	Start, End time.Duration
}

// ParseSpan reads "HH:MM-HH:MM" for day; "00:00-24:00" is the whole day.
func ParseSpan(day time.Weekday, s string) (Span, error) {
	start, end, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("span %q: want HH:MM-HH:MM", s)
	}
	a, err := clock(start)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	b, err := clock(end)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	return Span{Day: day, Start: a, End: b}, nil
}

func clock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// WeeklyHours are opening spans repeated every week in one time zone. Span
// edges are wall-clock times: on a DST change a 22:00-06:00 night is one
// hour shorter or longer in real time, and Between counts real time.
// Spans are assumed not to overlap.
type WeeklyHours struct {
	Loc   *time.Location
	Spans []Span
}

var _ BusinessHours = WeeklyHours{}

// Between implements BusinessHours.
func (w WeeklyHours) Between(from, to time.Time) time.Duration {
	if !to.After(from) || len(w.Spans) == 0 {
		return 0
	}
	loc := w.Loc
	if loc == nil {
		loc = time.UTC
	}
	// Start one day early: yesterday's span may cross into from's day.
	day := midnight(from, loc, -1)
	y, m, d := day.Date()
	wd := day.Weekday()
	var total time.Duration
	for !day.After(to) {
		for _, s := range w.Spans {
			if wd != s.Day {
				continue
			}
			// time.Date on the local calendar keeps wall-clock edges right
			// across DST changes (Add would drift by the hour gained or lost).
			start := time.Date(y, m, d, int(s.Start/time.Hour), int(s.Start%time.Hour/time.Minute), 0, 0, loc)
			endDay := d
			if s.End <= s.Start {
				endDay++
			}
			end := time.Date(y, m, endDay, int(s.End/time.Hour), int(s.End%time.Hour/time.Minute), 0, 0, loc)
			total += overlap(start, end, from, to)
		}
		d++
		wd = (wd + 1) % 7
		day = time.Date(y, m, d, 0, 0, 0, 0, loc)
		y, m, d = day.Date()
	}
	return total
}

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
