package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// Sending approved WhatsApp templates from a thread. Every way of sending
// one (the text command "!template name value 1 | value 2", a Slack modal
// and Discord's /template, which both become that command) goes through
// templateCommand, under the same rules as a reply: only the team's
// agents, never while someone else holds the conversation, and the first
// send claims it. Unlike a reply it is allowed outside the 24-hour window.
//
// A send is one outbound message of KindTemplate (its body the rendered
// template, its payload what was sent) with two deliveries: the send in
// the customer lane, ordered like replies, and a post in the thread
// showing the rendered template, on which the receipts are then marked.
// The marks go on that post rather than on the agent's "!template …"
// message because the post reads as what the customer got, and because
// sends from a modal, a slash command or a started conversation have no
// message of the agent to mark: one place for every way of sending.

// EventTemplate records a template queued for sending (Data: name@language).
// Stored: never rename.
const EventTemplate = "template_sent"

// templatePayload is a template message's Payload: what is sent.
type templatePayload struct {
	Name     string            `json:"name"`
	Language string            `json:"language"`
	Values   []string          `json:"values,omitempty"`
	Send     templates.Message `json:"send"`
}

var _ Picker = (*Bridge)(nil)

// TemplateChoices implements Picker: the approved templates the person
// may send in the conversation (or, for a channel outside any thread, in
// a conversation the channel's team starts), the customer's language
// first; or why they may not send one.
func (b *Bridge) TemplateChoices(ctx context.Context, q PickerQuery) (TemplateChoices, error) {
	var out TemplateChoices
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		out, err = b.templateChoices(ctx, tx, q)
		return err
	})
	return out, err
}

func (b *Bridge) templateChoices(ctx context.Context, tx Tx, q PickerQuery) (TemplateChoices, error) {
	p := Person{ID: q.UserID, Roles: q.Roles, Guest: q.Guest}
	conv, thread, found, err := b.pickerConversation(ctx, tx, q)
	if err != nil {
		return TemplateChoices{}, err
	}
	if !found {
		lang := b.commandLanguage(q.ChannelID)
		team, ok := b.homeTeam(q.Workspace, q.ChannelID)
		if !ok || q.ThreadKey != "" {
			return TemplateChoices{Refusal: Text(lang, "tpl.not_thread")}, nil
		}
		if refusal, err := b.standingRefusal(ctx, tx, team, p); err != nil || refusal != "" {
			return TemplateChoices{Refusal: refusal}, err
		}
		account := b.teamAccount(team.Name)
		if account == "" {
			return TemplateChoices{Refusal: Text(lang, "tpl.no_account", team.Name)}, nil
		}
		all, err := tx.Templates(ctx, account)
		if err != nil {
			return TemplateChoices{}, err
		}
		return TemplateChoices{Templates: searchTemplates(approvedFor(all, ""), q.Search)}, nil
	}
	lang := b.language(conv.Team)
	if !thread.Current {
		return TemplateChoices{Conversation: conv.ID, Refusal: Text(lang, "tpl.moved", conv.Team, b.currentLink(ctx, tx, conv.ID))}, nil
	}
	if refusal, err := b.standingRefusal(ctx, tx, b.team(conv.Team), p); err != nil || refusal != "" {
		return TemplateChoices{Conversation: conv.ID, Refusal: refusal}, err
	}
	if refusal, err := b.sendRefusal(ctx, tx, conv, q.UserID); err != nil || refusal != "" {
		return TemplateChoices{Conversation: conv.ID, Refusal: refusal}, err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return TemplateChoices{}, err
	}
	customer := CustomerLanguage(contact)
	account := b.inboxAccount(conv.Inbox)
	if account == "" {
		return TemplateChoices{Conversation: conv.ID, Language: customer, Refusal: Text(lang, "tpl.no_account", b.inboxName(conv.Inbox))}, nil
	}
	all, err := tx.Templates(ctx, account)
	if err != nil {
		return TemplateChoices{}, err
	}
	return TemplateChoices{Conversation: conv.ID, Language: customer, Templates: searchTemplates(approvedFor(all, customer), q.Search)}, nil
}

