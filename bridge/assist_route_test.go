package bridge_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// The end-to-end tests (cmd/switchboard/app/assist_route_e2e_test.go) run
// the real provider client against the fake OpenAI server; these drive
// the bridge's lanes by hand, with a clock, to reach the cases a running
// system only hits by bad luck: an answer after the thread was released,
// a conversation assigned meanwhile.

// llmRouteTree routes billing questions by the LLM, with an offline
// classifier that tells billing from sales.
const llmRouteTree = `
teams: [{name: support}, {name: billing}, {name: sales}]
classifier:
  examples:
    billing: ["I was charged twice on my card", "I need an invoice"]
    sales: ["how much is the premium plan", "I want to buy a license"]
route:
  id: root
  team: support
  routes:
    - id: billing-by-llm
      team: billing
      match: {llm: {label: billing, min_confidence: 0.7}}
    - id: sales-by-llm
      team: sales
      match: {llm: {label: sales, min_confidence: 0.7}}
`

// treeRouter is the routing package behind the bridge's Router, as the
// application wires it (cmd/switchboard/app/routing.go), reduced to what
// these tests need.
type treeRouter struct{ r *routing.Router }

func (x treeRouter) Route(in bridge.RouteInput) bridge.RouteDecision {
	ri := routing.Input{Text: in.Text, Inbox: string(in.Inbox)}
	if c := in.Classification; c != nil {
		ri.LLM = &routing.LLMResult{Label: c.Label, Confidence: c.Confidence, Decider: c.Decider}
	}
	d := x.r.Decide(ri)
	if d.RouteID == x.r.Root.ID {
		return bridge.RouteDecision{Team: in.DefaultTeam, RouteID: d.RouteID}
	}
	return bridge.RouteDecision{Team: d.Team, RouteID: d.RouteID, Reason: strings.Join(d.Reasons, "; ")}
}

func (x treeRouter) LLMLabels() []string { return x.r.LLMLabels() }

// Assign gives the conversation to the team's first agent.
func (x treeRouter) Assign(in bridge.AssignInput) bridge.Assignment {
	if len(in.Candidates) == 0 {
		return bridge.Assignment{}
	}
	return bridge.Assignment{AgentID: in.Candidates[0].ID, Reason: "first agent"}
}

// labeller is an Assistant whose Classify answers as told; the other
// tasks are not used here.
type labeller struct {
	assist.Assistant
	mu     sync.Mutex
	answer assist.Classification
	err    error
	asked  []string // texts, as the provider would read them
	labels [][]string
}

func (l *labeller) Classify(_ context.Context, text string, labels []string) (assist.Classification, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked, l.labels = append(l.asked, text), append(l.labels, labels)
	return l.answer, l.err
}

// opener is a workspace that records the channels threads open in.
type opener struct {
	*recorder
	mu     sync.Mutex
	opened []string
}

func (o *opener) OpenThread(_ context.Context, channel string, _ bridge.Card) (bridge.ThreadRef, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.opened = append(o.opened, channel)
	return bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: channel, ThreadKey: "T" + channel, CardKey: "T" + channel}, nil
}

func (o *opener) channels() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.opened...)
}

type llmFixture struct {
	t     *testing.T
	b     *bridge.Bridge
	store *storage.Store
	ws    *opener
	llm   *labeller
	now   time.Time
	mu    sync.Mutex
	conv  bridge.ConversationID
}

