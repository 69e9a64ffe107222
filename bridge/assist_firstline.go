package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/canned"
)

// The first-line assistant (issue 11): a team that turned it on lets it
// answer customers from the knowledge base, every exchange shown in the
// thread marked 🤖, until it hands the conversation over to people.
//
// A new conversation of such a team starts held by the assistant
// (assignee assist.AgentID, so assignment leaves it alone) with an active
// FirstLineSession. Each customer message then queues a DeliverAssistAnswer
// job on the assist lane; the job (runFirstLine) asks the assistant
// outside any transaction, and firstLineDone decides with assist.Decide,
// under the conversation's lock: an answer goes to the customer through
// reply, the path every agent reply takes (window rules, receipts, the
// customer lane's holder check); a hand-over tells the customer, ends the
// session and gives the conversation to people as usual. An agent who
// claims, takes over, transfers or simply replies ends the session too
// (assistantTakeover), and an answer still queued then is held by the
// customer lane because its author is no longer the assignee.
//
// The gate: nothing here sends AI text unless firstLineOn says the team's
// mode lets it; every other AI feature only shows text to agents.

// EventHandedOver records the end of a first-line session; Data is the
// reason (assist.HandOverReason). Stored: never rename.
const EventHandedOver = "handed_over"

// firstLineResult is what runFirstLine found, for firstLineDone.
type firstLineResult struct {
	// Skipped: the job found the conversation no longer held by the
	// assistant, or decided without asking it (Early, hours).
	Skipped bool            `json:"skipped,omitempty"`
	Signals *assist.Signals `json:"signals,omitempty"`
	Answer  *assist.Answer  `json:"answer,omitempty"`
}

// firstLineOn reports whether team's first-line assistant answers a
// customer who writes at `at`: an assistant is configured and the team's
// mode is always, or out_of_hours while its hours say it is closed.
func (b *Bridge) firstLineOn(team Team, at time.Time) bool {
	if b.opts.Assistant == nil {
		return false
	}
	switch team.FirstLine.Mode {
	case assist.ModeAlways:
		return true
	case assist.ModeOutOfHours:
		return team.Open != nil && !team.Open(at)
	}
	return false
}

// teamOpened reports whether an out_of_hours assistant must give way
// because the team opened.
func teamOpened(team Team, at time.Time) bool {
	return team.FirstLine.Mode == assist.ModeOutOfHours && team.Open != nil && team.Open(at)
}

// offReason is why a session ends because firstLineOn no longer holds:
// an out_of_hours team opened, or the first line was turned off.
func offReason(team Team, at time.Time) assist.HandOverReason {
	if teamOpened(team, at) {
		return assist.HandOverHours
	}
	return assist.HandOverOff
}

// startFirstLine gives a new conversation to the assistant.
func (b *Bridge) startFirstLine(ctx context.Context, tx Tx, conv Conversation, now time.Time) (Conversation, error) {
	conv.Assignee, conv.State = assist.AgentID, StateAssigned
	conv, err := tx.UpdateConversation(ctx, conv)
	if err != nil {
		return conv, err
	}
	if err := tx.StartSession(ctx, FirstLineSession{ConversationID: conv.ID, Team: conv.Team, State: SessionActive, StartedAt: now}); err != nil {
		return conv, err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventAssigned, Actor: assist.AgentID, Data: "first_line", At: now}); err != nil {
		return conv, err
	}
	if err := b.conversationChanged(ctx, tx, conv, crmAssigned, assist.AgentID, map[string]string{"reason": "first_line"}, now); err != nil { // crm.go
		return conv, err
	}
	lang := b.language(conv.Team)
	return conv, b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "fl.started"), now)
}