// pickerConversation finds the conversation a picker asks about: the
// thread's when the query names one, else the conversation it names.
// found is false for a query outside any conversation.
func (b *Bridge) pickerConversation(ctx context.Context, tx Tx, q PickerQuery) (Conversation, Thread, bool, error) {
	var (
		th  Thread
		err error
	)
	switch {
	case q.ThreadKey != "":
		th, err = tx.ThreadByKey(ctx, q.Workspace, q.ChannelID, q.ThreadKey)
	case q.ConversationID != 0:
		th, err = tx.CurrentThread(ctx, q.ConversationID)
	default:
		return Conversation{}, Thread{}, false, nil
	}
	if errors.Is(err, ErrNotFound) {
		return Conversation{}, Thread{}, false, nil
	}
	if err != nil {
		return Conversation{}, Thread{}, false, err
	}
	conv, err := tx.GetConversation(ctx, th.ConversationID)
	if errors.Is(err, ErrNotFound) {
		return Conversation{}, Thread{}, false, nil
	}
	return conv, th, err == nil, err
}

// standingRefusal is why p may not act in team ("" when they may), in
// the team's language.
func (b *Bridge) standingRefusal(ctx context.Context, tx Tx, team Team, p Person) (string, error) {
	who, err := b.standingIn(ctx, tx, team, p)
	if err != nil || who.mayAct() {
		return "", err
	}
	key := "tpl.not_member"
	switch {
	case who == StandingUnknown:
		key = "tell.membership_unknown"
	case p.Guest:
		key = "tell.guest"
	}
	return Text(b.language(team.Name), key, team.Name), nil
}

// sendRefusal is why author may not send to the customer of conv now,
// whatever the window ("" when they may): someone else holds it, or it
// was resolved and the customer has a newer conversation. Its callers
// all send templates, which only WhatsApp has: on another channel they
// are refused before anything is attempted (issue 12).
func (b *Bridge) sendRefusal(ctx context.Context, tx Tx, conv Conversation, author string) (string, error) {
	lang := b.language(conv.Team)
	if !conv.Channel.Rules().Templates {
		return Text(lang, "ch.no_templates", channelName(lang, conv.Channel)), nil
	}
	if conv.Assignee != "" && conv.Assignee != author && !assistantHolds(conv) { // sending takes over from the assistant
		return Text(lang, "tpl.held", assigneeMention(lang, conv.Assignee)), nil
	}
	if conv.State != StateResolved {
		return "", nil
	}
	latest, err := tx.LatestConversation(ctx, conv.ContactID, conv.Inbox)
	if err != nil || latest.ID == conv.ID {
		return "", err
	}
	return Text(lang, "tpl.newer_thread", b.currentLink(ctx, tx, latest.ID)), nil
}

// templateCommand sends a template from a thread:
// "!template name[@language] value 1 | value 2 | …". Anything that would
// make Meta refuse it, or send the wrong one, is answered privately
// before anything is sent.
func (b *Bridge) templateCommand(ctx context.Context, tx Tx, conv Conversation, msg AgentMessage, args string, now time.Time) error {
	lang := b.language(conv.Team)
	tell := func(text string) error { return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, text, now) }
	if refusal, err := b.sendRefusal(ctx, tx, conv, msg.AuthorID); err != nil || refusal != "" {
		if err != nil {
			return err
		}
		return tell(refusal)
	}
	account := b.inboxAccount(conv.Inbox)
	if account == "" {
		return tell(Text(lang, "tpl.no_account", b.inboxName(conv.Inbox)))
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	customer := CustomerLanguage(contact)
	all, err := tx.Templates(ctx, account)
	if err != nil {
		return err
	}
	spec, values := templates.ParseArgs(args)
	name, asked, _ := strings.Cut(spec, "@")
	if name == "" {
		return tell(Text(lang, "tpl.usage") + "\n" + templateLines(lang, approvedFor(all, customer), 10))
	}
	pick := pickTemplate(all, name, asked, customer)
	if !pick.Found {
		return tell(b.pickRefusal(lang, all, pick, name, asked, customer))
	}
	tpl := pick.Template
	if !tpl.Status.Usable() {
		return tell(b.notApproved(lang, all, tpl))
	}
	if problem := templateValueProblem(lang, tpl, values); problem != "" {
		return tell(problem)
	}
	if assistantHolds(conv) {
		// An agent writing to the customer takes over from the assistant,
		// as a reply does.
		if conv, err = b.assistantTakeover(ctx, tx, conv, msg.AuthorID, now); err != nil { // assist_firstline.go
			return err
		}
	}
	if err := b.queueTemplate(ctx, tx, conv, msg.AuthorID, tpl, values, msg.MessageKey, now); err != nil {
		return err
	}
	return b.recordSend(ctx, tx, conv, msg.AuthorID, now)
}