func (f *llmFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *llmFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func newLLMFixture(t *testing.T, dialect string, answer assist.Classification, err error) *llmFixture {
	t.Helper()
	rt, rerr := routing.Load([]byte(llmRouteTree))
	require.NoError(t, rerr)
	f := &llmFixture{t: t, store: storage.NewStore(storagetest.Open(t, dialect), nil), ws: &opener{recorder: &recorder{}},
		llm: &labeller{answer: answer, err: err}, now: time.Now().UTC().Truncate(time.Millisecond)}
	f.b, rerr = bridge.New(f.store, f.ws.recorder, []bridge.AgentWorkspace{f.ws}, bridge.Options{
		Teams: []bridge.Team{
			{Name: "support", ChannelID: "CSUPPORT", Members: []string{"USUP"}},
			{Name: "billing", ChannelID: "CBILLING", Members: []string{"UBILL"}},
			{Name: "sales", ChannelID: "CSALES", Members: []string{"USALES"}},
		},
		Inboxes:      []bridge.Inbox{{ID: "inbox", Name: "Support line", Team: "support"}},
		DefaultTeam:  "support",
		Router:       treeRouter{rt},
		Assigner:     treeRouter{rt},
		Assistant:    f.llm,
		LLMRouting:   true,
		ClassifyWait: 5 * time.Second,
		Now:          f.clock,
		Log:          slog.New(slog.DiscardHandler),
	})
	require.NoError(t, rerr)
	return f
}

// customerWrites stores one text message of a new customer.
func (f *llmFixture) customerWrites(text string) {
	f.t.Helper()
	ctx := context.Background()
	require.NoError(f.t, f.b.HandleCustomerWebhook(ctx, bridge.CustomerWebhook{Messages: []bridge.InboundMessage{{
		Inbox: "inbox", ExternalID: "wamid.1", From: "34600111222", ProfileName: "Ana", SentAt: f.clock(),
		Kind: bridge.KindText, Text: text}}}))
	f.conv = f.latest()
}

// latest is the customer's conversation.
func (f *llmFixture) latest() bridge.ConversationID {
	f.t.Helper()
	ctx := context.Background()
	var id bridge.ConversationID
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", CreatedAt: f.clock()})
		if err != nil {
			return err
		}
		c, err := tx.LatestConversation(ctx, contact.ID, "inbox")
		id = c.ID
		return err
	}))
	return id
}

// run drains a lane as far as it is due; wait is how long its head has to go.
func (f *llmFixture) run(lane bridge.Lane) (wait time.Duration) {
	f.t.Helper()
	ctx := context.Background()
	for range 20 {
		var head bridge.Delivery
		err := f.store.InTx(ctx, func(tx bridge.Tx) error {
			var err error
			head, err = tx.LaneHead(ctx, lane)
			return err
		})
		if errors.Is(err, bridge.ErrNotFound) {
			return 0
		}
		require.NoError(f.t, err)
		done, wait, err := f.b.RunDelivery(ctx, head.ID, "test")
		require.NoError(f.t, err)
		if wait > 0 || done {
			return wait
		}
	}
	return 0
}

func (f *llmFixture) conversation() bridge.Conversation {
	f.t.Helper()
	var c bridge.Conversation
	require.NoError(f.t, f.store.InTx(context.Background(), func(tx bridge.Tx) error {
		var err error
		c, err = tx.GetConversation(context.Background(), f.conv)
		return err
	}))
	return c
}

func (f *llmFixture) routed() string {
	f.t.Helper()
	var e bridge.Event
	err := f.store.InTx(context.Background(), func(tx bridge.Tx) error {
		var err error
		e, err = tx.LastEvent(context.Background(), f.conv, bridge.EventRouted)
		return err
	})
	if errors.Is(err, bridge.ErrNotFound) {
		return ""
	}
	require.NoError(f.t, err)
	return e.Data
}

