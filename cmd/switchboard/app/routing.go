package app

import (
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/routing"
)

// rules adapts the routing package to the bridge's Router and Assigner
// contracts, so the bridge never imports routing.
type rules struct{ r *routing.Router }

var (
	_ bridge.Router     = rules{}
	_ bridge.Assigner   = rules{}
	_ bridge.LLMLabeler = rules{}
)

// Route picks a team. When only the root (fallback) route matched, the
// inbox's own team wins over the root's.
func (x rules) Route(in bridge.RouteInput) bridge.RouteDecision {
	ri := routing.Input{Text: in.Text, Inbox: string(in.Inbox), Channel: string(in.Channel.OrWhatsApp()), At: in.At,
		ContactLabels: in.ContactLabels, ContactAttributes: in.ContactAttributes}
	if c := in.Classification; c != nil {
		ri.LLM = &routing.LLMResult{Label: c.Label, Confidence: c.Confidence, Decider: routing.DeciderLLM}
		if c.Decider != routing.DeciderLLM {
			ri.LLM.Decider = routing.DeciderOffline
		}
	}
	d := x.r.Decide(ri)
	out := bridge.RouteDecision{Team: d.Target(), RouteID: d.RouteID, OutOfHours: d.OutOfHours, AutoReply: d.AwayMessage}
	if t, ok := x.r.Teams[d.Team]; ok && d.OutOfHours {
		out.AwayMessages = t.AwayMessage // the bridge picks the customer's language
	}
	if d.RouteID == x.r.Root.ID {
		out.Team = in.DefaultTeam
		if d.OutOfHours && d.OnCallTeam != "" {
			out.Team = d.OnCallTeam
		}
		return out
	}
	out.Reason = strings.Join(d.Reasons, "; ")
	return out
}

// LLMLabels are the labels the rules ask the LLM classifier for.
func (x rules) LLMLabels() []string { return x.r.LLMLabels() }

// Assign applies the team's strategy.
func (x rules) Assign(in bridge.AssignInput) bridge.Assignment {
	team, ok := x.r.Teams[in.Team]
	if !ok {
		return bridge.Assignment{}
	}
	agents := make([]routing.Agent, 0, len(in.Candidates))
	for _, c := range in.Candidates {
		agents = append(agents, routing.Agent{ID: c.ID, Available: c.Available, OpenCount: c.OpenCount})
	}
	agents = team.Availability(agents, in.Now) // shifts
	st := routing.AssignState{Cursor: in.Cursor, Now: in.Now}
	if in.Previous.ID != "" {
		st.Previous = &routing.Previous{AgentID: in.Previous.ID, At: in.Previous.HelpedAt}
	}
	a := team.Assign(agents, st)
	return bridge.Assignment{AgentID: a.AgentID, NextCursor: a.NextCursor, Reason: a.Reason}
}

// OnShift reports whether user is on shift in any team that lists shifts
// for them (has=false when none does).
func (x rules) OnShift(user string, at time.Time) (on, has bool) {
	for _, t := range x.r.Teams {
		for _, s := range t.Shifts {
			if s.Agent == user {
				has = true
				if s.On(at) {
					return true, true
				}
			}
		}
	}
	return false, has
}
