package bridge_test

import (
	"context"
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

// peopleRouteTree puts the contact's label and attribute rules before the
// LLM's: a VIP or a gold-plan customer goes to sales whatever the LLM
// calls their question.
const peopleRouteTree = `
teams: [{name: support}, {name: billing}, {name: sales}]
classifier:
  examples:
    billing: ["I was charged twice on my card", "I need an invoice"]
    sales: ["how much is the premium plan", "I want to buy a license"]
route:
  id: root
  team: support
  routes:
    - id: vip
      team: sales
      match: {contact_labels: [vip]}
    - id: gold
      team: sales
      match: {contact_attributes: {plan: gold}}
    - id: billing-by-llm
      team: billing
      match: {llm: {label: billing, min_confidence: 0.7}}
`

// peopleRouter is treeRouter with the contact's labels and attributes, as
// the application passes them, recording every input it is given.
type peopleRouter struct {
	treeRouter
	mu     sync.Mutex
	inputs []bridge.RouteInput
}

func (x *peopleRouter) Route(in bridge.RouteInput) bridge.RouteDecision {
	x.mu.Lock()
	x.inputs = append(x.inputs, in)
	x.mu.Unlock()
	ri := routing.Input{Text: in.Text, Inbox: string(in.Inbox), ContactLabels: in.ContactLabels, ContactAttributes: in.ContactAttributes}
	if c := in.Classification; c != nil {
		ri.LLM = &routing.LLMResult{Label: c.Label, Confidence: c.Confidence, Decider: c.Decider}
	}
	d := x.r.Decide(ri)
	if d.RouteID == x.r.Root.ID {
		return bridge.RouteDecision{Team: in.DefaultTeam, RouteID: d.RouteID}
	}
	return bridge.RouteDecision{Team: d.Team, RouteID: d.RouteID, Reason: strings.Join(d.Reasons, "; ")}
}

// classified is the input of the routing with the LLM's answer.
func (x *peopleRouter) classified(t *testing.T) bridge.RouteInput {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, in := range x.inputs {
		if in.Classification != nil {
			return in
		}
	}
	t.Fatalf("no routing with the LLM's answer among %d", len(x.inputs))
	return bridge.RouteInput{}
}

// The routing with the LLM's answer sees the person's labels and
// attributes, as the offline routing does: a labelled (or gold-plan)
// customer's billing question stays with sales by the contact rule that
// comes first, instead of following the LLM's label to billing.
func TestLLMRoutingKeepsTheContactsLabelsAndAttributes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		mark  func(ctx context.Context, tx bridge.Tx, p bridge.PersonID, now time.Time) error
		route string
	}{
		{"label vip", func(ctx context.Context, tx bridge.Tx, p bridge.PersonID, now time.Time) error {
			_, err := tx.AddLabel(ctx, p, "vip", now)
			return err
		}, "sales vip llm"},
		{"attribute plan=gold", func(ctx context.Context, tx bridge.Tx, p bridge.PersonID, now time.Time) error {
			return tx.SetAttribute(ctx, p, "plan", "gold", now)
		}, "sales gold llm"},
	}
	for _, dialect := range storagetest.Dialects {
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				rt, err := routing.Load([]byte(peopleRouteTree))
				require.NoError(t, err)
				router := &peopleRouter{treeRouter: treeRouter{rt}}
				f := &llmFixture{t: t, store: storage.NewStore(storagetest.Open(t, dialect), nil), ws: &opener{recorder: &recorder{}},
					llm: &labeller{answer: assist.Classification{Label: "billing", Confidence: 0.93, Decider: "llm"}},
					now: time.Now().UTC().Truncate(time.Millisecond)}
				f.b, err = bridge.New(f.store, f.ws.recorder, []bridge.AgentWorkspace{f.ws}, bridge.Options{
					Teams: []bridge.Team{
						{Name: "support", ChannelID: "CSUPPORT", Members: []string{"USUP"}},
						{Name: "billing", ChannelID: "CBILLING", Members: []string{"UBILL"}},
						{Name: "sales", ChannelID: "CSALES", Members: []string{"USALES"}},
					},
					Inboxes:     []bridge.Inbox{{ID: "inbox", Name: "Support line", Team: "support"}},
					DefaultTeam: "support", Router: router, Assigner: treeRouter{rt}, Assistant: f.llm,
					LLMRouting: true, ClassifyWait: 5 * time.Second, Now: f.clock, Log: slog.New(slog.DiscardHandler),
				})
				require.NoError(t, err)
				// A returning customer the agents marked before.
				ctx := context.Background()
				require.NoError(t, f.store.InTx(ctx, func(tx bridge.Tx) error {
					c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Phone: "34600111222", CreatedAt: f.clock()})
					if err != nil {
						return err
					}
					return tc.mark(ctx, tx, c.PersonID, f.clock())
				}))

				f.customerWrites("I was charged twice on my card")
				f.run(bridge.WorkspaceLane(f.conv))
				f.run(bridge.AssistLane(f.conv))
				require.Len(t, f.llm.asked, 1, "the LLM was asked")

				in := router.classified(t)
				if tc.name == "label vip" {
					require.Equal(t, []string{"vip"}, in.ContactLabels)
				} else {
					require.Equal(t, map[string]string{"plan": "gold"}, in.ContactAttributes)
				}
				require.Equal(t, "sales", f.conversation().Team, "the contact rule wins over the LLM's billing")
				require.Equal(t, tc.route, f.routed())
			})
		}
	}
}
