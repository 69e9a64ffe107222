// Package report computes supervisor metrics (counts, response and
// resolution times, backlog, CSAT, SLA attainment) from the event log.
// Everything here is pure. Observe turns one conversation's events into
// observations, per the definitions written once in docs/metrics.md;
// storage keeps them summarised and Assemble turns a period's Summary into
// Metrics, which Compute also derives from raw Facts (the reference the
// summary is tested against). Table, CSV, JSON and Chart present them.
// Service ties these together for the bridge and `switchboard report`;
// its only I/O is the Source it is given.
package report

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	// Periods and business hours are computed in the team's time zone on
	// every machine, including containers without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/switchboard/switchboard/bridge"
)

// Conversation is what a report needs of a conversation: who owns it now
// and its current state (for the backlog).
type Conversation struct {
	ID    bridge.ConversationID
	Inbox string
	// Channel is the customer channel the conversation is on
	// ("whatsapp", "messenger", …); it never changes.
	Channel string
	// Labels are the labels its person carries now (people.go): a label
	// filter reads today's labels, not those of the period.
	Labels   []string
	Team     string // current team
	State    bridge.State
	Assignee string // current assignee, "" when nobody holds it
	OpenedAt time.Time
}

// Event is one row of the event log. Seq (the row id) orders events that
// share a millisecond.
type Event struct {
	Seq            int64
	ConversationID bridge.ConversationID
	Kind           string
	Actor          string
	Data           string
	At             time.Time
}

// Event kinds the report reads that the bridge does not write yet (see
// docs/metrics.md): routing's assignment and a supervisor's takeover.
const (
	EventAssigned  = "assigned"
	EventTakenOver = "taken_over"
)

// Transfer is the Data of a `transferred` event, as JSON:
// {"from_team":"sales","to_team":"billing","from_agent":"U1","to_agent":""}.
// A transfer within a team has equal teams; to_agent is empty when the
// conversation goes back to the team queue.
type Transfer struct {
	FromTeam  string `json:"from_team"`
	ToTeam    string `json:"to_team"`
	FromAgent string `json:"from_agent"`
	ToAgent   string `json:"to_agent"`
}

// TransferData encodes a transfer as the Data of a `transferred` event.
func TransferData(t Transfer) string {
	b, _ := json.Marshal(t) // a struct of strings always encodes
	return string(b)
}

// ParseTransfer reads the Data of a `transferred` event; ok is false when
// it is not a transfer this package understands.
// It also reads the forms bridge/transfer.go writes today: "agent:<id>"
// (to an agent of the same team) and "team:<from>-><to>" (to another
// team's queue); the fields they leave empty are filled by Compute from
// the conversation's current team and holder.
func ParseTransfer(data string) (t Transfer, ok bool) {
	if agent, found := strings.CutPrefix(data, "agent:"); found {
		return Transfer{ToAgent: agent}, true
	}
	if teams, found := strings.CutPrefix(data, "team:"); found {
		from, to, found := strings.Cut(teams, "->")
		return Transfer{FromTeam: from, ToTeam: to}, found
	}
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return Transfer{}, false
	}
	return t, true
}

// CSAT is one satisfaction survey sent to a customer after resolution.
// Score is the button pressed, 1 (unhappy) to 3 (happy); 0 with a zero
// AnsweredAt when the customer did not answer.
type CSAT struct {
	ConversationID bridge.ConversationID
	Team           string // team that owned the conversation when it was resolved
	Agent          string // assignee when it was resolved
	SentAt         time.Time
	AnsweredAt     time.Time
	Score          int
}

// Facts is everything Compute reads. Now is the instant the backlog is
// measured at.
type Facts struct {
	Conversations []Conversation
	Events        []Event
	CSAT          []CSAT
	Now           time.Time
}

// Filter narrows a report. Empty fields match everything. ByAgent asks for
// one row per agent in Metrics.Agents.
//
// Channel and Label narrow to the conversations of one customer channel
// and of the people carrying one label; both are properties of the whole
// conversation, unlike team and agent which change with transfers.
type Filter struct {
	Team    string
	Agent   string
	Inbox   string
	Channel string
	Label   string
	ByAgent bool
}

// keeps reports whether conversation c is in the filter's channel and
// label (the conversation-wide part of the filter).
func (f Filter) keeps(c Conversation) bool {
	if f.Channel != "" && c.Channel != f.Channel {
		return false
	}
	return f.Label == "" || slices.Contains(c.Labels, f.Label)
}

// Targets are a team's SLA: the longest a first response, a next response
// and a resolution may take. A zero target is not measured.
type Targets struct {
	FirstResponse time.Duration
	NextResponse  time.Duration
	Resolution    time.Duration
}

// Options are the optional inputs of Compute: the team's business hours
// (nil when it has none) and SLA targets (measured in business time when
// Hours is set, in wall-clock time otherwise).
type Options struct {
	Hours   BusinessHours
	Targets Targets
}
