package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The satisfaction survey (CSAT). When an agent resolves a conversation
// inside the 24-hour window, the customer gets one interactive message with
// three reply buttons; the press comes back as an inbound button reply
// whose id the bridge minted ("csat:<conversation>:<score>"), is recorded
// and shown in the thread, and counts in the metrics. A conversation is
// surveyed at most once (the csat row is unique per conversation), never
// outside the window, and only for teams with Supervision.CSAT.

// EventCSAT is the event-log kind of a survey answer; Data is the score.
const EventCSAT = "csat"

// Survey scores, the button pressed.
const (
	CSATBad  = 1
	CSATOkay = 2
	CSATGood = 3
)

// CSAT is one satisfaction survey, attributed to the team and assignee at
// resolution. AnsweredAt is zero (and Score 0) until the customer answers.
type CSAT struct {
	ConversationID ConversationID
	Team           string
	Agent          string
	SentAt         time.Time
	AnsweredAt     time.Time
	Score          int
	Comment        string
	CommentAt      time.Time
}

const csatPrefix = "csat:"

// csatButtonID mints the id of one survey button.
func csatButtonID(conv ConversationID, score int) string {
	return fmt.Sprintf("%s%d:%d", csatPrefix, conv, score)
}

// parseCSATButton reads an id csatButtonID minted.
func parseCSATButton(id string) (ConversationID, int, bool) {
	rest, ok := strings.CutPrefix(id, csatPrefix)
	if !ok {
		return 0, 0, false
	}
	convText, scoreText, ok := strings.Cut(rest, ":")
	conv, err1 := ParseConversationID(convText)
	score, err2 := strconv.Atoi(scoreText)
	if !ok || err1 != nil || err2 != nil || conv <= 0 || score < CSATBad || score > CSATGood {
		return 0, 0, false
	}
	return conv, score, true
}

// csatPayload is the survey as it will be sent, fixed (and translated)
// when the conversation is resolved.
type csatPayload struct {
	Text    string        `json:"text"`
	Buttons []ReplyButton `json:"buttons"`
}

// csatWords are the catalogue keys of the scores, best first as shown.
var csatWords = map[int]string{CSATGood: "csat.good", CSATOkay: "csat.okay", CSATBad: "csat.bad"}

// offerCSAT records and enqueues the survey of a conversation just
// resolved by actor, when the team wants surveys, the customer channel can
// send buttons and the window is open. Called by act in the resolve's
// transaction.
func (b *Bridge) offerCSAT(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) error {
	team := b.team(conv.Team)
	if !team.Supervision.CSAT || !WindowOpen(conv, now) {
		return nil
	}
	if _, ok := b.channelFor(conv.Inbox).(InteractiveSender); !ok {
		return nil
	}
	agent := conv.Assignee
	if agent == "" {
		agent = actor
	}
	created, err := tx.CreateCSAT(ctx, CSAT{ConversationID: conv.ID, Team: team.Name, Agent: agent, SentAt: now})
	if err != nil || !created {
		return err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	lang := b.customerLanguage(contact, team.Name) // the survey is the customer's to read
	p := csatPayload{Text: Text(lang, "csat.question")}
	for _, score := range []int{CSATGood, CSATOkay, CSATBad} {
		p.Buttons = append(p.Buttons, ReplyButton{ID: csatButtonID(conv.ID, score), Title: Text(lang, csatWords[score]+"_button")})
	}
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendCSAT,
		Payload: mustJSON(p), CreatedAt: now})
	return err
}

// sendCSAT runs a DeliverSendCSAT delivery (called by executeCustomer).
func (b *Bridge) sendCSAT(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	sender, ok := b.channelFor(dc.conv.Inbox).(InteractiveSender)
	if !ok {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonUnsupported, Code: "no_buttons",
			Err: errors.New("the customer channel cannot send reply buttons")}
	}
	if !WindowOpen(dc.conv, b.now()) {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonOutsideWindow, Code: "window_closed",
			Err: errors.New("24-hour window closed before the survey could be sent")}
	}
	var p csatPayload
	if err := decodePayload(d, &p); err != nil {
		return outcome{}, err
	}
	id, err := sender.SendButtons(ctx, dc.conv.Inbox, dc.contact.Address, p.Text, p.Buttons)
	return outcome{externalID: id}, err
}

// csatFailed handles a survey that could not be sent: it is withdrawn (a
// survey the customer never saw is neither sent nor unanswered in the
// metrics) and the thread says why.
func (b *Bridge) csatFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, reason FailureReason, code string, now time.Time) error {
	if _, err := tx.WithdrawCSAT(ctx, d.ConversationID); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: d.ConversationID, Kind: EventDelivery, Data: string(reason), At: now}); err != nil {
		return err
	}
	lang := b.language(dc.conv.Team)
	return b.enqueueSystem(ctx, tx, d.ConversationID, "📋 "+Text(lang, "sys.csat_failed", failureWhy(lang, dc.conv.Channel, reason, code, d.Attempts)), now)
}

