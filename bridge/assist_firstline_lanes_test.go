package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// These drive the first-line assistant's lanes by hand, with a clock, to
// reach the orders a running system only hits by bad luck: a job that
// runs after an agent acted, a restart with the mode changed.

// confident is an assistant that answers every question sure of itself;
// its answers are marked AI-TEXT so a test can count them at the customer.
type confident struct{ assist.Assistant }

func (confident) Signals(context.Context, string) (assist.Signals, error) {
	return assist.Signals{Language: "en"}, nil
}
func (confident) Answer(context.Context, assist.Request) (assist.Answer, error) {
	return assist.Answer{Text: "AI-TEXT refunds take 5 days", Confidence: 0.9, Language: "en"}, nil
}
func (confident) Summarize(context.Context, assist.Request) (assist.Summary, error) {
	return assist.Summary{Text: "summary"}, nil
}

// askCounter is confident, counting what it is asked.
type askCounter struct {
	confident
	calls atomic.Int32
}

func (a *askCounter) Signals(ctx context.Context, text string) (assist.Signals, error) {
	a.calls.Add(1)
	return a.confident.Signals(ctx, text)
}
func (a *askCounter) Answer(ctx context.Context, q assist.Request) (assist.Answer, error) {
	a.calls.Add(1)
	return a.confident.Answer(ctx, q)
}

// routingConfident also classifies, as labeller says.
type routingConfident struct {
	confident
	*labeller
}

func (r routingConfident) Classify(ctx context.Context, text string, labels []string) (assist.Classification, error) {
	return r.labeller.Classify(ctx, text, labels)
}
func (r routingConfident) Signals(ctx context.Context, text string) (assist.Signals, error) {
	return r.confident.Signals(ctx, text)
}
func (r routingConfident) Answer(ctx context.Context, q assist.Request) (assist.Answer, error) {
	return r.confident.Answer(ctx, q)
}
func (r routingConfident) Suggest(context.Context, assist.Request) (assist.Draft, error) {
	return assist.Draft{}, nil
}
func (r routingConfident) Summarize(ctx context.Context, q assist.Request) (assist.Summary, error) {
	return r.confident.Summarize(ctx, q)
}

// textCustomer is a customer channel that records the texts it sends.
type textCustomer struct {
	*recorder
	mu        sync.Mutex
	texts     []string
	reactions []string
}

func (c *textCustomer) SendText(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress, text string, _ ...bridge.SendOption) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.texts = append(c.texts, text)
	return fmt.Sprintf("wamid.out%d", len(c.texts)), nil
}

func (c *textCustomer) SendReaction(_ context.Context, _ bridge.InboxID, _ bridge.CustomerAddress, _, emoji string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reactions = append(c.reactions, emoji)
	return fmt.Sprintf("wamid.reaction%d", len(c.reactions)), nil
}

func (c *textCustomer) sentReactions() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.reactions...)
}

func (c *textCustomer) sentTexts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.texts...)
}

// count is how many texts the customer got that contain sub.
func (c *textCustomer) count(sub string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return containsText(c.texts, sub)
}

type flFixture struct {
	t     *testing.T
	store *storage.Store
	cust  *textCustomer
	ws    *opener
	mu    sync.Mutex
	now   time.Time
	conv  bridge.ConversationID
}

func newFLFixture(t *testing.T, dialect string) *flFixture {
	t.Helper()
	rec := &recorder{}
	return &flFixture{t: t, store: storage.NewStore(storagetest.Open(t, dialect), nil),
		cust: &textCustomer{recorder: rec}, ws: &opener{recorder: rec}, now: time.Now().UTC().Truncate(time.Millisecond)}
}