func TestLLMRouting(t *testing.T) {
	t.Parallel()
	billing := assist.Classification{Label: "billing", Confidence: 0.91, Decider: "llm"}
	cases := []struct {
		name string
		// text is the customer's first message: the offline classifier
		// calls "how much is the premium plan" sales.
		text   string
		answer assist.Classification
		err    error
		// late moves the clock past the end of the wait before the job runs.
		late                  bool
		team, channel, routed string
		reason                string // in the 🧭 post
	}{
		{name: "the LLM's label moves the conversation before its thread opens",
			text: "how much is the premium plan", answer: billing,
			team: "billing", channel: "CBILLING", routed: "billing billing-by-llm llm", reason: "(llm: billing 0.91)"},
		{name: "the provider failed: the offline decision stands",
			text: "how much is the premium plan", err: assist.ErrUnavailable,
			team: "sales", channel: "CSALES", routed: "sales sales-by-llm offline", reason: "(llm unavailable → offline classifier: sales "},
		{name: "the assistant fell back to its own offline classifier",
			text: "how much is the premium plan", answer: assist.Classification{Label: "sales", Confidence: 0.8, Decider: "offline"},
			team: "sales", channel: "CSALES", routed: "sales sales-by-llm offline", reason: "(llm unavailable → offline classifier: sales 0.80)"},
		{name: "a label below min_confidence falls to the root",
			text: "how much is the premium plan", answer: assist.Classification{Label: "billing", Confidence: 0.4, Decider: "llm"},
			team: "support", channel: "CSUPPORT", routed: "support root llm"},
		{name: "too late to ask: the offline decision stands",
			text: "how much is the premium plan", answer: billing, late: true,
			team: "sales", channel: "CSALES", routed: "sales sales-by-llm offline", reason: "(llm unavailable → offline classifier: sales "},
	}
	for _, dialect := range storagetest.Dialects {
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f := newLLMFixture(t, dialect, tc.answer, tc.err)
				f.customerWrites(tc.text + " call me at +34 600 111 222")

				// Provisionally routed offline, unassigned, its thread held.
				require.Equal(t, "sales", f.conversation().Team)
				require.Empty(t, f.conversation().Assignee, "assignment waits for the final team")
				require.Empty(t, f.routed(), "the routed event waits for the final decision")
				require.Greater(t, f.run(bridge.WorkspaceLane(f.conv)), 4*time.Second, "the thread waits for the LLM")
				require.Empty(t, f.ws.channels())

				if tc.late {
					f.advance(5 * time.Second)
				}
				f.run(bridge.AssistLane(f.conv))
				if !tc.late {
					require.Len(t, f.llm.asked, 1)
					require.Equal(t, []string{"billing", "sales"}, f.llm.labels[0], "the LLM chooses from the llm rules' labels")
					require.NotContains(t, f.llm.asked[0], "600", "phone numbers never reach the provider")
					require.Contains(t, f.llm.asked[0], tc.text)
				} else {
					require.Empty(t, f.llm.asked, "a late job does not ask")
				}

				c := f.conversation()
				require.Equal(t, tc.team, c.Team)
				require.Equal(t, tc.routed, f.routed())
				require.NotEmpty(t, c.Assignee, "assigned in the final team")
				require.Equal(t, map[string]string{"support": "USUP", "billing": "UBILL", "sales": "USALES"}[tc.team], c.Assignee)

				require.Zero(t, f.run(bridge.WorkspaceLane(f.conv)), "released at once, without waiting for the clock")
				require.Equal(t, []string{tc.channel}, f.ws.channels())
				_, _, posts, _ := f.ws.snapshot()
				if tc.reason != "" {
					require.Equal(t, 1, containsText(posts, tc.reason), "posts: %q", posts)
				}
				require.Equal(t, 1, containsText(posts, tc.text), "the customer's message follows the thread")
			})
		}
	}
}

// An answer that arrives when the thread is no longer held cannot move
// the conversation: its thread may be opening in the first team's channel.
func TestLLMRoutingTooLateToMove(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newLLMFixture(t, dialect, assist.Classification{Label: "billing", Confidence: 0.95, Decider: "llm"}, nil)
			f.customerWrites("how much is the premium plan")
			// The thread's wait ends and it opens in the provisional team's
			// channel before the job gets to run.
			f.advance(6 * time.Second)
			require.Zero(t, f.run(bridge.WorkspaceLane(f.conv)))
			require.Equal(t, []string{"CSALES"}, f.ws.channels())

			f.run(bridge.AssistLane(f.conv))
			c := f.conversation()
			require.Equal(t, "sales", c.Team, "the thread is open in sales: the conversation stays")
			require.Equal(t, "sales sales-by-llm offline", f.routed())
			require.Equal(t, "USALES", c.Assignee)
		})
	}
}

