package bridge

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Service-level targets. Each open conversation of a team with targets
// runs up to two clocks, defined as in docs/metrics.md: a response clock
// (first response until the first agent reply of the conversation or of a
// reopened stretch, next response afterwards) while the customer waits,
// and a resolution clock from the opening (or the latest reopen). Clocks
// count business time when the team has hours. At WarnAt of a target a
// warning is posted, past the target a breach alert: each in the thread,
// mentioning the assignee (or the team's members), and in the
// supervisors' channel when the team has one. Every announcement is made
// once per run of a clock (a unique sla_alerts row).

// SLA clock names, stored in sla_alerts and events: never rename one.
const (
	ClockFirstResponse = "first_response"
	ClockNextResponse  = "next_response"
	ClockResolution    = "resolution"
)

// SLA alert levels, stored: never rename one.
const (
	SLAWarning = "warning"
	SLABreach  = "breach"
)

// Event kinds of announced alerts; Data is the clock name.
const (
	EventSLAWarning = "sla_warning"
	EventSLABreach  = "sla_breach"
)

// SLAAlert is one announced warning or breach of one run of a clock.
type SLAAlert struct {
	ConversationID ConversationID
	Clock          string
	StartedAt      time.Time // when this run of the clock started
	Level          string
	At             time.Time
}

