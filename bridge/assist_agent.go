package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/canned"
)

// Suggestions and summaries for agents (issue 11): "Suggest reply" on the
// card, !suggest and /suggest draft a reply shown only to the agent, with
// Send, Edit and Discard; !summary, /summary, a transfer and a resolve
// summarise the conversation.
//
// Asking stores nothing but a job: the AI call happens in the assist
// lane's delivery job (runAgentAssist), outside any transaction, and
// agentAssistDone records what it produced with the deliveries that
// follow (the private draft, the summary post). A draft is stored with
// the agent it was made for; Send is a normal reply by that agent (claim,
// window and receipt rules apply) and moves the draft out of "shown" by a
// conditional update, so it is sent at most once. No AI text reaches the
// customer unless an agent pressed Send.

// draftValue is the Value of a draft's buttons ("draft:42").
func draftValue(id DraftID) string { return DraftSendPrefix + strconv.FormatInt(int64(id), 10) }

// parseDraftValue reads a draft button's Value; ok is false for others.
func parseDraftValue(v string) (DraftID, bool) {
	rest, ok := strings.CutPrefix(v, DraftSendPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return DraftID(n), true
}

// redactForProvider masks what must not leave for a provider (phone
// numbers, e-mail addresses) in a turn's text.
var redactForProvider = assist.Redact

// authorLanguageOf is the client language ctx carries for user (a Discord
// interaction's locale), "" when none: the job that answers later has no
// ctx of the event, so the payload keeps it.
func authorLanguageOf(ctx context.Context, user string) string {
	if a, ok := ctx.Value(authorLangKey{}).(authorLang); ok && a.user == user {
		return a.lang
	}
	return ""
}

// requestSuggest asks the assistant for a draft for actor (already allowed
// to act in conv's team): "!suggest", the card's "Suggest reply", a
// draft's "Try again".
func (b *Bridge) requestSuggest(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) error {
	if b.opts.Assistant == nil {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(b.language(conv.Team), "assist.off"), now)
	}
	handle := replyHandleFor(ctx, actor)
	if handle == "" && b.team(conv.Team).Workspace == WorkspaceSlack {
		// A request with a reply handle (a Discord interaction) was
		// answered "Drafting…" at once by its workspace; Slack's button
		// and "!suggest" get the same now, in the lane the draft follows
		// it in. Not Discord's typed "!suggest": without an interaction
		// a private answer there is a message in the thread, and this
		// one would only be noise.
		if err := b.tellAsked(ctx, tx, conv.ID, actor, "", authorLanguageOf(ctx, actor), Text(b.language(conv.Team), "assist.suggesting"), nil, now); err != nil {
			return err
		}
	}
	return b.enqueueAssist(ctx, tx, conv.ID, DeliverAssistSuggest,
		suggestPayload{UserID: actor, Handle: handle, Lang: authorLanguageOf(ctx, actor)}, now)
}

// requestSummary asks for a summary posted in the thread ("!summary").
func (b *Bridge) requestSummary(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) error {
	if b.opts.Assistant == nil {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(b.language(conv.Team), "assist.off"), now)
	}
	return b.enqueueAssist(ctx, tx, conv.ID, DeliverAssistSummary, summaryPayload{Reason: SummaryManual, RequestedBy: actor,
		Handle: replyHandleFor(ctx, actor), Lang: authorLanguageOf(ctx, actor)}, now)
}

// enqueueSummary asks for an automatic summary (a transfer, a resolve, a
// hand-over); nothing when no assistant is configured.
func (b *Bridge) enqueueSummary(ctx context.Context, tx Tx, conv ConversationID, reason string, now time.Time) error {
	if b.opts.Assistant == nil {
		return nil
	}
	return b.enqueueAssist(ctx, tx, conv, DeliverAssistSummary, summaryPayload{Reason: reason}, now)
}

// assistRequest is what the assistant reads of a conversation: its recent
// messages as turns (redacted), the customer's language and first name.
func (b *Bridge) assistRequest(dc deliveryContext) assist.Request {
	req := assist.Request{
		Team:          dc.conv.Team,
		Language:      CustomerLanguage(dc.contact),
		AgentLanguage: b.language(dc.conv.Team),
		CustomerName:  canned.FirstName(dc.contact.Name),
		Turns:         assistTurns(dc.recent),
	}
	for i := len(req.Turns) - 1; i >= 0; i-- {
		if req.Turns[i].Role == assist.RoleCustomer {
			req.Question = req.Turns[i].Text
			break
		}
	}
	return req
}

