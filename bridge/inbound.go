package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// HandleCustomerWebhook stores everything one webhook carried, and the
// deliveries it implies, in one transaction. Messages already stored (a
// platform retry) change nothing.
func (b *Bridge) HandleCustomerWebhook(ctx context.Context, hook CustomerWebhook) error {
	msgs := append([]InboundMessage(nil), hook.Messages...)
	// Within one delivery, post in the order the customer wrote; the
	// stable sort keeps arrival order for equal timestamps.
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].SentAt.Before(msgs[j].SentAt) })
	return b.inTx(ctx, func(tx Tx) error {
		for _, m := range msgs {
			if err := b.storeInbound(ctx, tx, m); err != nil {
				return err
			}
		}
		for _, r := range hook.Receipts {
			if err := b.storeReceipt(ctx, tx, r); err != nil {
				return err
			}
		}
		for _, u := range hook.Templates {
			if err := b.storeTemplateUpdate(ctx, tx, u); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *Bridge) storeInbound(ctx context.Context, tx Tx, m InboundMessage) error {
	if m.ExternalID == "" {
		return errors.New("inbound message without an id")
	}
	if _, err := tx.MessageByExternalID(ctx, m.ExternalID); err == nil {
		return nil // a retry of a message we already have
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if !b.servesInbox(m) {
		return nil // acknowledged: Meta would retry it for days otherwise
	}
	now := b.now()
	sentAt := m.SentAt
	if sentAt.IsZero() {
		sentAt = now
	}
	contact, err := b.customerContact(ctx, tx, m, now) // identities.go
	if err != nil {
		return err
	}
	if err := b.contactCreated(ctx, tx, contact, "customer", now); err != nil {
		return err
	}
	if m.Echo {
		// The business wrote it (echoes.go): no language, survey, window
		// or assistant effects.
		return b.storeEcho(ctx, tx, contact, m, sentAt, now)
	}
	// Learnt first, so the bot texts this message causes (the away
	// message) are in the language it is written in.
	if contact, err = b.learnLanguage(ctx, tx, contact, m); err != nil {
		return err
	}
	// A survey answer (or its comment) neither reopens nor continues the
	// conversation as a customer message would.
	if handled, err := b.csatInbound(ctx, tx, contact, m, sentAt, now); handled || err != nil {
		return err
	}
	conv, err := b.conversationFor(ctx, tx, contact, m, sentAt, now)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode inbound message: %w", err)
	}
	id, inserted, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Inbound, Kind: m.Kind,
		Body: m.Text, Payload: payload, ExternalID: m.ExternalID, SentAt: sentAt, CreatedAt: now, Status: StatusReceived})
	if err != nil {
		return err
	}
	if !inserted {
		// A concurrent retry stored it between our check and insert; start
		// over so this transaction's other writes are not kept twice.
		return fmt.Errorf("message %s stored concurrently: %w", m.ExternalID, ErrConflict)
	}
	if err := b.customerRevised(ctx, tx, conv, m, id, sentAt); err != nil {
		return err
	}
	if sentAt.After(conv.LastCustomerAt) {
		if err := b.windowOnCustomer(ctx, tx, conv, sentAt, now); err != nil {
			return err
		}
		if err := tx.TouchCustomer(ctx, conv.ID, sentAt); err != nil {
			return err
		}
	}
	reaction, err := b.customerReaction(ctx, tx, m, sentAt) // agentreaction.go
	if err != nil {
		return err
	}
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverPostInbound,
		MessageID: id, Payload: reaction, SortKey: sentAt.UnixMilli(), NotBefore: now.Add(b.opts.OrderWindow), CreatedAt: now}); err != nil {
		return err
	}
	switch m.Kind {
	case KindReaction, KindEdit, KindRevoke, KindSystem:
		// Not a new message for the assistant to answer.
	default:
		if err := b.firstLineInbound(ctx, tx, conv, id, now); err != nil { // assist_firstline.go
			return err
		}
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventReceived, Data: string(m.Kind), At: sentAt})
}

