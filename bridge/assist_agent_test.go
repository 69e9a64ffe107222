package bridge

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

func TestDraftValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		id DraftID
		ok bool
	}{
		{"draft:42", 42, true},
		{draftValue(7), 7, true},
		{"draft:", 0, false},
		{"draft:0", 0, false},
		{"draft:-3", 0, false},
		{"draft:x", 0, false},
		{"canned:greeting@es", 0, false},
		{"42", 0, false},
	} {
		id, ok := parseDraftValue(tc.in)
		require.Equal(t, tc.ok, ok, tc.in)
		require.Equal(t, tc.id, id, tc.in)
	}
	require.LessOrEqual(t, len(draftValue(1<<62)), 60, "fits a private action's value")
}

// The assistant reads who said what: the customer, agents, the first-line
// assistant and notes; the bridge's own posts and replies that never
// reached the customer are left out, and an empty body names its kind.
func TestAssistTurns(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_750_000_000, 0)
	msgs := []Message{
		{Direction: Inbound, Kind: KindText, Body: "Hola, ¿mi pedido?", SentAt: at},
		{Direction: Outbound, Kind: KindText, Body: "Lo miro", AuthorID: "U1", Status: StatusSent},
		{Direction: Outbound, Kind: KindText, Body: "Hello from the bot", AuthorID: assist.AgentID, Status: StatusSent},
		{Direction: Note, Kind: KindText, Body: "VIP customer", AuthorID: "U1", Status: StatusPosted},
		{Direction: System, Kind: KindText, Body: "claimed"},
		{Direction: Outbound, Kind: KindText, Body: "too late", AuthorID: "U1", Status: StatusBlocked},
		{Direction: Inbound, Kind: KindImage},
	}
	got := assistTurns(msgs)
	var roles []assist.Role
	var texts []string
	for _, turn := range got {
		roles = append(roles, turn.Role)
		texts = append(texts, turn.Text)
	}
	require.Equal(t, []assist.Role{assist.RoleCustomer, assist.RoleAgent, assist.RoleAssistant, assist.RoleNote, assist.RoleCustomer}, roles)
	require.Equal(t, []string{"Hola, ¿mi pedido?", "Lo miro", "Hello from the bot", "VIP customer", "[image]"}, texts)
	require.Equal(t, at, got[0].At)
}

// The question a draft answers is the customer's newest message.
func TestAssistRequestAsksAboutTheNewestCustomerMessage(t *testing.T) {
	t.Parallel()
	b := &Bridge{teams: map[string]Team{"support": {Name: "support", Language: "en"}}}
	dc := deliveryContext{conv: Conversation{Team: "support"}, contact: Contact{Name: "Ana García", Language: "es"},
		recent: []Message{
			{Direction: Inbound, Kind: KindText, Body: "first"},
			{Direction: Inbound, Kind: KindText, Body: "second"},
			{Direction: Outbound, Kind: KindText, Body: "reply", AuthorID: "U1"},
		}}
	req := b.assistRequest(dc)
	require.Equal(t, "second", req.Question)
	require.Equal(t, "es", req.Language, "drafts in the customer's language")
	require.Equal(t, "en", req.AgentLanguage, "summaries in the team's")
	require.Equal(t, "Ana", req.CustomerName, "a first name, never a number")
	require.Len(t, req.Turns, 3)
}

func TestLastSummaryLabelIsOneShortLine(t *testing.T) {
	t.Parallel()
	label := lastSummaryLabel("es", "#3 2026-01-02", "Ana pidió\nun reembolso.\n\n"+strings.Repeat("x", 400))
	require.True(t, strings.HasPrefix(label, "#3 2026-01-02 · 🧾 La última vez (IA): Ana pidió un reembolso. "), label)
	require.NotContains(t, label, "\n")
	require.Less(t, len([]rune(label)), 340)
}

