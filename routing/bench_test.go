package routing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchRouter builds 200 rules over 20 teams, mixing every cheap matcher,
// with the matching rule near the end.
func benchRouter(b *testing.B) *Router {
	b.Helper()
	var y strings.Builder
	y.WriteString("teams:\n")
	for i := range 20 {
		fmt.Fprintf(&y, "  - name: team-%d\n    hours: {time_zone: America/Mexico_City, weekly: {mon-fri: [\"09:00-18:00\"]}}\n", i)
	}
	y.WriteString("route:\n  team: team-0\n  routes:\n")
	for i := range 200 {
		fmt.Fprintf(&y, "    - id: rule-%d\n      team: team-%d\n      match:\n", i, i%20)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&y, "        keywords: [palabra%d, \"frase numero %d\", otra%d]\n", i, i, i)
		case 1:
			fmt.Fprintf(&y, "        inboxes: [\"%d\"]\n", 5000+i)
		case 2:
			fmt.Fprintf(&y, "        contact_labels: [label-%d]\n", i)
		case 3:
			fmt.Fprintf(&y, "        keywords: [clave%d]\n        language: [es]\n", i)
		}
	}
	rt, err := Load([]byte(y.String()))
	require.NoError(b, err)
	return rt
}

// BenchmarkDecide: one routing decision plus one agent assignment, with
// 200 rules and 1,000 agents.
func BenchmarkDecide(b *testing.B) {
	rt := benchRouter(b)
	agents := make([]Agent, 1000)
	for i := range agents {
		agents[i] = Agent{ID: fmt.Sprintf("U%05d", i), Available: i%3 != 0, OpenCount: i % 7}
	}
	team := rt.Teams["team-16"]
	team.Capacity = 5
	in := Input{
		Text:          "Hola, buenas tardes. Quiero saber cuándo llega mi pedido, la frase numero 196 está aquí",
		Inbox:         "1",
		ContactLabels: []string{"customer"},
		At:            time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC),
	}
	d := rt.Decide(in)
	require.Equal(b, "rule-196", d.RouteID)
	b.ReportAllocs()
	b.ResetTimer()
	cursor := ""
	for b.Loop() {
		d := rt.Decide(in)
		a := rt.Teams[d.Team].Assign(agents, AssignState{Cursor: cursor})
		cursor = a.NextCursor
	}
}

// BenchmarkDecideOnly isolates the rule tree.
func BenchmarkDecideOnly(b *testing.B) {
	rt := benchRouter(b)
	in := Input{Text: "Hola, buenas tardes. Quiero saber cuándo llega mi pedido, la frase numero 196 está aquí", At: time.Date(2025, 3, 4, 16, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		rt.Decide(in)
	}
}

// BenchmarkAssign isolates assignment over 1,000 agents.
func BenchmarkAssign(b *testing.B) {
	for _, s := range []Strategy{RoundRobin, LeastBusy} {
		b.Run(string(s), func(b *testing.B) {
			agents := make([]Agent, 1000)
			for i := range agents {
				agents[i] = Agent{ID: fmt.Sprintf("U%05d", i), Available: i%3 != 0, OpenCount: i % 7}
			}
			team := &Team{Strategy: s, Capacity: 5}
			b.ReportAllocs()
			cursor := ""
			for b.Loop() {
				cursor = team.Assign(agents, AssignState{Cursor: cursor}).NextCursor
			}
		})
	}
}
