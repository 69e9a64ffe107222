package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// The assistant reads the conversation before the question: customer,
// agent and its own answers, never notes or the bridge's system lines,
// with phone numbers masked.
func TestAnswerTurnsLeaveNotesOutAndMaskPhones(t *testing.T) {
	t.Parallel()
	msgs := []Message{
		{ID: 1, Direction: Inbound, Kind: KindText, Body: "call me at +34 600 123 456"},
		{ID: 2, Direction: Outbound, AuthorID: assist.AgentID, Body: "Refunds take 5 days."},
		{ID: 3, Direction: Note, AuthorID: "U1", Body: "VIP customer, be nice"},
		{ID: 4, Direction: Outbound, AuthorID: "U1", Body: "Hi, Ana here."},
		{ID: 5, Direction: System, Body: "claimed"},
		{ID: 6, Direction: Inbound, Kind: KindText, Body: "and exchanges?"},
	}
	turns := answerTurns(msgs, 6)
	require.Len(t, turns, 3)
	require.Equal(t, assist.RoleCustomer, turns[0].Role)
	require.NotContains(t, turns[0].Text, "600 123 456", "the phone number is masked")
	require.Equal(t, assist.RoleAssistant, turns[1].Role)
	require.Equal(t, assist.RoleAgent, turns[2].Role)
}

func TestCustomerTextReadsTextAndButtonsOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		m      Message
		isText bool
	}{
		{Message{Kind: KindText, Body: "hola"}, true},
		{Message{Kind: KindInteractive, Body: "Refunds"}, true},
		{Message{Kind: KindText, Body: "  "}, false},
		{Message{Kind: KindImage, Body: "a caption"}, false},
		{Message{Kind: KindLocation}, false},
	} {
		_, ok := customerText(tc.m)
		require.Equal(t, tc.isText, ok, "%s %q", tc.m.Kind, tc.m.Body)
	}
}

func TestCitationsAndTheHandOverHint(t *testing.T) {
	t.Parallel()
	ans := assist.Answer{Sources: []knowledge.Passage{
		{Source: "billing/refunds.md", Heading: "Refunds › Timing"}, {Source: "billing/refunds.md", Heading: "Refunds › Timing"},
		{Source: "faq.txt"}}}
	require.Equal(t, "billing/refunds.md › Refunds › Timing; faq.txt", citations(ans))
	require.Equal(t, "agente", handOverHint(assist.FirstLine{}, "es"))
	require.Equal(t, "atendente", handOverHint(assist.FirstLine{}, "pt"))
	require.Equal(t, "agent", handOverHint(assist.FirstLine{}, "en"))
	require.Equal(t, "supervisor", handOverHint(assist.FirstLine{HandOverWords: []string{"supervisor"}}, "es"), "the team's own word")
}