// assistTurns turns stored messages into the assistant's turns, oldest
// first: the customer's, the agents' and the first-line assistant's
// replies, and notes; the bridge's own posts are left out. Every text is
// redacted before it can leave for a provider.
func assistTurns(msgs []Message) []assist.Turn {
	turns := make([]assist.Turn, 0, len(msgs))
	for _, m := range msgs {
		var role assist.Role
		switch {
		case m.Direction == Inbound:
			role = assist.RoleCustomer
		case m.Direction == Outbound && m.AuthorID == assist.AgentID:
			role = assist.RoleAssistant
		case m.Direction == Outbound:
			role = assist.RoleAgent
		case m.Direction == Note:
			role = assist.RoleNote
		default:
			continue
		}
		if m.Status == StatusBlocked && m.Direction == Outbound {
			continue // never reached the customer
		}
		text := strings.TrimSpace(m.Body)
		if text == "" {
			text = "[" + string(m.Kind) + "]"
		}
		turns = append(turns, assist.Turn{Role: role, Text: redactForProvider(text), At: m.SentAt})
	}
	return turns
}

// runAgentAssist calls the assistant for a draft or a summary. It runs in
// the job, outside any transaction.
func (b *Bridge) runAgentAssist(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	req := b.assistRequest(dc)
	switch d.Kind {
	case DeliverAssistSuggest:
		draft, err := b.opts.Assistant.Suggest(ctx, req)
		if err != nil {
			b.opts.Metrics.AssistRequest("suggest", "failed", draft.Usage)
			return outcome{}, fmt.Errorf("suggest for conversation %d: %w", d.ConversationID, err)
		}
		b.opts.Metrics.AssistRequest("suggest", "ok", draft.Usage)
		return outcome{assist: mustJSON(draft)}, nil
	case DeliverAssistSummary:
		sum, err := b.opts.Assistant.Summarize(ctx, req)
		if err != nil {
			b.opts.Metrics.AssistRequest("summary", "failed", sum.Usage)
			return outcome{}, fmt.Errorf("summarise conversation %d: %w", d.ConversationID, err)
		}
		b.opts.Metrics.AssistRequest("summary", "ok", sum.Usage)
		return outcome{assist: mustJSON(sum)}, nil
	}
	return outcome{}, fmt.Errorf("not an agent assist job: %q", d.Kind)
}

// agentAssistDone records a draft (and shows it to its agent) or a
// summary (and posts it, unless it was made at a resolve).
func (b *Bridge) agentAssistDone(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	conv, err := tx.GetConversation(ctx, d.ConversationID)
	if err != nil {
		return err
	}
	if dropped, err := b.erasedMeanwhile(ctx, tx, conv, d, now); dropped || err != nil {
		return err
	}
	if d.Kind == DeliverAssistSuggest {
		var p suggestPayload
		var draft assist.Draft
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return permanentDecode(err)
		}
		if err := json.Unmarshal(out.assist, &draft); err != nil {
			return permanentDecode(err)
		}
		return b.showDraft(ctx, tx, conv, p, draft, now)
	}
	var p summaryPayload
	var sum assist.Summary
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return permanentDecode(err)
	}
	if err := json.Unmarshal(out.assist, &sum); err != nil {
		return permanentDecode(err)
	}
	lang := b.language(conv.Team)
	text := aiText(sum.Text)
	if text == "" {
		if p.Reason == SummaryManual {
			return b.tellAsked(ctx, tx, conv.ID, p.RequestedBy, p.Handle, p.Lang, Text(lang, "assist.summary_nothing"), nil, now)
		}
		return nil
	}
	if err := tx.AddSummary(ctx, ConversationSummary{ConversationID: conv.ID, Reason: p.Reason, Text: text, At: now}); err != nil {
		return err
	}
	switch p.Reason {
	case SummaryResolve:
		return nil // kept for history and the customer's next card, not posted
	case SummaryManual:
		return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "assist.summary_post", MentionToken(p.RequestedBy), text), now)
	case SummaryHandOver:
		return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "assist.summary_handover", text), now)
	}
	return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "assist.summary_transfer", text), now)
}