// conversationFor returns the conversation a customer message belongs to,
// opening or reopening one (with its thread and card deliveries) as needed.
func (b *Bridge) conversationFor(ctx context.Context, tx Tx, contact Contact, m InboundMessage, sentAt, now time.Time) (Conversation, error) {
	inbox := m.Inbox
	latest, err := tx.LatestConversation(ctx, contact.ID, inbox)
	found := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Conversation{}, err
	}
	switch OnCustomerMessage(latest, found, sentAt, b.opts.ReopenWindow) {
	case ArrivalContinue:
		return latest, nil
	case ArrivalReopen:
		conv, err := tx.UpdateConversation(ctx, reopen(latest))
		if err != nil {
			return conv, err
		}
		lang := b.language(conv.Team)
		if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.reopened"), now); err != nil {
			return conv, err
		}
		if err := b.enqueueCard(ctx, tx, conv.ID, now); err != nil {
			return conv, err
		}
		if err := b.conversationChanged(ctx, tx, conv, crmReopened, "customer", nil, now); err != nil { // crm.go
			return conv, err
		}
		return conv, tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventReopened, Actor: "customer", At: now})
	}
	labels, attrs, err := b.personFacts(ctx, tx, contact) // crm_card.go
	if err != nil {
		return Conversation{}, err
	}
	decision := b.route(m, sentAt, labels, attrs)
	team := b.team(decision.Team)
	conv, err := tx.CreateConversation(ctx, Conversation{ContactID: contact.ID, Inbox: inbox, Channel: b.inboxChannel(inbox), Team: team.Name,
		State: StatePending, OpenedAt: now, LastCustomerAt: sentAt, PreviousID: latest.ID})
	if err != nil {
		return conv, err
	}
	// hold: the LLM classifier may still change the team; the thread waits
	// and the final team's part is done when it has decided (assist_route.go).
	hold := b.classifyHold(m, now)
	held := !hold.IsZero()
	assigned := false
	switch {
	case held:
		// The final team's part waits for the LLM's label (settleRoute).
	case b.firstLineOn(team, sentAt):
		// The assistant holds it first (assist_firstline.go).
		if conv, err = b.startFirstLine(ctx, tx, conv, now); err != nil {
			return conv, err
		}
		assigned = true
	case !decision.OutOfHours:
		if conv, assigned, err = b.assign(ctx, tx, conv, now); err != nil {
			return conv, err
		}
	}
	if !assigned && !held {
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventQueued, Data: team.Name, At: now}); err != nil {
			return conv, err
		}
	}
	if _, err := tx.CreateThread(ctx, Thread{ConversationID: conv.ID, CreatedAt: now,
		Ref: ThreadRef{Workspace: team.Workspace, ChannelID: team.homeFor(conv.ID)}}); err != nil {
		return conv, err
	}
	// SortKey 0 puts the card first in the lane: every later post hangs
	// off the thread it opens.
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverOpenThread,
		NotBefore: hold, CreatedAt: now}); err != nil {
		return conv, err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventOpened, At: now}); err != nil {
		return conv, err
	}
	if err := b.conversationChanged(ctx, tx, conv, crmOpened, "customer", nil, now); err != nil { // crm.go
		return conv, err
	}
	if decision.Reason != "" && !held {
		if err := b.enqueueSystem(ctx, tx, conv.ID, "🧭 "+decision.Reason, now); err != nil {
			return conv, err
		}
	}
	// While held, the away message waits for the final team (settleRoute):
	// the LLM may move the conversation to a team that is open.
	if away := b.awayMessage(contact, team.Name, decision); decision.OutOfHours && away != "" && !held {
		if err := b.autoReply(ctx, tx, conv, away, now); err != nil {
			return conv, err
		}
	}
	if held {
		return conv, b.enqueueClassify(ctx, tx, conv, decision, hold, sentAt, now)
	}
	return conv, tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventRouted, Data: team.Name + " " + decision.RouteID, At: now})
}

