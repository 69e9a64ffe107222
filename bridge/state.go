package bridge

import "time"

// The conversation state machine. These functions are pure: given the
// conversation, what happened and when, they return the next conversation
// and what to record; the caller writes it and its deliveries in one
// transaction.

// Transition applies an agent's verb. event is the event-log kind to record
// ("" when nothing changed); refusal is a catalogue key telling the actor
// why nothing changed (with the holder as its argument where it has one).
func Transition(c Conversation, verb Verb, actor string, now time.Time) (next Conversation, event, refusal string) {
	next = c
	switch verb {
	case VerbClaim:
		switch {
		case c.State == StateResolved:
			return c, "", "tell.already_resolved"
		case c.Assignee == actor:
			return c, "", "tell.already_yours"
		case c.Assignee != "":
			return c, "", "tell.claimed_by_other"
		}
		next.State, next.Assignee = StateAssigned, actor
		return next, EventClaimed, ""
	case VerbUnclaim:
		switch {
		case c.Assignee == "":
			return c, "", "tell.not_claimed"
		case c.Assignee != actor:
			return c, "", "tell.not_holder"
		}
		next.Assignee = ""
		if c.State == StateAssigned {
			next.State = StatePending
		}
		return next, EventUnclaimed, ""
	case VerbResolve:
		if c.State == StateResolved {
			return c, "", "tell.already_resolved"
		}
		next.State, next.ResolvedAt = StateResolved, now
		return next, EventResolved, ""
	case VerbReopen:
		if c.State != StateResolved {
			return c, "", "tell.not_resolved"
		}
		return reopen(c), EventReopened, ""
	}
	return c, "", "tell.unknown_command"
}

func reopen(c Conversation) Conversation {
	c.ResolvedAt = time.Time{}
	c.State = StatePending
	if c.Assignee != "" {
		c.State = StateAssigned
	}
	return c
}

// CustomerArrival says what a customer's message does to their latest
// conversation on the inbox.
type CustomerArrival int

const (
	ArrivalContinue CustomerArrival = iota // the conversation is open: add to it
	ArrivalReopen                          // resolved recently: reopen it
	ArrivalNew                             // none, or resolved long ago: start a new one
)

// OnCustomerMessage decides, for a message written at `at`, whether it
// continues, reopens or replaces the latest conversation (found=false when
// there is none). reopenWindow 0 means a resolved conversation never reopens.
func OnCustomerMessage(latest Conversation, found bool, at time.Time, reopenWindow time.Duration) CustomerArrival {
	if !found {
		return ArrivalNew
	}
	if latest.State != StateResolved {
		return ArrivalContinue
	}
	if reopenWindow > 0 && at.Sub(latest.ResolvedAt) <= reopenWindow {
		return ArrivalReopen
	}
	return ArrivalNew
}

// CustomerWindow is WhatsApp's customer-service window (and Messenger's
// and Instagram's standard messaging window): free text may be sent only
// this long after the customer's last message.
const CustomerWindow = 24 * time.Hour

// WindowOpen reports whether free text may be sent to the customer now,
// by anyone (the bridge's own texts too): always on a channel without a
// window (e-mail), else inside the channel's window (channels.go). A
// person's reply may go a little longer on some channels: AgentWindowOpen.
func WindowOpen(c Conversation, now time.Time) bool {
	w := c.Channel.Rules().Window
	if w == 0 {
		return true
	}
	return !c.LastCustomerAt.IsZero() && now.Sub(c.LastCustomerAt) < w
}
