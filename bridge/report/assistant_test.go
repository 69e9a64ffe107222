package report

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/assist"
)

// The first-line assistant has its own row in reports, named in words
// rather than by its internal id.
func TestTheAssistantRowIsNamed(t *testing.T) {
	t.Parallel()
	m := Metrics{Filter: Filter{Team: "support", ByAgent: true},
		Agents: []AgentRow{{Agent: assist.AgentID, Assigned: 3, Resolved: 2}, {Agent: "U1", Assigned: 1}}}
	for lang, want := range map[string]string{"en": "🤖 Assistant", "es": "🤖 Asistente", "pt": "🤖 Assistente"} {
		table := m.Table(lang)
		require.Contains(t, table, want, lang)
		require.NotContains(t, table, assist.AgentID, lang)
		require.Contains(t, table, "U1")
	}
	require.Equal(t, "U1", AgentLabel("en", "U1"))
}