// firstLineInbound queues the assistant's answer to a customer message
// stored in conv, when the assistant holds it. A conversation the
// assistant resolved and the customer reopened is held by it again while
// the team's mode allows, else it goes to people.
func (b *Bridge) firstLineInbound(ctx context.Context, tx Tx, conv Conversation, msg MessageID, now time.Time) error {
	if conv.Assignee != assist.AgentID || conv.State == StateResolved {
		return nil
	}
	s, err := tx.Session(ctx, conv.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	team := b.team(conv.Team)
	if err == nil && s.State == SessionActive && !b.firstLineOn(team, now) {
		// The team's mode changed since the session started (the team
		// opened, or the first line was turned off and the bridge
		// restarted): the assistant answers no more. Read the
		// conversation again: the message just stored moved its window,
		// and the customer is told only inside it.
		if conv, err = tx.GetConversation(ctx, conv.ID); err != nil {
			return err
		}
		return b.handOver(ctx, tx, conv, s, offReason(team, now), now)
	}
	if err != nil || s.State != SessionActive {
		if !b.firstLineOn(team, now) || err != nil {
			conv.Assignee, conv.State = "", StatePending
			if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
				return err
			}
			return b.toPeople(ctx, tx, conv, now)
		}
		// A new session in all but its row: the answers of the last one
		// do not count against max_turns.
		s.State, s.Reason, s.EndedAt, s.Turns = SessionActive, "", time.Time{}, 0
		if err := tx.SaveSession(ctx, s); err != nil {
			return err
		}
	}
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: AssistLane(conv.ID), Kind: DeliverAssistAnswer,
		MessageID: msg, CreatedAt: now})
	return err
}

// customerText is a customer message as the assistant reads it, and
// whether it is text at all (a button's title counts; a photo does not).
func customerText(m Message) (string, bool) {
	switch m.Kind {
	case KindText, KindInteractive, KindButton:
		return m.Body, strings.TrimSpace(m.Body) != ""
	}
	return "", false
}

// answerTurns are the conversation before the question (message
// question) as the assistant reads it to answer a customer: customer,
// agent and assistant messages (never notes), phone numbers and e-mail
// addresses masked.
func answerTurns(msgs []Message, question MessageID) []assist.Turn {
	turns := make([]assist.Turn, 0, len(msgs))
	for _, m := range msgs {
		if m.ID == question {
			continue // asked as Request.Question
		}
		role := assist.RoleAgent
		switch {
		case m.Direction == Inbound:
			role = assist.RoleCustomer
		case m.Direction == Outbound && m.AuthorID == assist.AgentID:
			role = assist.RoleAssistant
		case m.Direction != Outbound:
			continue
		}
		if strings.TrimSpace(m.Body) == "" {
			continue
		}
		turns = append(turns, assist.Turn{Role: role, Text: assist.Redact(m.Body), At: m.SentAt})
	}
	return turns
}

// runFirstLine asks the assistant about one customer message (d.MessageID):
// first the signals (language, sentiment), then, unless the customer is
// upset, an answer from the knowledge base. It decides nothing: what the
// assistant said is recorded by firstLineDone, which decides under the
// conversation's lock. A provider failure fails the job for good
// (executeAssist), and firstLineFailed hands over.
func (b *Bridge) runFirstLine(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	skip := outcome{assist: mustJSON(firstLineResult{Skipped: true})}
	if dc.conv.Assignee != assist.AgentID || dc.conv.State == StateResolved {
		return skip, nil // an agent has it now: nothing to ask
	}
	team := b.team(dc.conv.Team)
	text, isText := customerText(dc.msg)
	sit := assist.Situation{Text: text, IsText: isText, Answered: dc.session.Turns}
	if _, early := assist.Early(team.FirstLine, sit); early || !b.firstLineOn(team, b.now()) {
		// A hand-over that needs no provider: firstLineDone decides it
		// (the mode may have been turned off, or the team opened, since
		// the job was queued).
		return skip, nil
	}
	question := assist.Redact(text)
	sig, err := b.opts.Assistant.Signals(ctx, question)
	b.opts.Metrics.AssistRequest("signals", assistResult(err), sig.Usage)
	if err != nil {
		return outcome{}, fmt.Errorf("signals: %w", err)
	}
	res := firstLineResult{Signals: &sig}
	if !sig.Negative {
		lang := sig.Language
		if !shipped(lang) {
			lang = b.customerLanguage(dc.contact, team.Name)
		}
		ans, err := b.opts.Assistant.Answer(ctx, assist.Request{Team: team.Name, Language: lang,
			AgentLanguage: b.language(team.Name), CustomerName: canned.FirstName(dc.contact.Name),
			Turns: answerTurns(dc.recent, dc.msg.ID), Question: question})
		b.opts.Metrics.AssistRequest("answer", assistResult(err), ans.Usage)
		if err != nil {
			return outcome{}, fmt.Errorf("answer: %w", err)
		}
		if ans.Language == "" {
			ans.Language = lang
		}
		res.Answer = &ans
	}
	return outcome{assist: mustJSON(res)}, nil
}

