package bridge

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAgentLine(t *testing.T) {
	t.Parallel()
	b := &Bridge{}
	named := func(name string) context.Context {
		return context.WithValue(context.Background(), agentNameKey{}, agentName{user: "U1", name: name})
	}
	shows := Team{Name: "support", ShowAgentName: true, Language: "es"}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		team Team
		want string
	}{
		{"the name in bold", named("Ana"), shows, "*Ana:*"},
		{"a team that shows no names", named("Ana"), Team{Name: "support"}, ""},
		{"a name not read", context.Background(), shows, ""},
		{"markers in the name cannot break the bold", named("*Ana* _the_ `best`"), shows, "*Ana the best:*"},
		{"a line break in the name is a space", named("Ana\nLima "), shows, "*Ana Lima:*"},
		{"a very long name is cut", named("Anastasia Maria de los Remedios Carmen Lucia Fernanda Perez Lopez"), shows,
			"*Anastasia Maria de los Remedios Carmen Lucia Fernanda Perez:*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, b.agentLine(tc.ctx, tc.team, "U1"))
		})
	}
	require.Empty(t, b.agentLine(named("Ana"), shows, "U2"), "another author's name is never used")
	require.Equal(t, "*Ana:*\nhola", withAgentLine("*Ana:*", "hola"))
	require.Equal(t, "*Ana:*", withAgentLine("*Ana:*", ""))
	require.Equal(t, "hola", withAgentLine("", "hola"))
}

func TestBotTextLanguage(t *testing.T) {
	t.Parallel()
	b := &Bridge{teams: map[string]Team{"support": {Name: "support", Language: "en"}, "ventas": {Name: "ventas", Language: "es"}},
		opts: Options{DefaultTeam: "support"}}
	away := RouteDecision{OutOfHours: true, AutoReply: "router's pick",
		AwayMessages: map[string]string{"en": "Closed.", "es": "Cerrado.", "pt": "Fechado."}}
	for _, tc := range []struct {
		name     string
		contact  Contact
		team     string
		wantLang string
		wantAway string
	}{
		{"learnt from their messages", Contact{Language: "pt", Phone: "34612345678"}, "support", "pt", "Fechado."},
		{"from a Spanish number", Contact{Phone: "34612345678"}, "support", "es", "Cerrado."},
		{"a language we do not ship: the team's", Contact{Language: "de", Phone: "4915123456789"}, "ventas", "es", "Cerrado."},
		{"nothing known: the team's", Contact{Phone: "4915123456789"}, "support", "en", "Closed."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.wantLang, b.customerLanguage(tc.contact, tc.team))
			require.Equal(t, tc.wantAway, b.awayMessage(tc.contact, tc.team, away))
		})
	}
	require.Equal(t, "router's pick", b.awayMessage(Contact{Phone: "34612345678"}, "support", RouteDecision{AutoReply: "router's pick"}),
		"a router that gives no translations decides")
}
