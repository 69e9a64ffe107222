package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Routing by the LLM classifier (issue 11): when routing rules match on
// an LLM label, a new conversation's thread waits (at most
// Options.ClassifyWait) while the assistant classifies its first message;
// the offline classifier decides when the provider fails.
//
// The flow, all of it durable:
//
//  1. conversationFor routes the new conversation offline, as always, but
//     holds its open_thread delivery until hold = now + ClassifyWait.
//     The open_thread is the head of the workspace lane (sort key 0), so
//     everything behind it (the customer's first message, any notice)
//     waits with it. Assignment, the 🧭 reason and the routed event wait
//     too: they belong to the final team. An assist_classify job is
//     queued on the assist lane with the offline decision.
//  2. runClassify asks the assistant, bounded to end before the hold does.
//  3. classifyDone routes again with the LLM's label. While the thread is
//     still held it may change the conversation's team (and its thread's
//     channel); then it assigns, posts the reason, writes the routed event
//     (which says who decided) and releases the thread at once.
//     classifyFailed does the same with the offline decision.
//
// If the job never gets to run before the hold ends (a crashed replica),
// the thread opens with the offline team anyway; the job, when it runs,
// can then only confirm that team.

// LLMLabeler is the Router's optional capability of naming the labels its
// rules ask the LLM classifier for (the routing tree's llm matchers): what
// the LLM chooses from. cmd/switchboard/app's rules implement it.
type LLMLabeler interface {
	LLMLabels() []string
}

// Deciders of a routing decision, written last in the routed event's data
// ("billing billing-by-llm llm"). Stored: never rename one.
const (
	routedByLLM     = "llm"
	routedByOffline = "offline"
)

// defaultClassifyWait is Options.ClassifyWait when unset.
const defaultClassifyWait = 5 * time.Second

// classifyPayload is an assist_classify job: when the thread's hold ends
// and the offline decision that stands if the LLM does not answer in time.
type classifyPayload struct {
	HoldMs int64 `json:"hold_ms"`
	// AtMs is when the first message was sent (business hours are checked
	// against it, as the offline decision was).
	AtMs       int64  `json:"at_ms"`
	Team       string `json:"team"`
	RouteID    string `json:"route_id"`
	Reason     string `json:"reason,omitempty"`
	OutOfHours bool   `json:"out_of_hours,omitempty"`
	// AutoReply and AwayMessages are the offline decision's away message,
	// for when that decision stands.
	AutoReply    string            `json:"auto_reply,omitempty"`
	AwayMessages map[string]string `json:"away_messages,omitempty"`
	// AwayLater says the away message waits for the final decision
	// (settleAssignment); jobs queued before it existed sent it at once
	// when the offline team was closed.
	AwayLater bool `json:"away_later,omitempty"`
}

// classifyResult is what runClassify hands to classifyDone.
type classifyResult struct {
	Text           string                `json:"text"`
	Classification assist.Classification `json:"classification"`
}

// classifyWait is how long a new conversation's thread waits for the LLM.
func (b *Bridge) classifyWait() time.Duration {
	if b.opts.ClassifyWait > 0 {
		return b.opts.ClassifyWait
	}
	return defaultClassifyWait
}

// classifyGuard is the margin kept between the end of the LLM call and
// the end of the thread's hold, so a late answer never races the thread
// being opened in the provisional team's channel.
func (b *Bridge) classifyGuard() time.Duration { return b.classifyWait() / 5 }

// llmLabels are the labels the routing rules ask the LLM for.
func (b *Bridge) llmLabels() []string {
	if l, ok := b.opts.Router.(LLMLabeler); ok {
		return l.LLMLabels()
	}
	return nil
}

// classifyHold says until when a new conversation opened by m waits for
// the LLM classifier: zero when it does not (LLM routing off, no
// assistant, a message without text to classify).
func (b *Bridge) classifyHold(m InboundMessage, now time.Time) time.Time {
	if !b.opts.LLMRouting || b.opts.Assistant == nil || strings.TrimSpace(m.Text) == "" || len(b.llmLabels()) == 0 {
		return time.Time{}
	}
	return now.Add(b.classifyWait())
}

// enqueueClassify queues the LLM classification of a held conversation;
// d is the provisional (offline) decision.
func (b *Bridge) enqueueClassify(ctx context.Context, tx Tx, conv Conversation, d RouteDecision, hold, sentAt, now time.Time) error {
	return b.enqueueAssist(ctx, tx, conv.ID, DeliverAssistClassify, classifyPayload{HoldMs: hold.UnixMilli(),
		AtMs: sentAt.UnixMilli(), Team: d.Team, RouteID: d.RouteID, Reason: d.Reason, OutOfHours: d.OutOfHours,
		AutoReply: d.AutoReply, AwayMessages: d.AwayMessages, AwayLater: true}, now)
}