func (f *flFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *flFixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// bridge builds a bridge on the fixture's store: support (first line in
// mode) and sales, whose only agent USALES is there to take a transfer.
func (f *flFixture) bridge(mode assist.Mode, change func(*bridge.Options)) *bridge.Bridge {
	f.t.Helper()
	o := bridge.Options{
		Teams: []bridge.Team{{Name: "support", ChannelID: "CSUPPORT", Members: []string{"USUP"}, FirstLine: assist.FirstLine{Mode: mode}},
			{Name: "sales", ChannelID: "CSALES", Members: []string{"USALES"}}},
		Inboxes:     []bridge.Inbox{{ID: "inbox", Name: "Support line", Team: "support"}},
		DefaultTeam: "support", Assistant: confident{}, Now: f.clock, Log: slog.New(slog.DiscardHandler),
	}
	if change != nil {
		change(&o)
	}
	b, err := bridge.New(f.store, f.cust, []bridge.AgentWorkspace{f.ws}, o)
	require.NoError(f.t, err)
	return b
}

func (f *flFixture) customerWrites(b *bridge.Bridge, id, text string) {
	f.t.Helper()
	ctx := context.Background()
	require.NoError(f.t, b.HandleCustomerWebhook(ctx, bridge.CustomerWebhook{Messages: []bridge.InboundMessage{{
		Inbox: "inbox", ExternalID: id, From: "34600111222", ProfileName: "Ana", SentAt: f.clock(), Kind: bridge.KindText, Text: text}}}))
	require.NoError(f.t, f.store.InTx(ctx, func(tx bridge.Tx) error {
		c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", CreatedAt: f.clock()})
		if err != nil {
			return err
		}
		conv, err := tx.LatestConversation(ctx, c.ID, "inbox")
		f.conv = conv.ID
		return err
	}))
}

func (f *flFixture) agentWrites(b *bridge.Bridge, channel, author, text string) {
	f.t.Helper()
	require.NoError(f.t, b.HandleAgentMessage(context.Background(), bridge.AgentMessage{Workspace: bridge.WorkspaceSlack,
		ChannelID: channel, ThreadKey: "T" + channel, MessageKey: fmt.Sprintf("%d.0", f.clock().UnixNano()), AuthorID: author, Text: text}))
}

// run drains lane as far as it is due.
func (f *flFixture) run(b *bridge.Bridge, lane bridge.Lane) {
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
			return
		}
		require.NoError(f.t, err)
		done, wait, err := b.RunDelivery(ctx, head.ID, "test")
		require.NoError(f.t, err)
		if wait > 0 && !done {
			return
		}
	}
}

func (f *flFixture) conversation() bridge.Conversation {
	f.t.Helper()
	var c bridge.Conversation
	require.NoError(f.t, f.store.InTx(context.Background(), func(tx bridge.Tx) error {
		var err error
		c, err = tx.GetConversation(context.Background(), f.conv)
		return err
	}))
	return c
}

// posts are the thread's posts, once its lane is drained.
func (f *flFixture) posts(b *bridge.Bridge) []string {
	f.run(b, bridge.WorkspaceLane(f.conv))
	_, _, posts, _ := f.ws.snapshot()
	return posts
}

// Turning a team's first line off (mode never, then a restart) stops the
// assistant in the conversations it already holds: the next customer
// message goes to people, with no AI text.
func TestFirstLineStopsWhenTheModeIsTurnedOff(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, nil)
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, 1, f.cust.count("AI-TEXT"), "sanity: mode always answered")

			f.advance(time.Minute)
			b = f.bridge(assist.ModeNever, nil)
			f.customerWrites(b, "wamid.2", "and how long for exchanges")
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, 1, f.cust.count("AI-TEXT"), "mode never: no further AI text reaches the customer")
			require.Equal(t, bridge.StatePending, f.conversation().State, "the conversation went to people")
			require.Empty(t, f.conversation().Assignee)
			require.Equal(t, 1, containsText(f.posts(b), bridge.Text("en", "fl.reason.off")), "the thread says why: %q", f.posts(b))
		})
	}
}

// An answer the assistant decided on while it held the conversation, but
// still queued for the customer when the mode was turned off, is not
// sent: firstLineDone looks at the mode again.
func TestFirstLineAnswerDecidedAfterTheModeWasTurnedOff(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, nil)
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			// The operator restarts with mode never while the job is queued.
			asked := &askCounter{}
			b = f.bridge(assist.ModeNever, func(o *bridge.Options) { o.Assistant = asked })
			f.run(b, bridge.AssistLane(f.conv))
			require.Zero(t, asked.calls.Load(), "the job asks the provider nothing once the first line is off")
			f.run(b, bridge.CustomerLane(f.conv))
			require.Zero(t, f.cust.count("AI-TEXT"))
			require.Equal(t, bridge.StatePending, f.conversation().State)
			require.Empty(t, f.conversation().Assignee, "the assistant no longer holds it")
			require.Equal(t, 1, containsText(f.posts(b), bridge.Text("en", "fl.reason.off")), "the thread says why: %q", f.posts(b))
		})
	}
}

