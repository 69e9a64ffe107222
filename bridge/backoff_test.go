package bridge

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestBackoffIsJitteredWithinBounds: every wait lies between minBackoff and
// the attempt's ceiling (1 s, 2 s, 4 s, … 5 min), reaches both ends of
// that range, and varies, so lanes that failed together retry apart.
func TestBackoffIsJitteredWithinBounds(t *testing.T) {
	ceilings := []struct {
		attempt int
		ceiling time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {6, 32 * time.Second},
		{9, 256 * time.Second}, {10, 5 * time.Minute}, {30, 5 * time.Minute},
	}
	for _, c := range ceilings {
		if got := backoff(c.attempt, func() float64 { return 0 }); got != minBackoff {
			t.Errorf("attempt %d, lowest draw: %s, want %s", c.attempt, got, minBackoff)
		}
		if got := backoff(c.attempt, func() float64 { return 0.9999999 }); got > c.ceiling || got < c.ceiling-time.Millisecond {
			t.Errorf("attempt %d, highest draw: %s, want just under %s", c.attempt, got, c.ceiling)
		}
		rnd := rand.New(rand.NewPCG(1, uint64(c.attempt)))
		seen := map[time.Duration]bool{}
		for range 200 {
			got := backoff(c.attempt, rnd.Float64)
			if got < minBackoff || got > c.ceiling {
				t.Fatalf("attempt %d: %s is outside [%s, %s]", c.attempt, got, minBackoff, c.ceiling)
			}
			seen[got] = true
		}
		if len(seen) < 150 {
			t.Errorf("attempt %d: only %d distinct waits in 200 draws", c.attempt, len(seen))
		}
	}
}

// TestLeaseShorterThanJobTimeoutIsRefused: a job that runs to its timeout
// must still hold its lane, so a shorter lease is a configuration error.
func TestLeaseShorterThanJobTimeoutIsRefused(t *testing.T) {
	teams := []Team{{Name: "support", ChannelID: "C1"}}
	_, err := New(nil, nil, nil, Options{Teams: teams, JobTimeout: time.Minute, LeaseDuration: 30 * time.Second})
	if err == nil {
		t.Fatal("a 30s lease with a 1m job timeout was accepted")
	}
	b, err := New(nil, nil, nil, Options{Teams: teams, JobTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if b.opts.LeaseDuration != time.Minute {
		t.Errorf("lease defaults to %s, want the job timeout", b.opts.LeaseDuration)
	}
}