// route asks the router for a team, falling back to the inbox's team.
func (b *Bridge) route(m InboundMessage, at time.Time, labels []string, attrs map[string]string) RouteDecision {
	fallback := b.teamFor(m.Inbox).Name
	if b.opts.Router == nil {
		return RouteDecision{Team: fallback}
	}
	d := b.opts.Router.Route(RouteInput{Text: m.Text, Inbox: m.Inbox, Channel: b.inboxChannel(m.Inbox), DefaultTeam: fallback, At: at,
		ContactLabels: labels, ContactAttributes: attrs})
	if _, ok := b.teams[d.Team]; !ok {
		d.Team = fallback
	}
	return d
}

// autoReply sends the customer a message from the business (the
// out-of-hours notice) and shows it in the thread.
func (b *Bridge) autoReply(ctx context.Context, tx Tx, conv Conversation, text string, now time.Time) error {
	return b.sendOwnText(ctx, tx, conv, text, "sys.auto_reply", 0, now)
}

// sendOwnText sends the customer a text of the bridge's own (from the
// catalogue or the config, never an agent's or the AI's), ordered in the
// customer lane by sortKey, and shows it in the thread with the catalogue
// line postKey. It has no author, so it goes whoever holds the
// conversation.
func (b *Bridge) sendOwnText(ctx context.Context, tx Tx, conv Conversation, text, postKey string, sortKey int64, now time.Time) error {
	id, _, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Outbound, Kind: KindText, Body: text,
		SentAt: now, CreatedAt: now, Status: StatusQueued, Payload: mustJSON(replyPayload{})})
	if err != nil {
		return err
	}
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendReply,
		MessageID: id, Payload: mustJSON(replyPayload{}), SortKey: sortKey, CreatedAt: now}); err != nil {
		return err
	}
	return b.enqueueSystem(ctx, tx, conv.ID, Text(b.language(conv.Team), postKey, text), now)
}

// storeReceipt records a delivery receipt and, when it moves the message
// forward, shows it on the agent's message (and explains a failure).
func (b *Bridge) storeReceipt(ctx context.Context, tx Tx, r DeliveryReceipt) error {
	if !r.Watermark.IsZero() {
		return b.storeWatermark(ctx, tx, r) // channelreceipts.go
	}
	if err := storePricing(ctx, tx, r); err != nil {
		return err
	}
	// Taken before anything else, as recording the send does (execute.go).
	if err := tx.LockExternalID(ctx, r.ExternalID); err != nil {
		return err
	}
	fresh, err := tx.InsertReceipt(ctx, r)
	if err != nil || !fresh {
		return err
	}
	msg, err := tx.MessageByExternalID(ctx, r.ExternalID)
	if errors.Is(err, ErrNotFound) {
		// The receipt beat our own record of the send; it is applied when
		// the send is recorded (see recordSent).
		return nil
	}
	if err != nil {
		return err
	}
	if r.Status == ReceiptDeleted && msg.Direction == Inbound {
		return b.storeDeletedStatus(ctx, tx, msg, r) // customeredit.go
	}
	return b.applyReceipt(ctx, tx, msg, r)
}

