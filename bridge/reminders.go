package bridge

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// CheckReminders reminds the people responsible for conversations that
// have waited too long, and escalates to supervisors after a second limit.
// A conversation waits from the first customer message after the last
// agent reply (or from its opening when nobody replied yet). Each reminder
// and escalation is sent once per wait, recorded in the event log. It is
// run periodically by one replica (a River periodic job) and by tests with
// a controllable clock.
func (b *Bridge) CheckReminders(ctx context.Context) error {
	now := b.now()
	for _, name := range strings.Split(b.teamNames(), ", ") {
		team := b.teams[name]
		if team.RemindAfter <= 0 && team.EscalateAfter <= 0 {
			continue
		}
		err := b.inTx(ctx, func(tx Tx) error {
			convs, err := tx.OpenConversations(ctx, team.Name)
			if err != nil {
				return err
			}
			for _, c := range convs {
				if err := b.remind(ctx, tx, team, c, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// waitingSince is when the customer started waiting, or zero when the last
// word was the agent's.
func waitingSince(ctx context.Context, tx Tx, c Conversation) (time.Time, error) {
	reply, err := tx.LastEvent(ctx, c.ID, EventReplied)
	if errors.Is(err, ErrNotFound) {
		return c.OpenedAt, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	next, err := tx.FirstEventAfter(ctx, c.ID, EventReceived, reply.At)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, nil
	}
	return next.At, err
}

func (b *Bridge) remind(ctx context.Context, tx Tx, team Team, c Conversation, now time.Time) error {
	if c.Assignee == assist.AgentID {
		return nil // the assistant answers it: nobody keeps the customer waiting
	}
	since, err := waitingSince(ctx, tx, c)
	if err != nil || since.IsZero() {
		return err
	}
	waited := now.Sub(since)
	lang := b.language(team.Name)
	already := func(kind string) (bool, error) {
		_, err := tx.FirstEventAfter(ctx, c.ID, kind, since.Add(-time.Millisecond))
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	if team.EscalateAfter > 0 && waited >= team.EscalateAfter && len(team.Supervisors) > 0 {
		done, err := already(EventEscalated)
		if err != nil || done {
			return err
		}
		if err := tx.AppendEvent(ctx, Event{ConversationID: c.ID, Kind: EventEscalated, At: now}); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, c.ID, Text(lang, "sys.escalated", mentions(team.Supervisors), HumanDuration(waited)), now)
	}
	if team.RemindAfter > 0 && waited >= team.RemindAfter {
		done, err := already(EventReminded)
		if err != nil || done {
			return err
		}
		who := c.Assignee
		var text string
		if who != "" {
			text = Text(lang, "sys.remind_assignee", MentionToken(who), HumanDuration(waited))
		} else {
			text = Text(lang, "sys.remind_team", mentions(team.Members), team.Name, HumanDuration(waited))
		}
		if err := tx.AppendEvent(ctx, Event{ConversationID: c.ID, Kind: EventReminded, Actor: who, At: now}); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, c.ID, text, now)
	}
	return nil
}

func mentions(users []string) string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = MentionToken(u)
	}
	return strings.Join(out, " ")
}