// An agent who moves the conversation on (a transfer to a team with
// nobody free leaves it unassigned) stops the assistant's answer that is
// still queued for the customer.
func TestFirstLineQueuedAnswerHeldAfterATransfer(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, func(o *bridge.Options) { o.Teams[1].Members = nil })
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.run(b, bridge.AssistLane(f.conv)) // the answer waits on the customer lane
			require.Zero(t, f.cust.count("AI-TEXT"))
			f.agentWrites(b, "CSUPPORT", "USUP", "!transfer sales")
			require.Empty(t, f.conversation().Assignee, "sanity: nobody in sales to take it")
			f.run(b, bridge.CustomerLane(f.conv))
			require.Zero(t, f.cust.count("AI-TEXT"), "the assistant no longer holds it: its answer must not go")
			posts := f.posts(b)
			require.Equal(t, 1, containsText(posts, bridge.Text("en", "fail.held_assistant")), "the thread says the assistant's answer was held: %q", posts)
			require.Zero(t, containsText(posts, bridge.Text("en", "fail.held")), "nobody else took it over to ask: %q", posts)
			for _, p := range posts {
				require.NotContains(t, p, "{@"+assist.AgentID, "the assistant is named, never mentioned")
			}
		})
	}
}

// A late LLM routing decision (the thread's wait ended, an agent claimed)
// leaves the conversation with the agent, even when the team's assistant
// would answer first.
func TestLateLLMRoutingLeavesAClaimedConversationAlone(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			rt, err := routing.Load([]byte(llmRouteTree))
			require.NoError(t, err)
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, func(o *bridge.Options) {
				o.Teams = append(o.Teams, bridge.Team{Name: "billing", ChannelID: "CBILLING", Members: []string{"UBILL"}})
				o.Router, o.LLMRouting, o.ClassifyWait = treeRouter{rt}, true, 5*time.Second
				o.Assistant = routingConfident{labeller: &labeller{answer: assist.Classification{Label: "billing", Confidence: 0.9, Decider: "llm"}}}
			})
			f.customerWrites(b, "wamid.1", "hello there")
			// The workers were busy: the wait ends and the thread opens first.
			f.advance(6 * time.Second)
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.agentWrites(b, "CSUPPORT", "USUP", "!claim")
			require.Equal(t, "USUP", f.conversation().Assignee, "sanity: the agent claimed it")
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, "USUP", f.conversation().Assignee, "the late decision must not take the conversation from the agent")
			require.Zero(t, f.cust.count("AI-TEXT"))
			require.Zero(t, containsText(f.posts(b), "🧭"), "no routing reason for a decision that changed nothing")
		})
	}
}

// An agent's reaction to the customer's message in a conversation the
// assistant holds takes it over, as a reply does, and goes to the
// customer.
func TestFirstLineReactionTakesOver(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, nil)
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			require.Equal(t, assist.AgentID, f.conversation().Assignee, "sanity: the assistant holds it")
			var key string
			ctx := context.Background()
			require.NoError(t, f.store.InTx(ctx, func(tx bridge.Tx) error {
				ms, _, err := tx.RecentMessages(ctx, f.conv, 10)
				for _, m := range ms {
					if m.Direction == bridge.Inbound {
						key = m.WorkspaceKey
					}
				}
				return err
			}))
			require.NotEmpty(t, key)
			require.NoError(t, b.HandleAgentReaction(ctx, bridge.AgentReaction{Workspace: bridge.WorkspaceSlack, ChannelID: "CSUPPORT",
				ThreadKey: "TCSUPPORT", MessageKey: key, UserID: "USUP", Emoji: "👍"}))
			require.Equal(t, "USUP", f.conversation().Assignee)
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, []string{"👍"}, f.cust.sentReactions())
			require.Zero(t, f.cust.count("AI-TEXT"), "the agent took over before the assistant answered")
			_, tells, _, _ := f.ws.snapshot()
			require.Empty(t, tells)
		})
	}
}

// A refusal that names the conversation's holder names the assistant,
// never a mention token no workspace renders.
func TestFirstLineRefusalsNameTheAssistant(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, nil)
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.agentWrites(b, "CSUPPORT", "USUP", "!unclaim")
			f.run(b, bridge.WorkspaceLane(f.conv))
			_, tells, _, _ := f.ws.snapshot()
			require.Len(t, tells, 1)
			require.Contains(t, tells[0], bridge.Text("en", "fl.name"))
			require.NotContains(t, tells[0], "{@")
			require.Equal(t, assist.AgentID, f.conversation().Assignee, "a refusal changes nothing")
		})
	}
}