// erasedMeanwhile drops a draft or summary when the customer deleted a
// message after its job was queued: the job may have read the text, and
// ForgetAIText (customeredit.go) ran before this result existed. The
// agent who asked is told to ask again; an automatic summary is simply
// not made. The conversation lock (held by the caller) orders this after
// any deletion stored before.
func (b *Bridge) erasedMeanwhile(ctx context.Context, tx Tx, conv Conversation, d Delivery, now time.Time) (bool, error) {
	if b.team(conv.Team).KeepDeletedText {
		return false, nil // nothing is erased, so nothing may not be quoted
	}
	deleted, err := tx.CustomerDeletedSince(ctx, conv.ID, d.CreatedAt)
	if err != nil || !deleted {
		return false, err
	}
	lang := b.language(conv.Team)
	if d.Kind == DeliverAssistSuggest {
		var p suggestPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return true, permanentDecode(err)
		}
		retry := PrivateAction{Verb: VerbSuggest, Label: Text(lang, "assist.retry")}
		return true, b.tellAsked(ctx, tx, conv.ID, p.UserID, p.Handle, p.Lang, Text(lang, "assist.erased_retry"), []PrivateAction{retry}, now)
	}
	var p summaryPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return true, permanentDecode(err)
	}
	if p.Reason == SummaryManual {
		return true, b.tellAsked(ctx, tx, conv.ID, p.RequestedBy, p.Handle, p.Lang, Text(lang, "assist.erased_retry"), nil, now)
	}
	return true, nil
}

// showDraft stores a draft for the agent who asked and shows it to them
// privately with Send, Edit, Discard and Try again. Send and Edit are left
// out while the draft could not be sent (someone else holds the
// conversation, the 24-hour window is closed); Send checks again anyway.
func (b *Bridge) showDraft(ctx context.Context, tx Tx, conv Conversation, p suggestPayload, draft assist.Draft, now time.Time) error {
	lang := b.language(conv.Team)
	text := aiText(draft.Text)
	retry := PrivateAction{Verb: VerbSuggest, Label: Text(lang, "assist.retry")}
	if text == "" {
		return b.tellAsked(ctx, tx, conv.ID, p.UserID, p.Handle, p.Lang, Text(lang, "assist.draft_empty"), []PrivateAction{retry}, now)
	}
	id, err := tx.InsertDraft(ctx, Draft{ConversationID: conv.ID, UserID: p.UserID, Text: text, Language: draft.Language,
		Sources: draft.Sources, State: DraftShown, At: now})
	if err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventSuggested, Actor: p.UserID, Data: draftValue(id), At: now}); err != nil {
		return err
	}
	body, actions := draftMessage(lang, conv, p.UserID, id, text, draft, now)
	return b.tellAsked(ctx, tx, conv.ID, p.UserID, p.Handle, p.Lang, body, append(actions, retry), now)
}

// draftMessage is the private message showing draft id to user: the text,
// where it comes from, and the buttons that fit the conversation now.
func draftMessage(lang string, conv Conversation, user string, id DraftID, text string, draft assist.Draft, now time.Time) (string, []PrivateAction) {
	language := ""
	if draft.Language != "" {
		language = ", " + draft.Language
	}
	lines := []string{Text(lang, "assist.draft_header", language), "", text, ""}
	var cites []string
	for _, s := range draft.Sources {
		if c := s.Citation(); c != "" && !contains(cites, c) {
			cites = append(cites, c)
		}
	}
	if len(cites) > 0 {
		lines = append(lines, Text(lang, "assist.draft_sources", strings.Join(cites, "; ")))
	} else {
		lines = append(lines, Text(lang, "assist.draft_no_sources"))
	}
	value := draftValue(id)
	actions := []PrivateAction{}
	switch {
	case heldFrom(conv, user):
		lines = append(lines, Text(lang, "canned.held", assigneeMention(lang, conv.Assignee)))
	case !mayWrite(conv, user, now): // sent by a person (agentwindow.go)
		lines = append(lines, windowClosedText(lang, conv, "canned.window_closed"))
	case !WindowOpen(conv, now):
		// Only a person's own words may go now: Edit, not Send.
		lines = append(lines, Text(lang, "assist.draft_edit_only", channelName(lang, conv.Channel)))
		actions = append(actions, PrivateAction{Verb: VerbEditDraft, Label: Text(lang, "assist.edit"), Value: value})
	default:
		lines = append(lines, Text(lang, "assist.draft_press"))
		actions = append(actions,
			PrivateAction{Verb: VerbSend, Label: Text(lang, "assist.send"), Value: value, Primary: true},
			PrivateAction{Verb: VerbEditDraft, Label: Text(lang, "assist.edit"), Value: value})
	}
	return strings.Join(lines, "\n"), append(actions, PrivateAction{Verb: VerbDiscard, Label: Text(lang, "assist.discard"), Value: value})
}