func decodeClassify(d Delivery) (classifyPayload, error) {
	var p classifyPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return p, fmt.Errorf("classify payload: %w: %w", errCorrupt, err)
	}
	return p, nil
}

// errClassifyLate says the hold ended before the LLM could be asked.
var errClassifyLate = errors.New("the thread's wait for the LLM classifier is over")

// runClassify asks the assistant for the label of the conversation's
// first message, redacted, choosing from the routing rules' labels.
func (b *Bridge) runClassify(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	p, err := decodeClassify(d)
	if err != nil {
		return outcome{}, err
	}
	text := firstCustomerText(dc.recent)
	labels := b.llmLabels()
	if text == "" || len(labels) == 0 {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonTemporary, Code: "nothing_to_classify",
			Err: errors.New("no text or no labels to classify with")}
	}
	deadline := time.UnixMilli(p.HoldMs).Add(-b.classifyGuard())
	if !b.now().Before(deadline) {
		b.opts.Metrics.AssistRequest("classify", "failed", assist.Usage{})
		return outcome{}, errClassifyLate
	}
	cctx, cancel := context.WithTimeout(ctx, deadline.Sub(b.now()))
	defer cancel()
	c, err := b.opts.Assistant.Classify(cctx, assist.Redact(text), labels)
	if err != nil {
		b.opts.Metrics.AssistRequest("classify", "failed", c.Usage)
		return outcome{}, fmt.Errorf("classify: %w", err)
	}
	result := "ok"
	if c.Decider != routedByLLM {
		result = "fallback" // the assistant answered from the offline classifier
	}
	b.opts.Metrics.AssistRequest("classify", result, c.Usage)
	return outcome{assist: mustJSON(classifyResult{Text: text, Classification: c})}, nil
}

// classifyDone routes the conversation again with the LLM's label.
func (b *Bridge) classifyDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	p, err := decodeClassify(d)
	if err != nil {
		return err
	}
	var res classifyResult
	if err := json.Unmarshal(out.assist, &res); err != nil {
		return fmt.Errorf("classify result: %w", err)
	}
	conv, err := tx.LockConversation(ctx, d.ConversationID)
	if err != nil {
		return ignoreNotFound(err)
	}
	c := res.Classification
	decider := routedByLLM
	if c.Decider != routedByLLM {
		decider = routedByOffline
	}
	// The person's labels and attributes as they are now, as route reads
	// them on the offline path: a contact_labels rule must not lose to the
	// LLM's label only because the LLM was asked.
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return fmt.Errorf("classify: contact of conversation %d: %w", conv.ID, err)
	}
	labels, attrs, err := b.personFacts(ctx, tx, contact)
	if err != nil {
		return err
	}
	decision := b.routeClassified(RouteInput{Text: res.Text, Inbox: conv.Inbox, At: time.UnixMilli(p.AtMs).UTC(), Classification: &c,
		ContactLabels: labels, ContactAttributes: attrs})
	return b.settleRoute(ctx, tx, conv, p, decision, decider, now)
}

// classifyFailed lets the offline decision stand.
func (b *Bridge) classifyFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	p, err := decodeClassify(d)
	if err != nil {
		return err
	}
	conv, err := tx.LockConversation(ctx, d.ConversationID)
	if err != nil {
		return ignoreNotFound(err)
	}
	b.log.Warn("LLM classifier unavailable; the offline decision stands", "conversation", conv.ID, "team", p.Team,
		"err", d.LastError)
	return b.settleRoute(ctx, tx, conv, p, p.decision(), routedByOffline, now)
}

func (p classifyPayload) decision() RouteDecision {
	return RouteDecision{Team: p.Team, RouteID: p.RouteID, Reason: p.Reason, OutOfHours: p.OutOfHours,
		AutoReply: p.AutoReply, AwayMessages: p.AwayMessages}
}

// routeClassified is route with the LLM's answer: in holds the text, the
// inbox, the time, the classification and the person's labels and
// attributes; Channel and DefaultTeam are filled in here.
func (b *Bridge) routeClassified(in RouteInput) RouteDecision {
	fallback := b.teamFor(in.Inbox).Name
	if b.opts.Router == nil {
		return RouteDecision{Team: fallback}
	}
	in.Channel, in.DefaultTeam = b.inboxChannel(in.Inbox), fallback
	d := b.opts.Router.Route(in)
	if _, ok := b.teams[d.Team]; !ok {
		d.Team = fallback
	}
	return d
}

