package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// This file is the contract between the bridge and the routing package:
// the bridge gathers the state, routing decides, the bridge records.

// RouteInput is what a team decision is made from.
type RouteInput struct {
	Text  string
	Inbox InboxID
	// Channel is the inbox's customer channel (routing's channel matcher).
	Channel Channel
	// DefaultTeam is the inbox's team (or the default team); routing falls
	// back to it.
	DefaultTeam string
	At          time.Time
	// Classification is the LLM classifier's label for Text, when the
	// assistant was asked (assist_route.go); nil lets the router's offline
	// classifier decide its llm rules.
	Classification *assist.Classification
	// ContactLabels and ContactAttributes are the person's (issue 12's
	// CRM), for contact_labels and contact_attributes rules.
	ContactLabels     []string
	ContactAttributes map[string]string
}

// RouteDecision is the team chosen for a new conversation, and why.
type RouteDecision struct {
	Team    string
	RouteID string
	Reason  string // human-readable: which rule matched and why
	// OutOfHours means the team is closed: AutoReply (already in the
	// customer's language) is sent to the customer; Team may be an on-call
	// team instead of the routed one.
	OutOfHours bool
	AutoReply  string
	// AwayMessages are the team's out-of-hours replies by language; when
	// set, the bridge picks the customer's language from them (the
	// contact's stored language, else the team's) over AutoReply.
	AwayMessages map[string]string
}

// Router chooses a team for a new conversation. It must not block on I/O.
type Router interface {
	Route(in RouteInput) RouteDecision
}

// Candidate is an agent who might take a conversation.
type Candidate struct {
	ID        string
	Available bool
	OpenCount int
}

// PreviousAgent is who last helped a returning customer, for sticky
// assignment.
type PreviousAgent struct {
	ID           string
	HelpedAt     time.Time
	Conversation ConversationID
}

// AssignInput is what an assignment is decided from.
type AssignInput struct {
	Team       string
	Candidates []Candidate
	Cursor     string // the team's round-robin cursor
	Previous   PreviousAgent
	Now        time.Time
}

// Assignment is the agent chosen (empty: the conversation waits in the
// team's queue) and the team's next round-robin cursor.
type Assignment struct {
	AgentID    string
	NextCursor string
	Reason     string
}

// Assigner picks an agent. It must not block on I/O.
type Assigner interface {
	Assign(in AssignInput) Assignment
}

// assign tries to give conv to an agent of its team. It records the
// assignment (and moves the round-robin cursor, settled by the database
// across replicas) and returns the updated conversation.
func (b *Bridge) assign(ctx context.Context, tx Tx, conv Conversation, now time.Time) (Conversation, bool, error) {
	if b.opts.Assigner == nil || conv.Assignee != "" || conv.State != StatePending {
		return conv, false, nil
	}
	team := b.team(conv.Team)
	agents, err := b.assignees(ctx, tx, team) // roleroster.go
	if err != nil {
		return conv, false, err
	}
	if len(agents) == 0 {
		return conv, false, nil // membership follows the channel: people claim
	}
	// The cursor first: it is locked until commit, so what is read after
	// it (availability, loads) is current for this decision.
	cursor, version, err := tx.TeamCursor(ctx, team.Name)
	if err != nil {
		return conv, false, err
	}
	statuses, err := tx.AgentStatuses(ctx, team.Workspace)
	if err != nil {
		return conv, false, err
	}
	counts, err := tx.OpenCounts(ctx)
	if err != nil {
		return conv, false, err
	}
	in := AssignInput{Team: team.Name, Cursor: cursor, Now: now}
	for _, id := range agents {
		st, ok := statuses[id]
		in.Candidates = append(in.Candidates, Candidate{ID: id, Available: !ok || st.State != Away, OpenCount: counts[id]})
	}
	if prev, err := b.previousAgent(ctx, tx, conv); err != nil {
		return conv, false, err
	} else {
		in.Previous = prev
	}
	a := b.opts.Assigner.Assign(in)
	if a.AgentID == "" {
		return conv, false, nil
	}
	if a.NextCursor != "" && a.NextCursor != cursor {
		if err := tx.SetTeamCursor(ctx, team.Name, a.NextCursor, version); err != nil {
			return conv, false, err
		}
	}
	conv.Assignee, conv.State = a.AgentID, StateAssigned
	if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
		return conv, false, err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventAssigned, Actor: a.AgentID, Data: a.Reason, At: now}); err != nil {
		return conv, false, err
	}
	if err := b.conversationChanged(ctx, tx, conv, crmAssigned, "switchboard", map[string]string{"reason": a.Reason}, now); err != nil { // crm.go
		return conv, false, err
	}
	return conv, true, nil
}

// previousAgent finds who helped this customer last, for sticky teams.
func (b *Bridge) previousAgent(ctx context.Context, tx Tx, conv Conversation) (PreviousAgent, error) {
	convs, err := tx.ContactConversations(ctx, conv.ContactID)
	if err != nil {
		return PreviousAgent{}, err
	}
	for i := len(convs) - 1; i >= 0; i-- {
		c := convs[i]
		if c.ID != conv.ID && c.Assignee != "" {
			at := c.ResolvedAt
			if at.IsZero() {
				at = c.LastCustomerAt
			}
			return PreviousAgent{ID: c.Assignee, HelpedAt: at, Conversation: c.ID}, nil
		}
	}
	return PreviousAgent{}, nil
}

// drainQueue assigns a team's waiting conversations, oldest first, while
// someone can take them. Called when an agent becomes available or frees
// capacity.
func (b *Bridge) drainQueue(ctx context.Context, tx Tx, team string, now time.Time) error {
	convs, err := tx.OpenConversations(ctx, team)
	if err != nil {
		return err
	}
	for _, c := range convs {
		if c.State != StatePending || c.Assignee != "" {
			continue
		}
		next, assigned, err := b.assign(ctx, tx, c, now)
		if err != nil {
			if errors.Is(err, ErrConflict) {
				continue
			}
			return err
		}
		if !assigned {
			return nil // nobody can take more; the rest keep waiting
		}
		if err := b.enqueueSystem(ctx, tx, next.ID, Text(b.language(team), "sys.assigned", MentionToken(next.Assignee)), now); err != nil {
			return err
		}
		if err := b.enqueueCard(ctx, tx, next.ID, now); err != nil {
			return err
		}
	}
	return nil
}
