package report

import "time"

// BusinessHours measures business time: Between returns how much of the
// instant interval [from, to) falls inside opening hours (0 when to is not
// after from). routing.Hours, the hours teams are configured with
// (holidays included), is one.
type BusinessHours interface {
	Between(from, to time.Time) time.Duration
}
