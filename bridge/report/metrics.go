package report

import (
	"math"
	"slices"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Stats summarises the samples of one clock. Median and P90 use the
// nearest-rank method: the smallest sample that at least 50% (90%) of the
// samples are less than or equal to. They are zero when Count is zero.
type Stats struct {
	Count  int
	Median time.Duration
	P90    time.Duration
}

// Clock is a duration metric in wall-clock time and, when the team has
// business hours, in business time (Business.Count is zero otherwise).
type Clock struct {
	Wall     Stats
	Business Stats
}

// Counts are the events of the period.
type Counts struct {
	Received       int // conversations opened by a customer
	Started        int // conversations an agent started (with a template)
	Assigned       int // claims, assignments and takeovers
	Resolved       int
	Reopened       int
	TransferredIn  int
	TransferredOut int
	Replies        int // agent replies accepted
}

// Backlog is the queue at Facts.Now (it does not depend on the period).
type Backlog struct {
	Open          int // not resolved
	Unassigned    int // open and held by nobody
	Waiting       int // open, with a customer message not answered yet
	OldestWaiting time.Duration
	OldestID      bridge.ConversationID // 0 when nobody waits
	Breaching     int                   // waiting longer than the first or next response target
}

// CSATStats summarise the surveys sent in the period.
type CSATStats struct {
	Sent     int
	Answered int
	Average  float64 // mean score of the answers, 0 without answers
}

// ResponseRate is Answered / Sent, 0 when nothing was sent.
func (c CSATStats) ResponseRate() float64 {
	if c.Sent == 0 {
		return 0
	}
	return float64(c.Answered) / float64(c.Sent)
}

// Attainment counts the clocks that stopped in the period (Total) and
// those within their target (Met).
type Attainment struct {
	Met, Total int
}

// Rate is Met / Total; ok is false when nothing was measured.
func (a Attainment) Rate() (rate float64, ok bool) {
	if a.Total == 0 {
		return 0, false
	}
	return float64(a.Met) / float64(a.Total), true
}

// SLAStats is attainment per target; a zero target leaves its Total at 0.
type SLAStats struct {
	FirstResponse Attainment
	NextResponse  Attainment
	Resolution    Attainment
}

// DayPoint is one local day of the first-response trend (wall-clock).
type DayPoint struct {
	Day    time.Time
	Count  int
	Median time.Duration
}

// AgentRow holds one agent's figures, per the same definitions.
type AgentRow struct {
	Agent          string
	Assigned       int
	Replies        int
	Resolved       int
	TransferredIn  int
	TransferredOut int
	FirstResponse  Clock
	ReplyTime      Clock
	Resolution     Clock
	CSAT           CSATStats
	Open           int // backlog held now
}

// ChannelRow holds the figures of one customer channel within the
// filter's scope: the counts that compare channels (how many conversations
// each brings, how many replies and resolutions they take) and the
// backlog each holds now.
type ChannelRow struct {
	Channel  string
	Received int
	Started  int
	Replies  int
	Resolved int
	Open     int
}

func (r *ChannelRow) add(k ObservationKind, n int) {
	switch k {
	case ObsOpened:
		r.Received += n
	case ObsStarted:
		r.Started += n
	case ObsReply:
		r.Replies += n
	case ObsResolved:
		r.Resolved += n
	}
}

// Metrics are the figures of one period and filter.
type Metrics struct {
	Period        Period
	Filter        Filter
	Now           time.Time
	BusinessHours bool
	Targets       Targets

	Counts        Counts
	FirstResponse Clock
	ReplyTime     Clock
	Resolution    Clock
	Backlog       Backlog
	CSAT          CSATStats
	SLA           SLAStats

	// VolumeByHour counts conversations opened per local hour of the day.
	VolumeByHour [24]int
	// FirstResponseTrend has one point per local day of the period.
	FirstResponseTrend []DayPoint
	// Agents has one row per agent seen in the period, busiest first.
	Agents []AgentRow
	// Channels has one row per customer channel seen in the period or in
	// the backlog, by name.
	Channels []ChannelRow
	// Pending counts conversations with events the figures do not
	// include yet (storage.ReportSource with a refresh budget).
	Pending int
	// Cost counts the messages Meta priced in the period (cost.go); empty
	// without a CostSource or with an agent filter.
	Cost Cost
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// samples, which it sorts.
func Percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	slices.Sort(samples)
	rank := int(math.Ceil(p / 100 * float64(len(samples))))
	rank = max(1, min(rank, len(samples)))
	return samples[rank-1]
}

func statsOf(samples []time.Duration) Stats {
	if len(samples) == 0 {
		return Stats{}
	}
	return Stats{Count: len(samples), Median: Percentile(samples, 50), P90: Percentile(samples, 90)}
}
