package bridge

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Digests: per team, daily (covering the day before) and/or weekly
// (covering the seven days before), at a local time of day, posted to the
// team's supervisors' channel (or its own) as the metrics table with the
// chart uploaded as a PNG. Each period's digest is a row keyed by
// (team, kind, local date): created with INSERT … ON CONFLICT DO NOTHING
// and claimed with a conditional update carrying a lease, so however many
// replicas run the check, one posts it; a failed attempt is taken again
// when its lease ends, up to digestMaxAttempts.

// DigestState is where a digest stands. Stored: never rename one.
type DigestState string

const (
	DigestPending DigestState = "pending"
	DigestSent    DigestState = "sent"
	DigestFailed  DigestState = "failed"
)

const (
	digestLease       = 5 * time.Minute
	digestMaxAttempts = 5
)

// DigestRun is one digest due: its kind ("daily" or "weekly"), the local
// date it is sent on, the instant it was scheduled for, and the report
// period it covers ("yesterday" or "7d", counted at FireAt).
type DigestRun struct {
	Kind   string
	Day    string
	FireAt time.Time
	Period string
}

// DueDigests lists the digests of schedule s that are due at now in loc:
// those of today whose time of day has passed. A day missed entirely (no
// replica running) is not sent late.
func DueDigests(s DigestSchedule, loc *time.Location, now time.Time) []DigestRun {
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	y, m, d := local.Date()
	fire := time.Date(y, m, d, int(s.At/time.Hour), int(s.At%time.Hour/time.Minute), 0, 0, loc)
	if now.Before(fire) {
		return nil
	}
	day := local.Format("2006-01-02")
	var out []DigestRun
	if s.Daily {
		out = append(out, DigestRun{Kind: "daily", Day: day, FireAt: fire, Period: "yesterday"})
	}
	if s.Weekly && local.Weekday() == s.Weekday {
		out = append(out, DigestRun{Kind: "weekly", Day: day, FireAt: fire, Period: "7d"})
	}
	return out
}

// RunDigests posts the digests due now. It is run periodically by one
// replica (a River periodic job); running it on several at once still
// posts each digest once.
func (b *Bridge) RunDigests(ctx context.Context) error {
	if b.opts.Reporter == nil {
		return nil
	}
	now := b.now()
	names := make([]string, 0, len(b.teams))
	for name, t := range b.teams {
		if t.Supervision.Digest.enabled() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		team := b.teams[name]
		for _, run := range DueDigests(team.Supervision.Digest, team.location(), now) {
			if err := b.sendDigest(ctx, team, run, now); err != nil {
				b.log.Warn("digest not posted; it is retried", "team", team.Name, "kind", run.Kind, "day", run.Day, "err", err)
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (b *Bridge) sendDigest(ctx context.Context, team Team, run DigestRun, now time.Time) error {
	key := team.Name + "/" + run.Kind + "/" + run.Day
	var (
		claimed  bool
		attempts int
	)
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		claimed, attempts, err = tx.ClaimDigest(ctx, key, team.Name, now, now.Add(digestLease))
		return err
	})
	if err != nil || !claimed {
		return err
	}
	giveUp := func(err error) error {
		if de, ok := AsDeliveryError(err); (ok && de.Permanent) || attempts >= digestMaxAttempts {
			return errors.Join(err, b.finishDigest(ctx, key, DigestFailed))
		}
		return err
	}
	ws, ok := b.workspaces[team.Workspace]
	if !ok {
		return giveUp(notConfigured(string(team.Workspace) + " workspace"))
	}
	lang := b.language(team.Name)
	rep, err := b.opts.Reporter.Report(ctx, ReportQuery{Team: team.Name, Period: run.Period, Now: run.FireAt, Lang: lang,
		ByAgent: true, Chart: true})
	if err != nil {
		return giveUp(fmt.Errorf("digest %s: %w", key, err))
	}
	loc := team.location()
	first, last := rep.From.In(loc), rep.To.Add(-time.Millisecond).In(loc)
	title := Text(lang, "digest."+run.Kind, team.Name, first.Format("2006-01-02"), last.Format("2006-01-02"))
	comment := title + "\n```\n" + rep.Table + "```"
	channel := team.Supervision.Digest.Channel
	if channel == "" {
		channel = team.Supervision.SupervisorsChannel
	}
	if channel == "" {
		channel = team.ChannelID
	}
	where := ThreadRef{Workspace: team.Workspace, ChannelID: channel}
	if len(rep.Chart) > 0 {
		file := File{Name: fmt.Sprintf("switchboard-%s-%s-%s.png", team.Name, run.Kind, run.Day), MimeType: "image/png", Data: rep.Chart}
		_, err = ws.PostFile(ctx, where, file, comment)
	} else {
		_, err = ws.Post(ctx, where, Post{Kind: PostSystem, Text: comment})
	}
	if err != nil {
		return giveUp(fmt.Errorf("digest %s: %w", key, err))
	}
	return b.finishDigest(ctx, key, DigestSent)
}

// finishDigest records the outcome, retrying briefly: a digest posted but
// not recorded would be posted again when its lease ends.
func (b *Bridge) finishDigest(ctx context.Context, key string, state DigestState) error {
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return err
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		}
		err = b.store.InTx(ctx, func(tx Tx) error { return tx.FinishDigest(ctx, key, state, b.now()) })
		if err == nil {
			return nil
		}
	}
	return err
}
