package slack

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Slack's posting limit: chat.postMessage allows about one message per
// second per channel, with short bursts tolerated; beyond that it answers
// 429 with Retry-After.
const (
	DefaultPostsPerSecond = 1.0
	DefaultPostBurst      = 4
)

// Pacing configures Pacer. PerSecond <= 0 turns pacing off.
type Pacing struct {
	// PerSecond is the sustained rate of chat.postMessage calls allowed
	// per channel.
	PerSecond float64
	// Burst is how many posts may go out back to back in a channel that
	// has been quiet (at least 1).
	Burst int
}

// DefaultPacing is Slack's documented posting limit.
func DefaultPacing() Pacing { return Pacing{PerSecond: DefaultPostsPerSecond, Burst: DefaultPostBurst} }

// Pacer spaces posts per channel so that switchboard stays under Slack's
// limit instead of running into 429s: a burst of new conversations in one
// team's channel waits here, in the order the posts asked, rather than
// failing and retrying with backoff. One Pacer serves every replica's
// share only approximately (each process paces itself); Slack's 429s,
// still honoured, cover the rest.
//
// Waiting happens inside a delivery job, never inside a database
// transaction (deliveries call the platform outside transactions), and
// ends when the job's context does: a job stopped while it waits is
// handed back without spending an attempt.
type Pacer struct {
	limit rate.Limit
	burst int

	mu       sync.Mutex
	channels map[string]*rate.Limiter
	waiting  int
	peak     int
	maxWait  time.Duration
}

// NewPacer returns a Pacer for p, or nil (no pacing) when p.PerSecond <= 0.
func NewPacer(p Pacing) *Pacer {
	if p.PerSecond <= 0 {
		return nil
	}
	return &Pacer{limit: rate.Limit(p.PerSecond), burst: max(p.Burst, 1), channels: map[string]*rate.Limiter{}}
}

// Wait blocks until a post may go out in channel, or ctx ends. A nil
// Pacer never waits.
func (p *Pacer) Wait(ctx context.Context, channel string) error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	lim, ok := p.channels[channel]
	if !ok {
		lim = rate.NewLimiter(p.limit, p.burst)
		p.channels[channel] = lim
	}
	r := lim.Reserve()
	delay := r.Delay()
	if delay > 0 {
		p.waiting++
		p.peak = max(p.peak, p.waiting)
		p.maxWait = max(p.maxWait, delay)
	}
	p.mu.Unlock()
	if delay <= 0 {
		return nil
	}
	defer func() {
		p.mu.Lock()
		p.waiting--
		p.mu.Unlock()
	}()
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		// Give the slot back so the posts queued behind move up.
		r.Cancel()
		return fmt.Errorf("slack: paced post to %s: %w", channel, ctx.Err())
	}
}

// PacerStats is a snapshot for logs, metrics and the benchmark.
type PacerStats struct {
	Waiting int           // posts waiting for their slot now
	Peak    int           // most posts ever waiting at once
	MaxWait time.Duration // longest wait handed out so far
}

// Stats returns the current backlog and the longest wait so far.
func (p *Pacer) Stats() PacerStats {
	if p == nil {
		return PacerStats{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return PacerStats{Waiting: p.waiting, Peak: p.peak, MaxWait: p.maxWait}
}