// heldFrom reports whether someone else than user holds conv, so that
// user's reply would be refused. The first-line assistant holding it is
// not someone: an agent's reply takes the conversation over from it
// (assist_firstline.go), and so does a draft's Send.
func heldFrom(conv Conversation, user string) bool {
	return conv.Assignee != "" && conv.Assignee != user && conv.Assignee != assist.AgentID
}

// aiText is a model's text made safe to show in a thread: trimmed, and
// with no "{@id}" token a workspace would turn into a mention (a model can
// echo one from the conversation).
func aiText(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "{@", "{ @")
}

// tellAsked answers the agent who asked for AI work, privately, through
// the handle of their request when there is one (Discord's ephemeral
// follow-up) and in their client's language when it was known.
func (b *Bridge) tellAsked(ctx context.Context, tx Tx, conv ConversationID, user, handle, lang, text string, actions []PrivateAction, now time.Time) error {
	if user == "" {
		return nil
	}
	ctx = withReplyHandle(withAuthorLanguage(ctx, user, lang), user, handle)
	return b.enqueueTellWith(ctx, tx, conv, user, text, actions, now)
}

// agentAssistFailed tells the agent who asked that the assistant did not
// answer; an automatic summary that failed is logged and skipped. The
// customer is never affected.
func (b *Bridge) agentAssistFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, now time.Time) error {
	lang := b.language(dc.conv.Team)
	if d.Kind == DeliverAssistSuggest {
		var p suggestPayload
		if json.Unmarshal(d.Payload, &p) != nil {
			return nil
		}
		return b.tellAsked(ctx, tx, d.ConversationID, p.UserID, p.Handle, p.Lang, Text(lang, "assist.failed"),
			[]PrivateAction{{Verb: VerbSuggest, Label: Text(lang, "assist.retry")}}, now)
	}
	var p summaryPayload
	if json.Unmarshal(d.Payload, &p) != nil {
		return nil
	}
	if p.Reason != SummaryManual {
		b.log.Warn("automatic AI summary skipped: the assistant failed", "conversation", d.ConversationID, "reason", p.Reason)
		return nil
	}
	return b.tellAsked(ctx, tx, d.ConversationID, p.RequestedBy, p.Handle, p.Lang, Text(lang, "assist.summary_failed"), nil, now)
}

// loadDraft reads the draft a button's value names in conv for actor, or
// says privately why it cannot be used; ok is false then.
func (b *Bridge) loadDraft(ctx context.Context, tx Tx, conv Conversation, actor, value string, now time.Time) (Draft, bool, error) {
	lang := b.language(conv.Team)
	id, ok := parseDraftValue(value)
	if !ok {
		return Draft{}, false, b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_gone"), now)
	}
	d, err := tx.GetDraft(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && d.ConversationID != conv.ID) {
		return Draft{}, false, b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_gone"), now)
	}
	if err != nil {
		return Draft{}, false, err
	}
	if d.UserID != actor {
		return Draft{}, false, b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_not_yours", MentionToken(d.UserID)), now)
	}
	return d, true, nil
}

// sendDraft sends a draft as actor's reply in conv (locked): its text, or
// edited, the text of the form its Edit opened. Only the agent it was made
// for sends it, once: the draft leaves "shown" in this transaction, and a
// second press (a double click, a retry) finds it gone and sends nothing.
// Someone else holding the conversation, a closed window, or a newer
// conversation of the customer's leaves the draft shown and tells the
// agent why, as for a canned response.
func (b *Bridge) sendDraft(ctx context.Context, tx Tx, conv Conversation, actor, value, edited string, now time.Time) error {
	lang := b.language(conv.Team)
	d, ok, err := b.loadDraft(ctx, tx, conv, actor, value, now)
	if err != nil || !ok {
		return err
	}
	if d.State != DraftShown {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_gone"), now)
	}
	// An empty edit is a button's Send: the draft as it is (forms refuse a
	// blank text before it gets here).
	text, state, event, postKey := d.Text, DraftSent, EventSuggestionSent, "assist.sent_post"
	if edited = strings.TrimSpace(edited); edited != "" && edited != d.Text {
		text, state, event, postKey = edited, DraftEdited, EventSuggestionEdited, "assist.sent_post_edited"
	}
	switch {
	case heldFrom(conv, actor):
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "canned.held_not_sent", assigneeMention(lang, conv.Assignee)), now)
	case !mayWrite(conv, actor, now): // sent by a person (agentwindow.go)
		if err := b.enqueueTell(ctx, tx, conv.ID, actor, windowClosedText(lang, conv, "canned.window_closed"), now); err != nil {
			return err
		}
		if !conv.Channel.Rules().Templates {
			return nil
		}
		return b.offerTemplate(ctx, tx, conv, actor, now)
	case state == DraftSent && !WindowOpen(conv, now):
		// Unedited, the draft is the assistant's writing: it keeps the
		// standard window (windowAuthor); edited, it is the agent's.
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_edit_only", channelName(lang, conv.Channel)), now)
	}
	// reply would refuse it too, but only after the draft was used up.
	if newer, superseded, err := b.supersededBy(ctx, tx, conv); err != nil || superseded {
		if err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "tell.newer_thread", b.currentLink(ctx, tx, newer)), now)
	}
	moved, err := tx.MoveDraft(ctx, d.ID, DraftShown, state, now)
	if err != nil {
		return err
	}
	if !moved {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "assist.draft_gone"), now)
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: event, Actor: actor, Data: draftValue(d.ID), At: now}); err != nil {
		return err
	}
	post := Text(lang, postKey, MentionToken(actor)) + "\n" + text
	return b.reply(ctx, tx, conv, outgoing{Author: actor, Text: text, Post: post, SentAt: now, Automated: state == DraftSent}, now)
}

