package report

import "time"

// Period is the half-open interval [From, To). Its time zone (From's
// location) is the one days and hours of the report are counted in.
type Period struct {
	From, To time.Time
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.From) && t.Before(p.To)
}

// Location is the time zone the period was built in.
func (p Period) Location() *time.Location { return p.From.Location() }

func midnight(t time.Time, loc *time.Location, addDays int) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()+addDays, 0, 0, 0, 0, loc)
}

// Today is the local day of now in loc, from its midnight to the next one
// (23 or 25 hours on a DST change).
func Today(now time.Time, loc *time.Location) Period {
	return Period{From: midnight(now, loc, 0), To: midnight(now, loc, 1)}
}

// Yesterday is the whole local day before now's.
func Yesterday(now time.Time, loc *time.Location) Period {
	return Period{From: midnight(now, loc, -1), To: midnight(now, loc, 0)}
}

// LastDays is the n whole local days before today (today excluded, so the
// figures do not change while the day goes on): LastDays(now, loc, 7) is
// "last 7 days".
func LastDays(now time.Time, loc *time.Location, n int) Period {
	return Period{From: midnight(now, loc, -n), To: midnight(now, loc, 0)}
}

// Days returns the local midnights that start each day of the period.
func (p Period) Days() []time.Time {
	loc := p.Location()
	var out []time.Time
	for d := midnight(p.From, loc, 0); d.Before(p.To); d = midnight(d, loc, 1) {
		out = append(out, d)
	}
	return out
}
