package bridge

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The 24-hour customer-service window on the card. The card shows when
// the window closes as an instant the workspace renders natively (a live
// countdown in Discord, the reader's local time in Slack), so it stays
// true between updates and the card is not edited every minute. It is
// updated only when what it shows would mislead:
//   - a customer message moves the closing time by an hour or more from
//     what the card shows, or reopens a window that was closed or in its
//     last hour (windowOnCustomer);
//   - the window enters its last hour, and when it closes (CheckWindows,
//     run periodically by one replica).
//
// Each such update is recorded as an EventWindow, whose Data says what the
// card was updated for ("open 1700000000000": the state and the customer
// message time it counts from). CheckWindows looks only at windows that
// crossed a boundary in the last windowCatchUp, so it reads a few events
// per run, not one per open conversation.

// EventWindow records a card update made for the window. Stored: never rename.
const EventWindow = "window"

// Window states, stored in EventWindow's Data.
const (
	windowOpen    = "open"
	windowClosing = "closing" // in its last hour
	windowClosed  = "closed"
	// windowHuman: the standard window closed, a person may still answer
	// (Messenger, Instagram: agentwindow.go).
	windowHuman = "human"
)

const (
	// windowLastHour is when the card starts saying the window closes soon.
	windowLastHour = time.Hour
	// windowRefresh: a customer message moving the closing time by less
	// than this from what the card shows changes nothing on the card (the
	// card then errs early, never late: CheckWindows refreshes it when
	// the real window enters its last hour, before the shown one ends).
	windowRefresh = time.Hour
	// windowCatchUp: a boundary crossed longer ago than this (the leader
	// was down) is left to the next card update of any kind.
	windowCatchUp = 6 * time.Hour
)

// windowState is where conv's window stands at now.
func windowState(conv Conversation, now time.Time) string {
	switch {
	case !WindowOpen(conv, now) && AgentWindowOpen(conv, now):
		return windowHuman
	case !WindowOpen(conv, now):
		return windowClosed
	case conv.LastCustomerAt.Add(CustomerWindow).Sub(now) <= windowLastHour:
		return windowClosing
	}
	return windowOpen
}

// windowField is the card's line about the window.
func windowField(conv Conversation, lang string, now time.Time) CardField {
	f := CardField{Label: windowLabel(lang, conv.Channel)}
	state := windowState(conv, now)
	switch state {
	case windowClosed:
		f.Value = windowClosedValue(lang, conv.Channel) // cardchannel.go
		return f
	case windowHuman:
		until := conv.LastCustomerAt.Add(conv.Channel.Rules().HumanAgentWindow)
		f.Value = Text(lang, "window.human", Text(lang, "window.in", HumanDuration(until.Sub(now))))
		f.At, f.AtFormat = until, Text(lang, "window.human", "%s")
		return f
	}
	closes := conv.LastCustomerAt.Add(CustomerWindow)
	key := "window." + state
	f.Value = Text(lang, key, Text(lang, "window.in", HumanDuration(closes.Sub(now))))
	f.At, f.AtFormat = closes, Text(lang, key, "%s")
	return f
}

// windowOnCustomer decides, for a customer message at sentAt in conv
// (as read before the message moved its window), whether the card must
// show the new closing time, and if so enqueues its update.
func (b *Bridge) windowOnCustomer(ctx context.Context, tx Tx, conv Conversation, sentAt, now time.Time) error {
	if conv.State == StateResolved || !sentAt.After(conv.LastCustomerAt) || sentAt.Before(now.Add(-CustomerWindow)) {
		return nil // a resolved card shows no window; an old message moves nothing that matters
	}
	was := windowState(conv, now)
	if was == windowOpen && sentAt.Sub(conv.OpenedAt) < windowRefresh {
		// What the card shows is at least the opening's window (below), so
		// it moved by less than windowRefresh: no need to read the event.
		return nil
	}
	if was == windowOpen {
		shown := conv.OpenedAt // the card opened with the first message's window
		last, err := tx.LastEvent(ctx, conv.ID, EventWindow)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if _, at, ok := parseWindowData(last.Data); err == nil && ok && at.After(shown) {
			shown = at
		}
		if sentAt.Sub(shown) < windowRefresh {
			return nil
		}
	}
	return b.windowUpdate(ctx, tx, conv.ID, windowOpen, sentAt, now)
}

// CheckWindows updates the card of every open conversation whose window
// entered its last hour or closed since it was last updated for it. Run
// periodically by one replica (a River periodic job) and by tests with a
// controllable clock.
func (b *Bridge) CheckWindows(ctx context.Context) error {
	now := b.now()
	var errs []error
	for _, name := range strings.Split(b.teamNames(), ", ") {
		err := b.inTx(ctx, func(tx Tx) error {
			convs, err := tx.OpenConversations(ctx, name)
			if err != nil {
				return err
			}
			for _, c := range convs {
				if err := b.checkWindow(ctx, tx, c, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("windows of team %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

func (b *Bridge) checkWindow(ctx context.Context, tx Tx, c Conversation, now time.Time) error {
	if c.LastCustomerAt.IsZero() {
		return nil // the customer never wrote: the card says closed from the start
	}
	state := windowState(c, now)
	boundary := c.LastCustomerAt.Add(CustomerWindow - windowLastHour)
	switch state {
	case windowOpen:
		return nil
	case windowHuman:
		boundary = c.LastCustomerAt.Add(CustomerWindow)
	case windowClosed:
		boundary = c.LastCustomerAt.Add(max(CustomerWindow, c.Channel.Rules().HumanAgentWindow))
	}
	if now.Sub(boundary) > windowCatchUp {
		return nil
	}
	// Updated since the boundary (for it, or for a later one): done.
	if _, err := tx.FirstEventAfter(ctx, c.ID, EventWindow, boundary.Add(-time.Millisecond)); err == nil {
		return nil
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	return b.windowUpdate(ctx, tx, c.ID, state, c.LastCustomerAt, now)
}

// windowUpdate records and enqueues a card update for the window.
func (b *Bridge) windowUpdate(ctx context.Context, tx Tx, conv ConversationID, state string, from, now time.Time) error {
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv, Kind: EventWindow, Data: state + " " + strconv.FormatInt(from.UnixMilli(), 10), At: now}); err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv, now)
}

// parseWindowData reads an EventWindow's Data.
func parseWindowData(data string) (state string, from time.Time, ok bool) {
	state, ms, found := strings.Cut(data, " ")
	if !found {
		return "", time.Time{}, false
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return state, time.UnixMilli(n).UTC(), true
}