// csatInbound takes a customer message that belongs to a survey: a press
// of a survey button, or (within the team's comment window after an
// answer) a text that comments it. handled is false for any other message,
// which then goes through the normal path. A survey message never reopens
// the conversation and starts no response clock.
func (b *Bridge) csatInbound(ctx context.Context, tx Tx, contact Contact, m InboundMessage, sentAt, now time.Time) (handled bool, err error) {
	if m.Interactive != nil && strings.HasPrefix(m.Interactive.ID, csatPrefix) {
		return b.csatAnswer(ctx, tx, contact, m, sentAt, now)
	}
	if m.Kind != KindText || strings.TrimSpace(m.Text) == "" || !b.csatComments() {
		return false, nil
	}
	conv, err := tx.LatestConversation(ctx, contact.ID, m.Inbox)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil || conv.State != StateResolved {
		return false, err
	}
	window := b.team(conv.Team).Supervision.CSATCommentWindow
	if window <= 0 {
		return false, nil
	}
	survey, err := tx.GetCSAT(ctx, conv.ID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if survey.AnsweredAt.IsZero() || survey.Comment != "" || sentAt.Before(survey.AnsweredAt) || sentAt.Sub(survey.AnsweredAt) > window {
		return false, nil
	}
	recorded, err := tx.CommentCSAT(ctx, conv.ID, m.Text, sentAt)
	if err != nil || !recorded {
		return false, err
	}
	if err := b.storeSurveyMessage(ctx, tx, conv, m, sentAt, now); err != nil {
		return true, err
	}
	lang := b.language(conv.Team)
	return true, b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.csat_comment", truncate(m.Text, 1000)), now)
}

// csatAnswer records a survey button press. A press naming a conversation
// of another customer, or one never surveyed, is not ours to handle.
func (b *Bridge) csatAnswer(ctx context.Context, tx Tx, contact Contact, m InboundMessage, sentAt, now time.Time) (bool, error) {
	id, score, ok := parseCSATButton(m.Interactive.ID)
	if !ok {
		return false, nil
	}
	conv, err := tx.GetConversation(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if conv.ContactID != contact.ID || conv.Inbox != m.Inbox {
		return false, nil
	}
	survey, err := tx.GetCSAT(ctx, conv.ID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// Keep the press in the history even when it repeats an answer.
	if err := b.storeSurveyMessage(ctx, tx, conv, m, sentAt, now); err != nil {
		return true, err
	}
	recorded, err := tx.AnswerCSAT(ctx, conv.ID, score, sentAt)
	if err != nil || !recorded {
		return true, err // a second press changes nothing
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventCSAT, Actor: "customer", Data: strconv.Itoa(score), At: sentAt}); err != nil {
		return true, err
	}
	b.opts.Metrics.CSATAnswer(survey.Team, score, conv.Channel)
	lang := b.language(conv.Team)
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.csat", Text(lang, csatWords[score])), now); err != nil {
		return true, err
	}
	clang := b.customerLanguage(contact, conv.Team) // the thanks is the customer's to read
	thanks := Text(clang, "csat.thanks")
	if w := b.team(conv.Team).Supervision.CSATCommentWindow; w > 0 {
		thanks = Text(clang, "csat.thanks_comment", HumanDuration(w))
	}
	return true, b.sendBusinessText(ctx, tx, conv, thanks, now)
}

// storeSurveyMessage keeps a survey answer or comment with the
// conversation (so a platform retry of it is recognised) and moves the
// 24-hour window, without the post, event or reopen of a normal message.
func (b *Bridge) storeSurveyMessage(ctx context.Context, tx Tx, conv Conversation, m InboundMessage, sentAt, now time.Time) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode survey answer: %w", err)
	}
	_, inserted, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Inbound, Kind: m.Kind,
		Body: m.Text, Payload: payload, ExternalID: m.ExternalID, SentAt: sentAt, CreatedAt: now, Status: StatusPosted})
	if err != nil {
		return err
	}
	if !inserted {
		return fmt.Errorf("message %s stored concurrently: %w", m.ExternalID, ErrConflict)
	}
	if sentAt.After(conv.LastCustomerAt) {
		return tx.TouchCustomer(ctx, conv.ID, sentAt)
	}
	return nil
}

// sendBusinessText sends the customer a text from the business (not from
// an agent), as an outbound message of the conversation.
func (b *Bridge) sendBusinessText(ctx context.Context, tx Tx, conv Conversation, text string, now time.Time) error {
	id, _, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Outbound, Kind: KindText, Body: text,
		SentAt: now, CreatedAt: now, Status: StatusQueued, Payload: mustJSON(replyPayload{})})
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendReply,
		MessageID: id, Payload: mustJSON(replyPayload{}), CreatedAt: now})
	return err
}

// csatComments reports whether any team keeps survey comments, so other
// customers' texts cost no extra lookup.
func (b *Bridge) csatComments() bool {
	for _, t := range b.teams {
		if t.Supervision.CSAT && t.Supervision.CSATCommentWindow > 0 {
			return true
		}
	}
	return false
}