// Every assist text has the same placeholders in each language, and each
// key is written in en, es and pt.
func TestAssistTextsHaveTheSamePlaceholders(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[sdv]`)
	for key, tr := range assistTexts {
		want := verbs.FindAllString(tr["en"], -1)
		for _, lang := range []string{"es", "pt"} {
			require.NotEmpty(t, tr[lang], "%s in %s", key, lang)
			require.Equal(t, want, verbs.FindAllString(tr[lang], -1), "%s in %s", key, lang)
		}
	}
	for _, lang := range []string{"en", "es", "pt"} {
		require.LessOrEqual(t, len([]rune(Text(lang, "assist.edit_title"))), 24, "a Slack modal's title")
		require.LessOrEqual(t, len([]rune(Text(lang, "assist.edit_label"))), 45, "a Discord text input's label")
	}
}

func TestAITextMentionsNobody(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Ask { @U123} about it", aiText("  Ask {@U123} about it\n"))
	require.NotContains(t, aiText(MentionToken("U9")), "{@")
}

// A draft names its sources once each (file › heading), or warns that
// none supports it; Send and Edit are offered only while the agent could
// send it now.
func TestDraftMessage(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_750_000_000, 0)
	open := Conversation{ID: 3, LastCustomerAt: now.Add(-time.Hour)}
	draft := assist.Draft{Language: "es", Sources: []knowledge.Passage{
		{Source: "refunds.md", Heading: "Plazos"}, {Source: "refunds.md", Heading: "Plazos"}, {Source: "shipping.md"}}}
	verbs := func(actions []PrivateAction) []Verb {
		var out []Verb
		for _, a := range actions {
			out = append(out, a.Verb)
			if a.Verb != VerbSuggest {
				require.Equal(t, "draft:9", a.Value)
			}
		}
		return out
	}

	body, actions := draftMessage("en", open, "U1", 9, "Hola Ana", draft, now)
	require.Contains(t, body, "*Suggested reply* (AI, es)")
	require.Contains(t, body, "\nHola Ana\n")
	require.Contains(t, body, "📚 Sources: refunds.md › Plazos; shipping.md")
	require.Equal(t, []Verb{VerbSend, VerbEditDraft, VerbDiscard}, verbs(actions))
	require.True(t, actions[0].Primary)

	mine := open
	mine.Assignee = "U1"
	_, actions = draftMessage("en", mine, "U1", 9, "Hola", assist.Draft{}, now)
	require.Equal(t, []Verb{VerbSend, VerbEditDraft, VerbDiscard}, verbs(actions), "the agent holds it")

	bot := open
	bot.Assignee = assist.AgentID
	_, actions = draftMessage("en", bot, "U1", 9, "Hola", assist.Draft{}, now)
	require.Equal(t, []Verb{VerbSend, VerbEditDraft, VerbDiscard}, verbs(actions), "sending takes it over from the first-line assistant")

	held := open
	held.Assignee = "U2"
	body, actions = draftMessage("en", held, "U1", 9, "Hola", assist.Draft{}, now)
	require.Contains(t, body, "No knowledge-base passage supports it")
	require.Contains(t, body, "{@U2} holds this conversation")
	require.Equal(t, []Verb{VerbDiscard}, verbs(actions))

	closed := Conversation{ID: 3, LastCustomerAt: now.Add(-25 * time.Hour)}
	body, actions = draftMessage("es", closed, "U1", 9, "Hola", assist.Draft{}, now)
	require.Contains(t, body, "ventana de 24 horas")
	require.Equal(t, []Verb{VerbDiscard}, verbs(actions))
}

// A draft's message is replaced when its Send sent it, its Discard
// dropped it, or a Send found it discarded (by erasure, or a Discard
// elsewhere) and can never send it; a refused Send that may work later
// leaves it (and its buttons). The replacing text says which.
func TestDraftSettled(t *testing.T) {
	for _, c := range []struct {
		verb  Verb
		state DraftState
		want  bool
		text  string
	}{
		{VerbSend, DraftSent, true, "assist.sending"},
		{VerbSend, DraftEdited, true, "assist.sending"},
		{VerbSend, DraftShown, false, ""},
		{VerbSend, DraftDiscarded, true, "assist.draft_discarded"},
		{VerbDiscard, DraftDiscarded, true, "assist.discarded"},
		{VerbDiscard, DraftSent, true, "assist.discarded"},
		{VerbDiscard, DraftShown, false, ""},
	} {
		require.Equal(t, c.want, DraftSettled(c.verb, c.state), "%s of a %s draft", c.verb, c.state)
		if c.want {
			require.Equal(t, Text("es", c.text), DraftSettledText("es", c.verb, c.state), "%s of a %s draft", c.verb, c.state)
		}
	}
}
