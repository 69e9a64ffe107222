package routing

import "time"

// Shift is when one agent works: weekly spans in a time zone, with days
// off, exactly like a team's Hours (inline in YAML).
//
//	shifts:
//	  - agent: U0123ABCD
//	    time_zone: America/Bogota
//	    weekly: {mon-fri: ["08:00-16:00"]}
//	  - agent: U0456EFGH
//	    time_zone: Europe/Lisbon
//	    weekly: {sun-thu: ["22:00-06:00"]}
//	    holidays: ["2025-08-15"]
type Shift struct {
	// Agent is the workspace user id.
	Agent string `yaml:"agent"`
	Hours `yaml:",inline"`
}

// On reports whether the agent is on shift at t.
func (s Shift) On(t time.Time) bool { return s.Hours.Open(t) }

// Availability applies the team's shifts at t: an agent who has a shift is
// available only while on it (and still only if marked available); agents
// without shifts are left as they are. agents is not modified.
func (t *Team) Availability(agents []Agent, at time.Time) []Agent {
	out := make([]Agent, len(agents))
	copy(out, agents)
	if len(t.Shifts) == 0 {
		return out
	}
	for i := range out {
		for _, s := range t.Shifts {
			if s.Agent == out[i].ID {
				out[i].Available = out[i].Available && s.On(at)
				break
			}
		}
	}
	return out
}
