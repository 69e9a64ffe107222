package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

// scriptedRunner answers RunLane (and RunDelivery) from a script, one
// answer per call.
type scriptedRunner struct {
	answers []runAnswer
	calls   int
}

type runAnswer struct {
	done bool
	wait time.Duration
}

func (r *scriptedRunner) RunLane(context.Context, bridge.Lane, string) (bool, time.Duration, error) {
	a := r.answers[min(r.calls, len(r.answers)-1)]
	r.calls++
	return a.done, a.wait, nil
}

func (r *scriptedRunner) RunDelivery(ctx context.Context, _ bridge.DeliveryID, holder string) (bool, time.Duration, error) {
	return r.RunLane(ctx, "", holder)
}

func TestDeliveryJobWaitsOutShortWaitsItself(t *testing.T) {
	t.Parallel()
	job := &river.Job[DeliverArgs]{JobRow: &rivertype.JobRow{ID: 7}, Args: DeliverArgs{DeliveryID: 1, Lane: "c1:customer"}}
	snoozed := func(err error) (time.Duration, bool) {
		var se *rivertype.JobSnoozeError
		if errors.As(err, &se) {
			return se.Duration, true
		}
		return 0, false
	}
	tests := []struct {
		name    string
		answers []runAnswer
		calls   int
		snooze  time.Duration // -1: the job completes
	}{
		{"an ordering window of 50 ms is waited out in the job", []runAnswer{{wait: 50 * time.Millisecond}, {done: true}}, 2, -1},
		{"several short waits add up to the bound", []runAnswer{{wait: 40 * time.Millisecond}, {wait: 40 * time.Millisecond}, {done: true}}, 3, -1},
		{"a retry backoff longer than the bound snoozes", []runAnswer{{wait: 10 * time.Second}}, 1, 10 * time.Second},
		{"short waits beyond the bound snooze", []runAnswer{{wait: 60 * time.Millisecond}}, 2, 60 * time.Millisecond},
		{"a busy lane goes back to the queue at once", []runAnswer{{wait: 0}}, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &scriptedRunner{answers: tc.answers}
			w := &deliverWorker{slot: &runnerSlot{r}, inJobWait: 100 * time.Millisecond}
			err := w.Work(context.Background(), job)
			require.Equal(t, tc.calls, r.calls)
			if tc.snooze < 0 {
				require.NoError(t, err)
				return
			}
			got, ok := snoozed(err)
			require.True(t, ok, "want a snooze, got %v", err)
			require.Equal(t, tc.snooze, got)
		})
	}
	t.Run("a job ending while it waits hands the delivery back", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		r := &scriptedRunner{answers: []runAnswer{{wait: time.Hour}}}
		w := &deliverWorker{slot: &runnerSlot{r}, inJobWait: 2 * time.Hour}
		cancel()
		got, ok := snoozed(w.Work(ctx, job))
		require.True(t, ok)
		require.Zero(t, got)
	})
	require.Equal(t, 2*time.Second, inJobWait(time.Minute), "the default job timeout allows two seconds")
	require.Equal(t, time.Second, inJobWait(20*time.Second), "a short job timeout keeps the wait within its margin")
}

func TestFailedJobsAreRetriedWithinHalfAMinute(t *testing.T) {
	t.Parallel()
	low := func() float64 { return 0 }
	high := func() float64 { return 0.999999 }
	for _, tc := range []struct {
		errors        int
		atLeast, most time.Duration
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{3, 2 * time.Second, 4 * time.Second},
		{5, 8 * time.Second, 16 * time.Second},
		{6, 15 * time.Second, 30 * time.Second},
		{24, 15 * time.Second, 30 * time.Second},
	} {
		require.Equal(t, tc.atLeast, jobRetryDelay(tc.errors, low), "after error %d", tc.errors)
		require.InDelta(t, float64(tc.most), float64(jobRetryDelay(tc.errors, high)), float64(time.Millisecond), "after error %d", tc.errors)
	}
	// River hands the policy the job with its past errors: the third error
	// (two recorded) waits 2–4 s, not River's default 81 s.
	job := &rivertype.JobRow{Errors: []rivertype.AttemptError{{}, {}}}
	wait := time.Until(jobRetryPolicy{}.NextRetry(job))
	require.Greater(t, wait, time.Second)
	require.LessOrEqual(t, wait, 4*time.Second)
}
