package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// synthetic builds n conversations of one team in a week: one in five
// still waiting, the others answered twice and resolved within an hour.
func synthetic(tb testing.TB, n int) (Facts, Period) {
	loc := madrid(tb)
	p := Period{From: time.Date(2025, 3, 3, 0, 0, 0, 0, loc), To: time.Date(2025, 3, 10, 0, 0, 0, 0, loc)}
	span := p.To.Sub(p.From) - time.Hour
	f := Facts{Now: p.To.Add(time.Hour)}
	var seq int64
	for i := range n {
		id := bridge.ConversationID(i + 1)
		opened := p.From.Add(span / time.Duration(n) * time.Duration(i))
		agent := fmt.Sprintf("U%d", i%20)
		c := Conversation{ID: id, Inbox: "in1", Team: "support", State: bridge.StateResolved, Assignee: agent, OpenedAt: opened}
		add := func(kind, actor, data string, off time.Duration) {
			seq++
			f.Events = append(f.Events, Event{Seq: seq, ConversationID: id, Kind: kind, Actor: actor, Data: data, At: opened.Add(off)})
		}
		add(bridge.EventRouted, "", "support", 0)
		add(bridge.EventReceived, "", "text", 0)
		if i%5 == 0 {
			c.State, c.Assignee = bridge.StatePending, ""
		} else {
			k := time.Duration(1 + i%7)
			add(bridge.EventClaimed, agent, "auto", k*time.Minute)
			add(bridge.EventReplied, agent, "", k*time.Minute)
			add(bridge.EventReceived, "", "text", 2*k*time.Minute)
			add(bridge.EventReplied, agent, "", 4*k*time.Minute)
			add(bridge.EventResolved, agent, "", 8*k*time.Minute)
		}
		f.Conversations = append(f.Conversations, c)
	}
	return f, p
}

// BenchmarkCompute100k is the pure half of storage's BenchmarkReport100k.
func BenchmarkCompute100k(b *testing.B) {
	f, p := synthetic(b, 100_000)
	opts := Options{Hours: testHours(b), Targets: Targets{FirstResponse: 15 * time.Minute, NextResponse: time.Hour, Resolution: 8 * time.Hour}}
	b.ResetTimer()
	for b.Loop() {
		m := Compute(f, p, Filter{Team: "support", ByAgent: true}, opts)
		if m.Counts.Received != 100_000 {
			b.Fatal(m.Counts)
		}
	}
}