func (b *Bridge) applyReceipt(ctx context.Context, tx Tx, msg Message, r DeliveryReceipt) error {
	if msg.Direction != Outbound {
		return nil
	}
	if postedByBridge(msg) {
		// Its thread post records its key from another lane: take turns
		// on the conversation and read the message again.
		if _, err := tx.LockConversation(ctx, msg.ConversationID); err != nil {
			return err
		}
		var err error
		if msg, err = tx.GetMessage(ctx, msg.ID); err != nil {
			return err
		}
	}
	status := receiptStatus(r.Status)
	// Receipts arrive out of order; only ever move forward.
	if statusRank(status) <= statusRank(msg.Status) {
		return nil
	}
	previous := markFor(msg.Status)
	msg.Status = status
	if status == StatusFailed {
		msg.Failure = r.Reason
		if msg.Failure == "" {
			msg.Failure = ReasonUnknown
		}
	}
	if err := tx.UpdateMessage(ctx, msg); err != nil {
		return err
	}
	now := b.now()
	if err := b.enqueueMark(ctx, tx, msg, previous, markFor(status), now); err != nil {
		return err
	}
	if status != StatusFailed {
		return nil
	}
	conv, err := tx.GetConversation(ctx, msg.ConversationID)
	if err != nil {
		return err
	}
	code := ""
	if len(r.Errors) > 0 {
		code = strconv.Itoa(r.Errors[0].Code)
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventDelivery, Data: string(msg.Failure), At: now}); err != nil {
		return err
	}
	return b.enqueueSystem(ctx, tx, conv.ID, b.failureText(conv, msg.AuthorID, msg.Failure, code, 0), now)
}

func receiptStatus(s ReceiptStatus) MessageStatus {
	switch s {
	case ReceiptSent:
		return StatusSent
	case ReceiptDelivered:
		return StatusDelivered
	case ReceiptRead, ReceiptPlayed:
		return StatusRead
	case ReceiptFailed:
		return StatusFailed
	}
	return StatusQueued
}

func markFor(s MessageStatus) Mark {
	switch s {
	case StatusSent:
		return MarkSent
	case StatusDelivered:
		return MarkDelivered
	case StatusRead:
		return MarkRead
	case StatusFailed, StatusBlocked:
		return MarkFailed
	}
	return ""
}

// failureText explains in the team's language why a message did not reach
// the customer of conv, addressed to its author.
func (b *Bridge) failureText(conv Conversation, author string, reason FailureReason, code string, attempts int) string {
	lang := b.language(conv.Team)
	who := Text(lang, "card.nobody")
	switch author {
	case "":
	case assist.AgentID:
		who = Text(lang, "fl.name")
	default:
		who = MentionToken(author)
	}
	why := failureWhy(lang, conv.Channel, reason, code, attempts)
	if reason == ReasonHeld && author == assist.AgentID {
		// Nobody took it over to ask: the assistant's answer was stopped
		// because it no longer held the conversation (transfer, hand-over).
		why = Text(lang, "fail.held_assistant")
	}
	return "⛔ " + Text(lang, "fail.prefix", who, why)
}

// failureWhy says in an agent's words why a delivery to the customer
// failed for good.
func failureWhy(lang string, ch Channel, reason FailureReason, code string, attempts int) string {
	if why, ok := mediaRefusalWhy(lang, code); ok {
		return why
	}
	if reason == ReasonMediaRejected && code == CodeFileTooLarge {
		return Text(lang, "fail.file_too_large")
	}
	switch code {
	case "131026", "131048", "131056":
		// Codes agents meet with templates, whose general reason would
		// not say what to do.
		return Text(lang, "fail.code_"+code)
	}
	var why string
	switch reason {
	case ReasonHumanAgentWindow:
		why = Text(lang, "fail.human_agent_window", channelName(lang, Channel(code))) // agentwindow.go
	case ReasonTemplateParams, ReasonTemplateMissing, ReasonTemplatePaused, ReasonTemplateDisabled:
		why = Text(lang, "fail."+string(reason))
	case ReasonOutsideWindow:
		why = outsideWindowWhy(lang, ch) // agentwindow.go
	case ReasonUndeliverable, ReasonTokenExpired, ReasonUnsupported, ReasonPolicy, ReasonMediaRejected, ReasonHeld:
		why = Text(lang, "fail."+string(reason))
	case ReasonInvalidRequest:
		why = Text(lang, "fail.invalid_request", code)
	case ReasonTemporary, ReasonRateLimited:
		why = Text(lang, "fail.temporary", attempts)
	case ReasonNotInChannel:
		why = Text(lang, "fail.file")
	default:
		if code == "" {
			code = string(reason)
		}
		why = Text(lang, "fail.unknown", code)
	}
	return why
}
