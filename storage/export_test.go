package storage

import (
	"context"
	"time"
)

// ParseInt8Array is exported for the table test of the parser.
var ParseInt8Array = parseInt8Array

// ReportEventKinds are the event kinds reports read, as storage lists them.
const ReportEventKinds = reportEventKinds

// InsertPeriodic inserts the job of one run of periodic task name, as
// River's periodic enqueuer would, and reports whether it was inserted.
func (q *Queue) InsertPeriodic(ctx context.Context, name string, every time.Duration) (bool, error) {
	args, opts := periodicJob(name, every)
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