func assistResult(err error) string {
	if err != nil {
		return "failed"
	}
	return "ok"
}

// firstLineDone decides, under the conversation's lock, what the
// assistant's work on one customer message leads to: an answer sent, or a
// hand-over. Nothing happens when the assistant no longer holds the
// conversation (an agent took over while it thought).
func (b *Bridge) firstLineDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	var res firstLineResult
	if len(out.assist) > 0 {
		if err := json.Unmarshal(out.assist, &res); err != nil {
			return fmt.Errorf("decode first-line result: %w", err)
		}
	}
	conv, s, held, err := b.heldByAssistant(ctx, tx, d.ConversationID)
	if err != nil || !held {
		return err
	}
	team := b.team(conv.Team)
	if !b.firstLineOn(team, now) {
		// The mode is looked at again here, not only when the job was
		// queued: the team may have opened, or its first line been turned
		// off, while the assistant thought.
		return b.handOver(ctx, tx, conv, s, offReason(team, now), now)
	}
	msg, err := tx.GetMessage(ctx, d.MessageID)
	if err != nil {
		return err
	}
	text, isText := customerText(msg)
	dec := assist.Decide(team.FirstLine, assist.Situation{Text: text, IsText: isText, Answered: s.Turns,
		Signals: res.Signals, Answer: res.Answer})
	if dec.HandOver {
		return b.handOver(ctx, tx, conv, s, dec.Reason, now)
	}
	return b.sendAnswer(ctx, tx, conv, s, *res.Answer, now)
}

// firstLineFailed hands a conversation over when the provider failed: the
// agents are told why in the thread, the customer gets the usual
// hand-over text and nothing AI-written.
func (b *Bridge) firstLineFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	conv, s, held, err := b.heldByAssistant(ctx, tx, d.ConversationID)
	if err != nil || !held {
		return err
	}
	return b.handOver(ctx, tx, conv, s, assist.HandOverUnavailable, now)
}

// heldByAssistant locks conv and reports whether the assistant holds it
// with an active session.
func (b *Bridge) heldByAssistant(ctx context.Context, tx Tx, id ConversationID) (Conversation, FirstLineSession, bool, error) {
	conv, err := tx.LockConversation(ctx, id)
	if err != nil {
		return conv, FirstLineSession{}, false, err
	}
	if conv.Assignee != assist.AgentID || conv.State == StateResolved {
		return conv, FirstLineSession{}, false, nil
	}
	s, err := tx.Session(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return conv, s, false, nil
	}
	return conv, s, err == nil && s.State == SessionActive, err
}