// A conversation the assistant resolved and the customer reopened starts
// its turns again: the answers of the first session do not count
// against max_turns.
func TestFirstLineReopenedConversationStartsItsTurnsAgain(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, func(o *bridge.Options) { o.Teams[0].FirstLine.MaxTurns = 1 })
			drain := func() {
				f.run(b, bridge.WorkspaceLane(f.conv))
				f.run(b, bridge.AssistLane(f.conv))
				f.run(b, bridge.CustomerLane(f.conv))
			}
			f.customerWrites(b, "wamid.1", "how do refunds work")
			drain()
			require.Equal(t, 1, f.cust.count("AI-TEXT"), "sanity: the first session answered")
			f.agentWrites(b, "CSUPPORT", "USUP", "!resolve")
			drain()
			require.Equal(t, bridge.StateResolved, f.conversation().State)

			f.advance(time.Minute)
			first := f.conv
			f.customerWrites(b, "wamid.2", "and exchanges?")
			require.Equal(t, first, f.conv, "sanity: the conversation reopened")
			drain()
			require.Equal(t, 2, f.cust.count("AI-TEXT"), "the reopened session answers: customer got %q", f.cust.sentTexts())
			require.Equal(t, assist.AgentID, f.conversation().Assignee)
		})
	}
}

// A conversation LLM routing gives to a team whose first-line assistant
// is on starts with the assistant, which answers the message that waited
// for the decision; the offline team's assistant (off) never speaks.
func TestLLMRoutingHandsANewConversationToTheFinalTeamsAssistant(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			rt, err := routing.Load([]byte(llmRouteTree))
			require.NoError(t, err)
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeNever, func(o *bridge.Options) {
				o.Teams = append(o.Teams, bridge.Team{Name: "billing", ChannelID: "CBILLING", Members: []string{"UBILL"},
					FirstLine: assist.FirstLine{Mode: assist.ModeAlways}})
				o.Router, o.LLMRouting, o.ClassifyWait = treeRouter{rt}, true, 5*time.Second
				o.Assistant = routingConfident{labeller: &labeller{answer: assist.Classification{Label: "billing", Confidence: 0.9, Decider: "llm"}}}
			})
			f.customerWrites(b, "wamid.1", "hello there")
			require.Empty(t, f.conversation().Assignee, "sanity: nobody holds it while the LLM decides")
			f.run(b, bridge.AssistLane(f.conv)) // the classification, then the answer it queued
			conv := f.conversation()
			require.Equal(t, "billing", conv.Team, "the LLM's team")
			require.Equal(t, assist.AgentID, conv.Assignee, "the billing team's assistant holds it")
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, 1, f.cust.count("AI-TEXT"), "the assistant answered the message that waited")
		})
	}
}

// A customer who comes back after the 24-hour window to a conversation
// the assistant held, once its first line was turned off, is told a
// person will answer: the message that just reopened the window counts.
func TestFirstLineTurnedOffTellsAReturningCustomer(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, nil)
			f.customerWrites(b, "wamid.1", "how do refunds work")
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.Equal(t, assist.AgentID, f.conversation().Assignee, "sanity: the assistant holds it")

			f.advance(25 * time.Hour)
			b = f.bridge(assist.ModeNever, func(o *bridge.Options) { o.ReopenWindow = 48 * time.Hour })
			f.customerWrites(b, "wamid.2", "hello again")
			f.run(b, bridge.CustomerLane(f.conv))
			// The customer's number is Spanish: they are told in Spanish.
			require.Equal(t, 1, f.cust.count(bridge.Text("es", "fl.to_person")), "the customer is told a person will answer: %q", f.posts(b))
		})
	}
}

// An agent who answered a conversation still waiting for the LLM's label
// (in a team that does not auto-claim, the reply leaves it unassigned)
// keeps it from the final team's assistant: it would speak after them.
func TestLLMRoutingLeavesAConversationAnAgentAnsweredToPeople(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			rt, err := routing.Load([]byte(llmRouteTree))
			require.NoError(t, err)
			f := newFLFixture(t, dialect)
			b := f.bridge(assist.ModeAlways, func(o *bridge.Options) {
				o.Router, o.LLMRouting, o.ClassifyWait = treeRouter{rt}, true, 5*time.Second
				o.Assistant = routingConfident{labeller: &labeller{answer: assist.Classification{Label: "support", Confidence: 0.9, Decider: "llm"}}}
			})
			f.customerWrites(b, "wamid.1", "hello there")
			// The workers were busy: the wait ends, the thread opens and an
			// agent answers before the classification runs.
			f.advance(6 * time.Second)
			f.run(b, bridge.WorkspaceLane(f.conv))
			f.agentWrites(b, "CSUPPORT", "USUP", "Hi! How can I help?")
			require.Empty(t, f.conversation().Assignee, "sanity: the reply did not claim it")
			f.run(b, bridge.AssistLane(f.conv))
			f.run(b, bridge.CustomerLane(f.conv))
			require.NotEqual(t, assist.AgentID, f.conversation().Assignee, "the assistant does not take a conversation an agent answered")
			require.Zero(t, f.cust.count("AI-TEXT"), "no AI answer after the agent's")
		})
	}
}
