package bridge_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// eraser is an assistant whose summary and draft quote the customer's
// message, and which, while it is being asked, sees the customer delete
// that message: the deletion lands between the job's read of the
// conversation and its result.
type eraser struct {
	confident
	f *flFixture
	b **bridge.Bridge
}

func (e eraser) deleteFirst(ctx context.Context) {
	ext := "wamid.del." + e.f.clock().String()
	require.NoError(e.f.t, (*e.b).HandleCustomerWebhook(ctx, bridge.CustomerWebhook{Messages: []bridge.InboundMessage{{
		Inbox: "inbox", ExternalID: ext, From: "34600111222", ProfileName: "Ana", SentAt: e.f.clock(),
		Kind: bridge.KindRevoke, ReplyTo: "wamid.1"}}}))
}

func (e eraser) Summarize(ctx context.Context, _ assist.Request) (assist.Summary, error) {
	e.deleteFirst(ctx)
	return assist.Summary{Text: "SUMMARY: card 4111 expired"}, nil
}

func (e eraser) Suggest(ctx context.Context, _ assist.Request) (assist.Draft, error) {
	e.deleteFirst(ctx)
	return assist.Draft{Text: "DRAFT: about card 4111"}, nil
}

// A summary or draft whose job read the conversation before the customer
// deleted a message, and finished after, is dropped: it may quote the
// erased text, and ForgetAIText ran before it existed. The agent who
// asked is told to ask again.
func TestAgentAssistDroppedWhenTheCustomerDeletesMeanwhile(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		for _, ask := range []string{"!summary", "!suggest"} {
			t.Run(dialect+" "+ask, func(t *testing.T) {
				t.Parallel()
				f := newFLFixture(t, dialect)
				var b *bridge.Bridge
				b = f.bridge(assist.ModeNever, func(o *bridge.Options) { o.Assistant = eraser{f: f, b: &b} })
				f.customerWrites(b, "wamid.1", "my card 4111 expired")
				f.run(b, bridge.WorkspaceLane(f.conv))
				f.advance(time.Second)
				f.agentWrites(b, "CSUPPORT", "USUP", ask)
				f.run(b, bridge.WorkspaceLane(f.conv))
				f.run(b, bridge.AssistLane(f.conv))
				posts := f.posts(b)
				_, tells, _, _ := f.ws.snapshot()
				for _, p := range append(posts, tells...) {
					require.NotContains(t, p, "SUMMARY:", "no summary that may quote the deleted message is posted")
					require.NotContains(t, p, "DRAFT:", "no draft that may quote the deleted message is shown")
				}
				require.Equal(t, 1, containsText(tells, bridge.Text("en", "assist.erased_retry")), "the agent is told to ask again: %q", tells)
				require.NoError(t, f.store.InTx(context.Background(), func(tx bridge.Tx) error {
					_, err := tx.LatestSummary(context.Background(), f.conv)
					require.True(t, errors.Is(err, bridge.ErrNotFound), "no summary kept for the next card: %v", err)
					return nil
				}))
			})
		}
	}
}