// pickRefusal explains a name or language pickTemplate could not settle.
func (b *Bridge) pickRefusal(lang string, all []templates.Template, pick templatePick, name, asked, customer string) string {
	switch {
	case len(pick.Languages) == 0:
		text := Text(lang, "tpl.unknown", name)
		if close := closeNames(all, name); len(close) > 0 {
			return text + " " + Text(lang, "tpl.did_you_mean", strings.Join(close, ", "))
		}
		return text + "\n" + templateLines(lang, approvedFor(all, customer), 10)
	case asked != "":
		return Text(lang, "tpl.no_language", name, asked, strings.Join(pick.Languages, ", "), name, pick.Languages[0])
	}
	known := customer
	if known == "" {
		known = "?"
	}
	return Text(lang, "tpl.which_language", name, known, strings.Join(pick.Languages, ", "), name, pick.Languages[0])
}

// notApproved explains why a template that exists cannot be sent, and
// offers its approved languages if any.
func (b *Bridge) notApproved(lang string, all []templates.Template, t templates.Template) string {
	why := ""
	if t.Reason != "" && !strings.EqualFold(t.Reason, "NONE") {
		why = " (" + t.Reason + ")"
	}
	text := Text(lang, "tpl.not_approved", t.Name, t.Language, statusWord(lang, t.Status), why)
	var others []string
	for _, o := range all {
		if strings.EqualFold(o.Name, t.Name) && o.Language != t.Language && o.Status.Usable() {
			others = append(others, t.Name+"@"+o.Language)
		}
	}
	if len(others) > 0 {
		text += " " + Text(lang, "tpl.approved_elsewhere", strings.Join(others, ", "))
	}
	return text
}

// queueTemplate stores an agent's template send in conv (an outbound
// message whose body is the rendered template) and enqueues its delivery
// in the customer lane; it is allowed outside the 24-hour window. author
// is the agent; workspaceKey is the thread message that asked for it
// ("" for a modal or a started conversation). The caller has checked the
// values (templateValueProblem) and who may send; queueTemplate does not
// claim the conversation (templateCommand's recordSend does).
func (b *Bridge) queueTemplate(ctx context.Context, tx Tx, conv Conversation, author string, tpl templates.Template, values []string, workspaceKey string, now time.Time) error {
	send, err := templates.Build(tpl, values)
	if err != nil {
		return fmt.Errorf("queue template %s@%s for conversation %d: %w", tpl.Name, tpl.Language, conv.ID, err)
	}
	body, err := templates.Render(tpl, values)
	if err != nil {
		return fmt.Errorf("render template %s@%s: %w", tpl.Name, tpl.Language, err)
	}
	if workspaceKey != "" {
		// The agent's "!template …" message, kept (as a note nobody is
		// shown) so that a replay of it, e.g. a Discord catch-up fetching
		// the thread again, is recognised and sends nothing twice.
		if _, _, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Note, Kind: KindText,
			Body: "!template " + tpl.Name + "@" + tpl.Language, WorkspaceKey: workspaceKey, AuthorID: author,
			SentAt: now, CreatedAt: now, Status: StatusPosted}); err != nil {
			return err
		}
	}
	id, _, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Outbound, Kind: KindTemplate, Body: body,
		AuthorID: author, SentAt: now, CreatedAt: now, Status: StatusQueued,
		Payload: mustJSON(templatePayload{Name: tpl.Name, Language: tpl.Language, Values: values, Send: send})})
	if err != nil {
		return err
	}
	var notBefore time.Time
	if b.opts.ReplyOrderWindow > 0 {
		notBefore = now.Add(b.opts.ReplyOrderWindow) // ordered with replies, as a reply would be
	}
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendTemplate,
		MessageID: id, SortKey: now.UnixMilli(), NotBefore: notBefore, CreatedAt: now}); err != nil {
		return err
	}
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverPostTemplate,
		MessageID: id, CreatedAt: now}); err != nil {
		return err
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventTemplate, Actor: author, Data: tpl.Name + "@" + tpl.Language, At: now})
}