// sendAnswer sends the assistant's answer to the customer as its reply
// and shows it in the thread marked 🤖 with its sources. The first answer
// of a session starts by saying it comes from an automated assistant and
// how to reach a person.
func (b *Bridge) sendAnswer(ctx context.Context, tx Tx, conv Conversation, s FirstLineSession, ans assist.Answer, now time.Time) error {
	if !WindowOpen(conv, now) {
		return nil // too late for free text (a job that waited a day): nothing to send
	}
	team := b.team(conv.Team)
	lang := b.language(conv.Team)
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	custLang := ans.Language
	if !shipped(custLang) {
		custLang = b.customerLanguage(contact, conv.Team)
	}
	text := strings.TrimSpace(ans.Text)
	if s.Turns == 0 {
		text = Text(custLang, "fl.disclosure", handOverHint(team.FirstLine, custLang)) + "\n\n" + text
	}
	post := text
	if cites := citations(ans); cites != "" {
		post += "\n\n_" + Text(lang, "fl.sources", cites) + "_"
	}
	if err := b.reply(ctx, tx, conv, outgoing{Author: assist.AgentID, Text: text, Post: post, SentAt: now}, now); err != nil {
		return err
	}
	s.Turns++
	return tx.SaveSession(ctx, s)
}

// citations lists the distinct passages an answer used ("file › heading").
func citations(ans assist.Answer) string {
	var out []string
	for _, p := range ans.Sources {
		c := p.Citation()
		if c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	return strings.Join(out, "; ")
}

// handOverHint is the word the first answer suggests for reaching a
// person: the team's own first word, or the default one of the language.
func handOverHint(f assist.FirstLine, lang string) string {
	if len(f.HandOverWords) > 0 {
		return f.HandOverWords[0]
	}
	switch lang {
	case "es":
		return "agente"
	case "pt":
		return "atendente"
	}
	return "agent"
}

// handOver ends the assistant's session in conv (locked) for reason:
// the customer is told (unless an agent took over, who writes
// themselves), the thread says why, and the conversation goes to people
// as any new one does, with a summary of what the assistant did.
func (b *Bridge) handOver(ctx context.Context, tx Tx, conv Conversation, s FirstLineSession, reason assist.HandOverReason, now time.Time) error {
	lang := b.language(conv.Team)
	team := b.team(conv.Team)
	if err := b.endSession(ctx, tx, conv, s, SessionHandedOver, reason, now); err != nil {
		return err
	}
	conv.Assignee, conv.State = "", StatePending
	conv, err := tx.UpdateConversation(ctx, conv)
	if err != nil {
		return err
	}
	if err := b.enqueueSystem(ctx, tx, conv.ID, "🤖 "+Text(lang, "fl.handed_over", Text(lang, "fl.reason."+string(reason))), now); err != nil {
		return err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	key := "fl.to_person"
	if team.Open != nil && !team.Open(now) {
		key = "fl.to_person_closed"
	}
	if err := b.tellCustomer(ctx, tx, conv, Text(b.customerLanguage(contact, conv.Team), key), now); err != nil {
		return err
	}
	if err := b.toPeople(ctx, tx, conv, now); err != nil {
		return err
	}
	if reason == assist.HandOverUnavailable || b.opts.Assistant == nil {
		return nil // the provider that just failed (or none) would not summarise either
	}
	return b.enqueueAssist(ctx, tx, conv.ID, DeliverAssistSummary, summaryPayload{Reason: SummaryHandOver}, now)
}

// toPeople assigns a pending conversation as a new one would be, or
// queues it, and refreshes the card.
func (b *Bridge) toPeople(ctx context.Context, tx Tx, conv Conversation, now time.Time) error {
	lang := b.language(conv.Team)
	next, assigned, err := b.assign(ctx, tx, conv, now)
	if err != nil {
		return err
	}
	if assigned {
		err = b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.assigned", MentionToken(next.Assignee)), now)
	} else {
		err = tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventQueued, Data: conv.Team, At: now})
	}
	if err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv.ID, now)
}

// endSession records the end of s, its event and its metric.
func (b *Bridge) endSession(ctx context.Context, tx Tx, conv Conversation, s FirstLineSession, state SessionState, reason assist.HandOverReason, now time.Time) error {
	s.State, s.Reason, s.EndedAt = state, reason, now
	if err := tx.SaveSession(ctx, s); err != nil {
		return err
	}
	if state == SessionResolved {
		b.opts.Metrics.AssistantResolved(conv.Team)
		return nil
	}
	b.opts.Metrics.HandOver(conv.Team, reason)
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventHandedOver, Actor: assist.AgentID, Data: string(reason), At: now})
}

