package bridge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Supervision is what a team's supervisors asked for on top of the core
// loop: a satisfaction survey after each resolution (csat.go), service
// targets with warnings and alerts (sla.go) and a periodic digest
// (digest.go). The zero value turns everything off.
type Supervision struct {
	// CSAT sends the customer a three-button survey when a conversation is
	// resolved inside the 24-hour window.
	CSAT bool
	// CSATCommentWindow: a text the customer writes this soon after
	// answering the survey is kept as its comment (and does not reopen the
	// conversation). 0 turns comments off.
	CSATCommentWindow time.Duration
	SLA               SLA
	// Hours are the team's business hours; SLA clocks count only business
	// time when set (nil: wall-clock time).
	Hours BusinessHours
	// Location is the team's time zone for digests and periods (nil: UTC).
	Location *time.Location
	// SupervisorsChannel, when set, receives SLA alerts and digests (a
	// channel of the team's workspace).
	SupervisorsChannel string
	Digest             DigestSchedule
}

// BusinessHours measures business time: Between returns how much of
// [from, to) falls inside opening hours. routing.Hours implements it.
type BusinessHours interface {
	Between(from, to time.Time) time.Duration
}

// SLA is a team's service targets; a zero target is not watched.
type SLA struct {
	FirstResponse time.Duration
	NextResponse  time.Duration
	Resolution    time.Duration
	// WarnAt is the fraction of a target after which a warning is posted
	// (0.8: at 80%); 0 means breaches only.
	WarnAt float64
}

// Watched reports whether any target is set.
func (s SLA) Watched() bool { return s.FirstResponse > 0 || s.NextResponse > 0 || s.Resolution > 0 }

// DigestSchedule says when a team's digest is posted: daily (the day
// before) and/or weekly on Weekday (the 7 days before), at At past local
// midnight in Supervision.Location.
type DigestSchedule struct {
	Daily   bool
	Weekly  bool
	Weekday time.Weekday
	At      time.Duration
	// Channel overrides where the digest goes; "" means the supervisors'
	// channel, else the team's own channel.
	Channel string
}

func (d DigestSchedule) enabled() bool { return d.Daily || d.Weekly }

func (t Team) location() *time.Location {
	if t.Supervision.Location != nil {
		return t.Supervision.Location
	}
	return time.UTC
}

// channelPayload posts a line in a channel other than the thread's (the
// supervisors' channel), optionally followed by a link to the thread.
type channelPayload struct {
	Channel string `json:"channel"`
	Text    string `json:"text"`
	Link    bool   `json:"link,omitempty"`
}

// enqueueChannelPost posts text top-level in channel, in the conversation's
// workspace lane so it is durable and ordered with the thread's posts.
func (b *Bridge) enqueueChannelPost(ctx context.Context, tx Tx, conv ConversationID, channel, text string, link bool, now time.Time) error {
	return b.enqueueWorkspace(ctx, tx, conv, DeliverPostChannel, channelPayload{Channel: channel, Text: text, Link: link}, now)
}

// postChannel runs a DeliverPostChannel delivery (called by execute).
func (b *Bridge) postChannel(ctx context.Context, ws AgentWorkspace, thread ThreadRef, d Delivery) (outcome, error) {
	var p channelPayload
	if err := decodePayload(d, &p); err != nil {
		return outcome{}, err
	}
	text := p.Text
	if p.Link {
		if link := ws.Link(thread); link != "" {
			text += " " + link
		}
	}
	key, err := ws.Post(ctx, ThreadRef{Workspace: ws.Kind(), ChannelID: p.Channel}, Post{Kind: PostSystem, Text: text})
	return outcome{key: key}, err
}

func decodePayload(d Delivery, v any) error {
	if err := json.Unmarshal(d.Payload, v); err != nil {
		return permanentDecode(fmt.Errorf("delivery %d: %w", d.ID, err))
	}
	return nil
}

// HumanDuration writes a duration the way agents read it: 45s, 12m,
// 1h05m, 2d03h.
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}