// CheckSLAs announces the warnings and breaches due now. It is run
// periodically by one replica (a River periodic job) and by tests with a
// controllable clock.
func (b *Bridge) CheckSLAs(ctx context.Context) error {
	now := b.now()
	names := make([]string, 0, len(b.teams))
	for name, t := range b.teams {
		if t.Supervision.SLA.Watched() {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		team := b.teams[name]
		err := b.inTx(ctx, func(tx Tx) error {
			convs, err := tx.OpenConversations(ctx, team.Name)
			if err != nil {
				return err
			}
			for _, c := range convs {
				if err := b.checkSLA(ctx, tx, team, c, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runningClock is one SLA clock running at the time of the check.
type runningClock struct {
	name   string
	since  time.Time
	target time.Duration
}

func (b *Bridge) checkSLA(ctx context.Context, tx Tx, team Team, c Conversation, now time.Time) error {
	clocks, err := slaClocks(ctx, tx, c, team.Supervision.SLA)
	if err != nil {
		return err
	}
	for _, clk := range clocks {
		sla := team.Supervision.SLA
		// Business time never exceeds wall time: skip the calendar
		// arithmetic while the wall clock is below the warning threshold.
		threshold := clk.target
		if sla.WarnAt > 0 {
			threshold = time.Duration(sla.WarnAt * float64(clk.target))
		}
		if now.Sub(clk.since) < threshold {
			continue
		}
		used := now.Sub(clk.since)
		if team.Supervision.Hours != nil {
			used = team.Supervision.Hours.Between(clk.since, now)
		}
		level := SLALevel(used, clk.target, sla.WarnAt)
		if level == "" {
			continue
		}
		if err := b.announceSLA(ctx, tx, team, c, clk, level, used, now); err != nil {
			return err
		}
	}
	return nil
}

// SLALevel says what a clock that has used `used` of target deserves:
// SLABreach past the target, SLAWarning from warnAt of it, else "".
func SLALevel(used, target time.Duration, warnAt float64) string {
	switch {
	case target <= 0:
		return ""
	case used > target:
		return SLABreach
	case warnAt > 0 && float64(used) >= warnAt*float64(target):
		return SLAWarning
	}
	return ""
}

// slaClocks returns the clocks of c that run now and have a target.
func slaClocks(ctx context.Context, tx Tx, c Conversation, sla SLA) ([]runningClock, error) {
	segStart, byCustomer := c.OpenedAt, false
	reopened, err := tx.LastEvent(ctx, c.ID, EventReopened)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err == nil && reopened.At.After(segStart) {
		segStart, byCustomer = reopened.At, reopened.Actor == "customer"
	}
	var out []runningClock
	if sla.Resolution > 0 {
		out = append(out, runningClock{name: ClockResolution, since: segStart, target: sla.Resolution})
	}
	reply, err := tx.LastEvent(ctx, c.ID, EventReplied)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	replied := err == nil && !reply.At.Before(segStart)
	var since time.Time
	name := ClockFirstResponse
	switch {
	case replied:
		name = ClockNextResponse
		since, err = firstAsking(ctx, tx, c.ID, reply.At)
	case byCustomer:
		since = segStart // the customer's message reopened it
	case segStart.After(c.OpenedAt):
		since, err = firstAsking(ctx, tx, c.ID, segStart)
	default:
		since, err = firstAsking(ctx, tx, c.ID, time.Time{})
	}
	if err != nil {
		return nil, err
	}
	target := sla.FirstResponse
	if name == ClockNextResponse {
		target = sla.NextResponse
	}
	if !since.IsZero() && target > 0 {
		out = append(out, runningClock{name: name, since: since, target: target})
	}
	return out, nil
}

// silentKinds are customer messages that ask for no answer (see
// docs/metrics.md): they start no response clock.
var silentKinds = map[string]bool{string(KindSystem): true, string(KindReaction): true, string(KindEdit): true, string(KindRevoke): true}

// firstAsking is the time of the first customer message after `after` that
// asks for an answer, or zero.
func firstAsking(ctx context.Context, tx Tx, conv ConversationID, after time.Time) (time.Time, error) {
	for range 100 {
		e, err := tx.FirstEventAfter(ctx, conv, EventReceived, after)
		if errors.Is(err, ErrNotFound) {
			return time.Time{}, nil
		}
		if err != nil {
			return time.Time{}, err
		}
		if !silentKinds[e.Data] {
			return e.At, nil
		}
		after = e.At
	}
	return time.Time{}, nil
}

// announceSLA posts a warning or breach once per run of the clock.
func (b *Bridge) announceSLA(ctx context.Context, tx Tx, team Team, c Conversation, clk runningClock, level string, used time.Duration, now time.Time) error {
	alert := SLAAlert{ConversationID: c.ID, Clock: clk.name, StartedAt: clk.since, Level: level, At: now}
	fresh, err := tx.MarkSLAAlert(ctx, alert)
	if err != nil || !fresh {
		return err
	}
	event := EventSLAWarning
	if level == SLABreach {
		event = EventSLABreach
		// A breach makes a later warning of the same run pointless.
		alert.Level = SLAWarning
		if _, err := tx.MarkSLAAlert(ctx, alert); err != nil {
			return err
		}
		b.opts.Metrics.SLABreach(team.Name, clk.name, c.Channel)
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: c.ID, Kind: event, Actor: c.Assignee, Data: clk.name, At: now}); err != nil {
		return err
	}
	lang := b.language(team.Name)
	business := ""
	if team.Supervision.Hours != nil {
		business = Text(lang, "sla.business")
	}
	clock := Text(lang, "sla."+clk.name)
	// who leads the thread post: the assignee, else the team's members.
	who, holder := "", Text(lang, "card.nobody")
	if c.Assignee == assist.AgentID {
		holder = Text(lang, "fl.name") // the first-line assistant: no one to mention
	} else if c.Assignee != "" {
		who, holder = MentionToken(c.Assignee)+" ", MentionToken(c.Assignee)
	} else if len(team.Members) > 0 {
		who = mentions(team.Members) + " "
	}
	args := []any{clock, HumanDuration(used), HumanDuration(clk.target), business}
	if err := b.enqueueSystem(ctx, tx, c.ID, Text(lang, "sys.sla_"+level, append([]any{who}, args...)...), now); err != nil {
		return err
	}
	if team.Supervision.SupervisorsChannel == "" {
		return nil
	}
	text := Text(lang, "sup.sla_"+level, append([]any{team.Name, int64(c.ID)}, append(args, holder)...)...)
	return b.enqueueChannelPost(ctx, tx, c.ID, team.Supervision.SupervisorsChannel, text, true, now)
}