// tellCustomer sends the customer a text of the bridge's own (from the
// catalogue, never AI-written) inside the window, and shows it in the
// thread.
func (b *Bridge) tellCustomer(ctx context.Context, tx Tx, conv Conversation, text string, now time.Time) error {
	if !WindowOpen(conv, now) {
		return nil
	}
	return b.sendOwnText(ctx, tx, conv, text, "fl.customer_told", now.UnixMilli(), now)
}

// releaseFromAssistant ends the assistant's hold on conv (locked) because
// an agent acted on it (claimed, took over, transferred, replied): the
// session ends with reason agent and the conversation is left pending and
// unassigned for the caller to give to someone.
func (b *Bridge) releaseFromAssistant(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) (Conversation, error) {
	s, err := tx.Session(ctx, conv.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return conv, err
	}
	if err == nil && s.State == SessionActive {
		if err := b.endSession(ctx, tx, conv, s, SessionHandedOver, assist.HandOverAgent, now); err != nil {
			return conv, err
		}
		if err := b.enqueueAssist(ctx, tx, conv.ID, DeliverAssistSummary, summaryPayload{Reason: SummaryHandOver}, now); err != nil {
			return conv, err
		}
	}
	conv.Assignee, conv.State = "", StatePending
	if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
		return conv, err
	}
	return conv, b.enqueueSystem(ctx, tx, conv.ID, Text(b.language(conv.Team), "fl.taken_over", MentionToken(actor)), now)
}

// assigneeMention names the holder of a conversation in a text for
// agents: a mention of an agent, or the assistant's name (it is no
// workspace user, so a mention of it would show as a raw token).
func assigneeMention(lang, id string) string {
	if id == assist.AgentID {
		return Text(lang, "fl.name")
	}
	return MentionToken(id)
}

// assistantHolds reports whether the assistant holds conv, so that an
// agent who acts on it takes it over (assistantTakeover).
func assistantHolds(conv Conversation) bool {
	return conv.Assignee == assist.AgentID && conv.State != StateResolved
}

// assistantTakeover gives conv (locked, held by the assistant) to actor,
// any agent of its team: a takeover from the assistant needs no
// supervisor.
func (b *Bridge) assistantTakeover(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) (Conversation, error) {
	conv, err := b.releaseFromAssistant(ctx, tx, conv, actor, now)
	if err != nil {
		return conv, err
	}
	conv.Assignee, conv.State = actor, StateAssigned
	if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
		return conv, err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventTakenOver, Actor: actor, Data: assist.AgentID, At: now}); err != nil {
		return conv, err
	}
	if err := b.markReadOn(ctx, tx, conv, readOnClaim, now); err != nil {
		return conv, err
	}
	return conv, b.enqueueCard(ctx, tx, conv.ID, now)
}

// firstLineResolved counts a conversation resolved while the assistant
// held it as the assistant's.
func (b *Bridge) firstLineResolved(ctx context.Context, tx Tx, conv Conversation, now time.Time) error {
	s, err := tx.Session(ctx, conv.ID)
	if errors.Is(err, ErrNotFound) || (err == nil && s.State != SessionActive) {
		return nil
	}
	if err != nil {
		return err
	}
	return b.endSession(ctx, tx, conv, s, SessionResolved, "", now)
}

// firstLineAnswerNewest queues the assistant's answer to the customer's
// newest message in conv: the conversation was given to the assistant
// after its messages arrived (LLM routing decided its team late).
func (b *Bridge) firstLineAnswerNewest(ctx context.Context, tx Tx, conv Conversation, now time.Time) error {
	recent, _, err := tx.RecentMessages(ctx, conv.ID, assistRecentMessages)
	if err != nil {
		return err
	}
	for i := len(recent) - 1; i >= 0; i-- {
		if recent[i].Direction == Inbound {
			return b.firstLineInbound(ctx, tx, conv, recent[i].ID, now)
		}
	}
	return nil
}