// discardDraft drops a draft; the adapter replaces or removes its message.
func (b *Bridge) discardDraft(ctx context.Context, tx Tx, conv Conversation, actor, value string, now time.Time) error {
	d, ok, err := b.loadDraft(ctx, tx, conv, actor, value, now)
	if err != nil || !ok {
		return err
	}
	moved, err := tx.MoveDraft(ctx, d.ID, DraftShown, DraftDiscarded, now)
	if err != nil || !moved {
		return err // already sent or discarded: nothing to do
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventSuggestionDiscarded, Actor: actor, Data: draftValue(d.ID), At: now})
}

// DraftText implements Drafts: the text of a draft still shown to userID
// in conv, to prefill the form its Edit button opens.
func (b *Bridge) DraftText(ctx context.Context, conv ConversationID, value, userID string) (string, error) {
	d, err := b.usersDraft(ctx, conv, value, userID)
	if err == nil && d.State != DraftShown {
		err = ErrNotFound
	}
	return d.Text, err
}

// DraftState implements Drafts: the state of userID's draft in conv.
func (b *Bridge) DraftState(ctx context.Context, conv ConversationID, value, userID string) (DraftState, error) {
	d, err := b.usersDraft(ctx, conv, value, userID)
	return d.State, err
}

// usersDraft reads the draft a button's value names, made for userID in
// conv; ErrNotFound for any other.
func (b *Bridge) usersDraft(ctx context.Context, conv ConversationID, value, userID string) (Draft, error) {
	id, ok := parseDraftValue(value)
	if !ok {
		return Draft{}, ErrNotFound
	}
	var d Draft
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		d, err = tx.GetDraft(ctx, id)
		if err == nil && (d.ConversationID != conv || d.UserID != userID) {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return Draft{}, err
	}
	return d, nil
}

// DraftSettled reports whether a draft's Send or Discard (verb) that left
// the draft in state is over, so that the adapter replaces or removes the
// draft's message: sent (as drafted or edited) for Send, no longer shown
// for Discard, and discarded for Send too (the customer's deletion
// discards a draft that may quote it, see ForgetAIText; its buttons could
// never work again). Otherwise the bridge refused and told the agent why,
// and the draft's message keeps its buttons, since Send may work later.
func DraftSettled(verb Verb, state DraftState) bool {
	if verb == VerbDiscard {
		return state != DraftShown
	}
	return state == DraftSent || state == DraftEdited || state == DraftDiscarded
}

// DraftSettledText is what a settled draft's message becomes (see
// DraftSettled), in lang.
func DraftSettledText(lang string, verb Verb, state DraftState) string {
	switch {
	case verb == VerbDiscard:
		return Text(lang, "assist.discarded")
	case state == DraftDiscarded:
		return Text(lang, "assist.draft_discarded")
	}
	return Text(lang, "assist.sending")
}

var _ Drafts = (*Bridge)(nil)

// lastSummaryLabel is the label of the link to a customer's earlier
// conversation with its newest summary, on one line and short.
func lastSummaryLabel(lang, label, summary string) string {
	s := strings.Join(strings.Fields(summary), " ")
	if r := []rune(s); len(r) > 280 {
		s = string(r[:279]) + "…"
	}
	return label + " · " + Text(lang, "assist.card_last_summary", s)
}
