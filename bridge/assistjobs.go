package bridge

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AI work runs as deliveries on the conversation's AssistLane: the job
// calls the assistant (outside any transaction, like any platform call),
// and completeAssist records what it produced together with the
// deliveries that follow (a private draft, a summary post, an answer to
// the customer). A provider that fails is not retried by the lane: the
// provider client already retried 429 and 5xx, and an agent waiting for a
// draft, or a customer waiting for an answer, is better served by a
// person at once; assistFailed says so where it matters.
//
// Each kind lives in its own file: assist_agent.go (suggestions and
// summaries), assist_firstline.go (the first-line assistant),
// assist_route.go (routing by the LLM classifier).

// assistMetricPlatform labels AI work in switchboard_deliveries_total.
const assistMetricPlatform = "assistant"

// assistRecentMessages is how many of a conversation's last messages the
// assistant reads.
const assistRecentMessages = 40

// errNoAssistant is returned for AI work when no assistant is configured.
var errNoAssistant = errors.New("no AI assistant configured")

// executeAssist runs one AI job. Any failure is final for the job.
func (b *Bridge) executeAssist(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	if b.opts.Assistant == nil {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonTemporary, Code: "no_assistant", Err: errNoAssistant}
	}
	var (
		out outcome
		err error
	)
	switch d.Kind {
	case DeliverAssistSuggest, DeliverAssistSummary:
		out, err = b.runAgentAssist(ctx, d, dc) // assist_agent.go
	case DeliverAssistAnswer:
		out, err = b.runFirstLine(ctx, d, dc) // assist_firstline.go
	case DeliverAssistClassify:
		out, err = b.runClassify(ctx, d, dc) // assist_route.go
	default:
		err = fmt.Errorf("unknown AI job %q", d.Kind)
	}
	if err == nil {
		return out, nil
	}
	if de, ok := AsDeliveryError(err); ok && de.Permanent {
		return out, err
	}
	return out, &DeliveryError{Permanent: true, Reason: ReasonTemporary, Code: "assistant", Err: err}
}

// completeAssist records an AI job's result and what follows from it.
func (b *Bridge) completeAssist(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	switch d.Kind {
	case DeliverAssistSuggest, DeliverAssistSummary:
		return b.agentAssistDone(ctx, tx, d, out, now)
	case DeliverAssistAnswer:
		return b.firstLineDone(ctx, tx, d, out, now)
	case DeliverAssistClassify:
		return b.classifyDone(ctx, tx, d, out, now)
	}
	return nil
}

// assistFailed records an AI job that failed for good: the agent who asked
// is told, a first-line conversation goes to people, routing falls back to
// the offline decision.
func (b *Bridge) assistFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, reason FailureReason, code string, now time.Time) error {
	switch d.Kind {
	case DeliverAssistSuggest, DeliverAssistSummary:
		return b.agentAssistFailed(ctx, tx, d, dc, now)
	case DeliverAssistAnswer:
		return b.firstLineFailed(ctx, tx, d, dc, now)
	case DeliverAssistClassify:
		return b.classifyFailed(ctx, tx, d, dc, now)
	}
	return nil
}

// enqueueAssist queues AI work for conv.
func (b *Bridge) enqueueAssist(ctx context.Context, tx Tx, conv ConversationID, kind DeliveryKind, payload any, now time.Time) error {
	d := Delivery{ConversationID: conv, Lane: AssistLane(conv), Kind: kind, CreatedAt: now}
	if payload != nil {
		d.Payload = mustJSON(payload)
	}
	_, err := tx.Enqueue(ctx, d)
	return err
}

// Payloads of AI jobs.

// suggestPayload asks for a draft for one agent.
type suggestPayload struct {
	UserID string `json:"user_id"`
	// Handle is the agent's reply handle (AgentMessage.ReplyHandle), so
	// the draft can answer the interaction that asked for it.
	Handle string `json:"handle,omitempty"`
	// Lang is the agent's client language when the platform said
	// (Discord's locale): the draft's words around it are in it.
	Lang string `json:"lang,omitempty"`
}

// summaryPayload asks for a summary; Reason is why: "manual" (!summary),
// "transfer", "resolve" or "handover" (the first-line assistant gave the
// conversation to people). RequestedBy is the agent who asked, if any.
type summaryPayload struct {
	Reason      string `json:"reason"`
	RequestedBy string `json:"requested_by,omitempty"`
	Handle      string `json:"handle,omitempty"`
	// ThreadID is the thread to post it in when not the current one.
	ThreadID int64 `json:"thread_id,omitempty"`
	// Lang is as in suggestPayload, for RequestedBy.
	Lang string `json:"lang,omitempty"`
}

// Summary reasons.
const (
	SummaryManual   = "manual"
	SummaryTransfer = "transfer"
	SummaryResolve  = "resolve"
	SummaryHandOver = "handover"
)