// Without LLM rules, or for a message without text, nothing waits.
func TestLLMRoutingHoldsOnlyWhatItClassifies(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newLLMFixture(t, dialect, assist.Classification{}, nil)
			ctx := context.Background()
			require.NoError(t, f.b.HandleCustomerWebhook(ctx, bridge.CustomerWebhook{Messages: []bridge.InboundMessage{{
				Inbox: "inbox", ExternalID: "wamid.photo", From: "34600111222", SentAt: f.clock(), Kind: bridge.KindImage,
				Media: &bridge.Media{ID: "m1", MimeType: "image/jpeg"}}}}))
			f.conv = f.latest()
			require.Equal(t, "support root", f.routed(), "routed at once, by the inbox's team")
			require.Zero(t, f.run(bridge.AssistLane(f.conv)), "no classification queued")
			require.Empty(t, f.llm.asked)
		})
	}
}

func containsText(texts []string, sub string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

// closedTeams is treeRouter with some teams closed: their decisions are
// out of hours, with an away message.
type closedTeams struct {
	treeRouter
	closed map[string]bool
}

func (c closedTeams) Route(in bridge.RouteInput) bridge.RouteDecision {
	d := c.treeRouter.Route(in)
	if c.closed[d.Team] {
		d.OutOfHours, d.AutoReply = true, "AWAY we are closed"
	}
	return d
}

// While a new conversation waits for the LLM, the away message waits too:
// the customer hears it once, and only when the final team is closed.
func TestLLMRoutingAwayMessageFollowsTheFinalTeam(t *testing.T) {
	t.Parallel()
	billing := assist.Classification{Label: "billing", Confidence: 0.9, Decider: "llm"}
	cases := []struct {
		name   string
		closed map[string]bool
		late   bool // the wait ends before the LLM is asked: the offline team stands
		away   int
	}{
		{name: "offline team closed, the LLM's open", closed: map[string]bool{"sales": true}, away: 0},
		{name: "offline team open, the LLM's closed", closed: map[string]bool{"billing": true}, away: 1},
		{name: "both closed", closed: map[string]bool{"sales": true, "billing": true}, away: 1},
		{name: "too late to ask, the offline team closed", closed: map[string]bool{"sales": true}, late: true, away: 1},
	}
	for _, dialect := range storagetest.Dialects {
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				rt, err := routing.Load([]byte(llmRouteTree))
				require.NoError(t, err)
				f := newFLFixture(t, dialect)
				b := f.bridge(assist.ModeNever, func(o *bridge.Options) {
					o.Teams = append(o.Teams, bridge.Team{Name: "billing", ChannelID: "CBILLING", Members: []string{"UBILL"}})
					o.Router, o.LLMRouting, o.ClassifyWait = closedTeams{treeRouter{rt}, tc.closed}, true, 5*time.Second
					o.Assistant = routingConfident{labeller: &labeller{answer: billing}}
				})
				f.customerWrites(b, "wamid.1", "how much is the premium plan")
				f.run(b, bridge.CustomerLane(f.conv))
				require.Zero(t, f.cust.count("AWAY"), "nothing said before the final decision")
				if tc.late {
					f.advance(6 * time.Second)
				}
				f.run(b, bridge.AssistLane(f.conv))
				f.run(b, bridge.CustomerLane(f.conv))
				require.Equal(t, tc.away, f.cust.count("AWAY"), "customer got %q", f.cust.sentTexts())
			})
		}
	}
}