// recordSend is what an agent's send (a reply, a template) does to the
// conversation: the first one claims it for its author when the team
// auto-claims, and is its first response. The write is conditional on
// the version read at the start of the transaction: a claim or takeover
// committed since makes it find no row (ErrConflict), and b.inTx decides
// again from the new holder, so the send is held instead. A plain read
// would not see such a claim under READ COMMITTED.
func (b *Bridge) recordSend(ctx context.Context, tx Tx, conv Conversation, author string, now time.Time) error {
	changed := false
	if conv.Assignee == "" && b.opts.AutoClaimOnReply && conv.State != StateResolved {
		conv.Assignee, conv.State = author, StateAssigned
		changed = true
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventClaimed, Actor: author, Data: "auto", At: now}); err != nil {
			return err
		}
	}
	if conv.FirstResponseAt.IsZero() {
		conv.FirstResponseAt = now
		changed = true
		b.opts.Metrics.FirstResponse(conv.Team, conv.Channel, now.Sub(conv.OpenedAt))
	}
	if _, err := tx.UpdateConversation(ctx, conv); err != nil {
		return err
	}
	if changed && conv.Assignee == author {
		if err := b.conversationChanged(ctx, tx, conv, crmAssigned, author, map[string]string{"reason": "auto"}, now); err != nil { // crm.go
			return err
		}
	}
	if changed {
		if err := b.enqueueCard(ctx, tx, conv.ID, now); err != nil {
			return err
		}
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventReplied, Actor: author, At: now})
}

// offerTemplate answers an agent whose free-text reply was refused
// because the window is closed, with a button opening the workspace's
// template picker filtered to the customer's language.
func (b *Bridge) offerTemplate(ctx context.Context, tx Tx, conv Conversation, author string, now time.Time) error {
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	lang := b.language(conv.Team)
	customer := truncate(CustomerLanguage(contact), 60)
	return b.enqueueTellWith(ctx, tx, conv.ID, author, Text(lang, "tpl.window_closed"),
		[]PrivateAction{{Verb: VerbTemplate, Label: Text(lang, "tpl.choose_button"), Value: customer, Primary: true}}, now)
}

// templateHelp answers the "Send template" button of a workspace that
// has no picker of its own: how to write the command, and what there is
// to send (in the customer's language first, or the one the button named).
func (b *Bridge) templateHelp(ctx context.Context, tx Tx, conv Conversation, actor, filter string, now time.Time) error {
	lang := b.language(conv.Team)
	tell := func(text string) error { return b.enqueueTell(ctx, tx, conv.ID, actor, text, now) }
	if refusal, err := b.sendRefusal(ctx, tx, conv, actor); err != nil || refusal != "" {
		if err != nil {
			return err
		}
		return tell(refusal)
	}
	account := b.inboxAccount(conv.Inbox)
	if account == "" {
		return tell(Text(lang, "tpl.no_account", b.inboxName(conv.Inbox)))
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	customer := CustomerLanguage(contact)
	if filter != "" {
		customer = filter
	}
	all, err := tx.Templates(ctx, account)
	if err != nil {
		return err
	}
	return tell(Text(lang, "tpl.usage") + "\n" + templateLines(lang, approvedFor(all, customer), 15))
}

// templatePostText is how a template send shows in the thread.
func (b *Bridge) templatePostText(lang string, msg Message, p templatePayload) string {
	who := ""
	if msg.AuthorID != "" {
		who = " " + Text(lang, "tpl.post_by", MentionToken(msg.AuthorID))
	}
	return Text(lang, "tpl.post", p.Name, p.Language, who) + "\n" + msg.Body
}

// inboxAccount is the WhatsApp Business Account whose templates inbox sends.
func (b *Bridge) inboxAccount(inbox InboxID) string { return b.inboxes[inbox].Account }

func (b *Bridge) inboxName(inbox InboxID) string {
	if in, ok := b.inboxes[inbox]; ok && in.Name != "" {
		return in.Name
	}
	return string(inbox)
}

// teamAccount is the account a team's new conversations send from: that
// of the number the team starts conversations from (inboxOfTeam, start.go).
func (b *Bridge) teamAccount(team string) string {
	in, _ := b.inboxOfTeam(team)
	return in.Account
}

// homeTeam is the team at home in a workspace channel.
func (b *Bridge) homeTeam(ws WorkspaceKind, channel string) (Team, bool) {
	for _, name := range strings.Split(b.teamNames(), ", ") {
		if t := b.teams[name]; t.Workspace == ws && t.owns(channel) {
			return t, true
		}
	}
	return Team{}, false
}

// templatePosted records the thread post of a template send, where its
// receipts are marked: a status the send reached before the post existed
// (sent, delivered, even failed) is marked now.
func (b *Bridge) templatePosted(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	// The send (customer lane) and receipts update the same message
	// concurrently: take turns on its conversation, then read it.
	if _, err := tx.LockConversation(ctx, d.ConversationID); err != nil {
		return err
	}
	msg, err := tx.GetMessage(ctx, d.MessageID)
	if err != nil {
		return err
	}
	msg.WorkspaceKey = out.key
	if err := tx.UpdateMessage(ctx, msg); err != nil {
		return err
	}
	return b.enqueueMark(ctx, tx, msg, "", markFor(msg.Status), now)
}