// settleRoute makes decision the conversation's, if the thread still
// waits, else keeps the provisional team; then does what conversationFor
// left for the final team (assignment, the reason, the routed event) and
// releases the thread.
func (b *Bridge) settleRoute(ctx context.Context, tx Tx, conv Conversation, p classifyPayload, decision RouteDecision, decider string, now time.Time) error {
	head, err := tx.LaneHead(ctx, WorkspaceLane(conv.ID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	held := err == nil && head.Kind == DeliverOpenThread && head.State == DeliveryQueued
	// Moving is safe only while no job can be opening the thread: its head
	// is not due for a while yet (see classifyGuard).
	movable := held && head.NotBefore.After(now.Add(b.classifyGuard()/2))
	if decision.Team != conv.Team && (!movable || conv.Assignee != "" || conv.State != StatePending) {
		b.log.Info("LLM routing came too late to move the conversation; its team stays", "conversation", conv.ID,
			"team", conv.Team, "llm_team", decision.Team)
		decision, decider = p.decision(), routedByOffline
	}
	team := b.team(decision.Team)
	if team.Name != conv.Team {
		th, err := tx.CurrentThread(ctx, conv.ID)
		if err != nil {
			return err
		}
		if err := tx.RehomeThread(ctx, th.ID, ThreadRef{Workspace: team.Workspace, ChannelID: team.homeFor(conv.ID)}); err != nil {
			return err
		}
		conv.Team = team.Name
		if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
			return err
		}
	}
	// Someone may hold it already (an agent claimed after the thread
	// opened, or it was resolved): then the decision is only recorded;
	// giving it to the assistant or assigning it again would take it from
	// them.
	if conv.Assignee == "" && conv.State == StatePending {
		if err := b.settleAssignment(ctx, tx, conv, p, team, decision, now); err != nil {
			return err
		}
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventRouted,
		Data: team.Name + " " + decision.RouteID + " " + decider, At: now}); err != nil {
		return err
	}
	if !held || !head.NotBefore.After(now) {
		return nil
	}
	// Release the thread now rather than at the end of the hold, and wake
	// its lane: its job sleeps until the hold's end.
	head.NotBefore = now
	if err := tx.UpdateDelivery(ctx, head); err != nil {
		return err
	}
	return tx.Requeue(ctx, head)
}

// settleAssignment does for a still unclaimed conversation what
// conversationFor left for its final team: the assistant or an agent, the
// routing reason, the away message the final team's hours call for.
func (b *Bridge) settleAssignment(ctx context.Context, tx Tx, conv Conversation, p classifyPayload, team Team, decision RouteDecision, now time.Time) error {
	var err error
	assigned := false
	switch {
	case b.firstLineOn(team, time.UnixMilli(p.AtMs).UTC()) && conv.FirstResponseAt.IsZero():
		// The final team's assistant answers first (assist_firstline.go):
		// the customer's newest message, which waited for this decision.
		// Not once an agent has answered (without claiming, a team that
		// does not auto-claim): the assistant would speak after them.
		if conv, err = b.startFirstLine(ctx, tx, conv, now); err != nil {
			return err
		}
		assigned = true
		if err := b.firstLineAnswerNewest(ctx, tx, conv, now); err != nil {
			return err
		}
	case !decision.OutOfHours:
		if conv, assigned, err = b.assign(ctx, tx, conv, now); err != nil {
			return err
		}
	}
	if !assigned {
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventQueued, Data: team.Name, At: now}); err != nil {
			return err
		}
	}
	if decision.Reason != "" {
		if err := b.enqueueSystem(ctx, tx, conv.ID, "🧭 "+decision.Reason, now); err != nil {
			return err
		}
	}
	if decision.OutOfHours && (p.AwayLater || !p.OutOfHours) {
		// The away message waited for this decision (conversationFor):
		// the customer hears it now, since the final team is closed.
		contact, err := tx.GetContact(ctx, conv.ContactID)
		if err != nil {
			return err
		}
		if away := b.awayMessage(contact, team.Name, decision); away != "" {
			if err := b.autoReply(ctx, tx, conv, away, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// firstCustomerText is the text of the conversation's first customer
// message among recent: what the conversation was routed on.
func firstCustomerText(recent []Message) string {
	for _, m := range recent {
		if m.Direction == Inbound && strings.TrimSpace(m.Body) != "" {
			return m.Body
		}
	}
	return ""
}
