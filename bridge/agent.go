package bridge

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// HandleAgentMessage decides what a person's message in a conversation
// thread means: a text command, a note, a reply to send, or a reply that
// must not be sent (someone else holds the conversation, the window is
// closed). It stores the outcome and its deliveries in one transaction.
func (b *Bridge) HandleAgentMessage(ctx context.Context, msg AgentMessage) error {
	if msg.ThreadKey == "" {
		return nil // not in a thread: not a conversation
	}
	ctx = withReplyHandle(ctx, msg.AuthorID, msg.ReplyHandle)
	ctx = withAuthorLanguage(ctx, msg.AuthorID, msg.Lang) // author_language.go
	if isCannedCommand(msg.Text) || b.mayShowAgentName(msg) {
		ctx = b.withAgentName(ctx, msg.Workspace, msg.AuthorID)
	}
	return b.inTx(ctx, func(tx Tx) error {
		if msg.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(msg.Workspace), msg.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		thread, err := tx.ThreadByKey(ctx, msg.Workspace, msg.ChannelID, msg.ThreadKey)
		if errors.Is(err, ErrNotFound) {
			if b.isTeamChannel(msg.Workspace, msg.ChannelID) && !msg.ThreadAt.IsZero() && b.now().Sub(msg.ThreadAt) < time.Minute {
				// Possibly our card, posted but not yet recorded: let the
				// platform deliver the reply again rather than lose it.
				return ErrThreadNotReady
			}
			return nil // a thread that is not one of ours
		}
		if err != nil {
			return err
		}
		// Locked: a claim or takeover racing this message waits for our
		// commit rather than slipping in between our read and our write.
		conv, err := tx.LockConversation(ctx, thread.ConversationID)
		if err != nil {
			return err
		}
		if msg.MessageKey != "" {
			// Already stored (as a reply or a note): a replay that outlived
			// its processed-event id (pruned after delivery.retention, or a
			// Discord catch-up that fetches a thread from its start).
			if _, err := tx.MessageByWorkspaceKey(ctx, conv.ID, msg.MessageKey); err == nil {
				return nil
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		return b.agentMessage(ctx, tx, conv, thread, msg)
	})
}

func (b *Bridge) agentMessage(ctx context.Context, tx Tx, conv Conversation, thread Thread, msg AgentMessage) error {
	now := b.now()
	lang := b.language(conv.Team)
	text := strings.TrimSpace(msg.Text)
	if msg.MessageKey == "" && msg.QuotedKey != "" {
		return b.quotedReply(ctx, tx, conv, thread, msg) // agentquote.go: Slack's "Reply to this message"
	}

	if !thread.Current {
		// The conversation moved to another team's thread.
		if err := b.storeNote(ctx, tx, conv, msg, text, StatusBlocked, now); err != nil {
			return err
		}
		return b.enqueueTellIn(ctx, tx, conv.ID, thread.ID, msg.AuthorID, Text(lang, "tell.moved", conv.Team, b.currentLink(ctx, tx, conv.ID)), now)
	}
	team := b.team(conv.Team)
	who, err := b.standingIn(ctx, tx, team, msg.person())
	if err != nil {
		return err
	}
	if verb, args, ok := textCommand(text); ok {
		if !who.mayAct() {
			return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, refusalKey(who, msg.person()), team.Name), now)
		}
		if isCRMCommand(verb) {
			return b.crmCommand(ctx, tx, conv, who, msg.person(), verb, args, now) // crm_commands.go
		}
		switch verb {
		case "transfer":
			to, reason, ok := b.parseTransfer(args, msg.Mentions)
			if !ok {
				return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, "tell.transfer_usage", b.teamNames()), now)
			}
			return b.transfer(ctx, tx, conv, msg.AuthorID, to, reason, now)
		case "takeover":
			return b.takeover(ctx, tx, conv, msg.AuthorID, now)
		case "canned":
			return b.previewCanned(ctx, tx, conv, msg.AuthorID, args, now)
		case "template":
			return b.templateCommand(ctx, tx, conv, msg, args, now)
		case "suggest":
			return b.requestSuggest(ctx, tx, conv, msg.AuthorID, now) // assist_agent.go
		case "summary":
			return b.requestSummary(ctx, tx, conv, msg.AuthorID, now) // assist_agent.go
		}
		return b.act(ctx, tx, conv, Verb(verb), msg.AuthorID, now)
	}
	if note, body := b.isNote(text); note {
		// Attachments of a note stay in the thread too: nothing is sent.
		return b.storeNote(ctx, tx, conv, msg, body, StatusPosted, now)
	}
	if team.NoteByDefault {
		reply, body := b.isReply(text)
		if !reply {
			return b.storeNote(ctx, tx, conv, msg, text, StatusPosted, now)
		}
		// "reply: note: …" is still a note: the note prefix wins.
		if note, noteBody := b.isNote(body); note {
			return b.storeNote(ctx, tx, conv, msg, noteBody, StatusPosted, now)
		}
		text = body
	}
	if !who.mayAct() {
		if err := b.storeNote(ctx, tx, conv, msg, text, StatusBlocked, now); err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, refusalKey(who, msg.person()), team.Name), now)
	}
	quote, err := b.quotedWAMID(ctx, tx, conv.ID, msg.QuotedKey) // agentquote.go
	if err != nil {
		return err
	}
	return b.reply(ctx, tx, conv, outgoing{Author: msg.AuthorID, Text: text, Files: msg.Files, Key: msg.MessageKey, SentAt: msg.SentAt, Quote: quote}, now)
}

// outgoing is an agent's reply on its way to the customer: typed in the
// thread, or chosen from a preview (a canned response). Either way it goes
// through reply, so claim rules, window rules and receipts are the same.
type outgoing struct {
	Author string
	Text   string
	Files  []AgentFile
	// Key is the thread message that carries the reply (its receipts show
	// on it); "" when the reply has no message of its own and the bridge
	// posts Post in the thread instead, as what was sent.
	Key string
	// Post is that post's text (the reply's text included), for a reply
	// without a message of its own.
	Post   string
	SentAt time.Time
	// Quote is the wamid of the message the reply answers (WhatsApp's
	// context.message_id), "" for none; its first part carries it.
	Quote string
	// Corrects is the sent reply this one corrects (agentedit.go).
	Corrects MessageID
	// Automated: the text is not the author's own writing (an AI draft
	// sent unedited), so it keeps the standard window (windowAuthor).
	Automated bool
}

// blockedNote keeps a refused reply in the history when it has a message
// in the thread, marked as a note; a reply without one leaves nothing.
func (b *Bridge) blockedNote(ctx context.Context, tx Tx, conv Conversation, o outgoing, now time.Time) error {
	if o.Key == "" {
		return nil
	}
	return b.storeNote(ctx, tx, conv, AgentMessage{MessageKey: o.Key, AuthorID: o.Author, Files: o.Files}, o.Text, StatusBlocked, now)
}

// reply decides an agent's reply in conv (already locked, the author
// allowed to act in its team): held by someone else or superseded by a
// newer conversation, it is refused and the author told why; outside the
// 24-hour window it is stored blocked and the thread told; otherwise it is
// stored and its delivery enqueued in the customer lane.
func (b *Bridge) reply(ctx context.Context, tx Tx, conv Conversation, o outgoing, now time.Time) error {
	lang := b.language(conv.Team)
	text := o.Text
	if conv.Assignee == assist.AgentID && o.Author != assist.AgentID && conv.State != StateResolved {
		// An agent writing to the customer takes over from the assistant.
		var err error
		if conv, err = b.assistantTakeover(ctx, tx, conv, o.Author, now); err != nil { // assist_firstline.go
			return err
		}
	}
	if conv.Assignee != "" && conv.Assignee != o.Author {
		if err := b.blockedNote(ctx, tx, conv, o, now); err != nil {
			return err
		}
		key := "tell.held"
		if o.Key == "" {
			key = "canned.held_not_sent" // nothing was kept as a note
		}
		return b.enqueueTell(ctx, tx, conv.ID, o.Author, Text(lang, key, assigneeMention(lang, conv.Assignee)), now)
	}
	if contact, err := tx.GetContact(ctx, conv.ContactID); err != nil {
		return err
	} else if erasedContact(contact) {
		// Erased (storage/people_erase.go): the address names nobody, and
		// a send would fail with a platform error nobody understands.
		if err := b.blockedNote(ctx, tx, conv, o, now); err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, o.Author, Text(lang, "crm.reply_erased"), now)
	}
	if newer, superseded, err := b.supersededBy(ctx, tx, conv); err != nil || superseded {
		if err != nil {
			return err
		}
		if err := b.blockedNote(ctx, tx, conv, o, now); err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, o.Author, Text(lang, "tell.newer_thread", b.currentLink(ctx, tx, newer)), now)
	}

	// A reply. Store one outbound message per part (text, each file) so a
	// retry of one part never resends another.
	parts := make([]replyPayload, 0, 1+len(o.Files))
	if text != "" {
		parts = append(parts, replyPayload{Posted: o.Key == "" && o.Post != "", Corrects: o.Corrects, Automated: o.Automated})
	}
	for i := range o.Files {
		parts = append(parts, replyPayload{File: &o.Files[i]})
	}
	if len(parts) == 0 {
		return nil
	}
	parts[0].AgentLine = b.agentLine(ctx, b.team(conv.Team), o.Author)
	parts[0].Quote = o.Quote
	// A person's reply: the channel's human-agent allowance counts
	// (agentwindow.go).
	open := mayWrite(conv, windowAuthor(o.Author, o.Automated), now)
	refusedFor, refusedCode := windowFailureFor(conv, o.Automated)
	// Replies are ordered in the customer lane by the platform's timestamp:
	// a retried older reply still waiting in the lane goes before a newer
	// one. One already sent cannot be recalled, so ReplyOrderWindow holds
	// each reply to give a late older one time to slot in.
	sortKey := o.SentAt.UnixMilli()
	if o.SentAt.IsZero() || sortKey <= 0 {
		sortKey = now.UnixMilli()
	}
	var notBefore time.Time // zero: due at once, whatever clock the bridge runs on
	if b.opts.ReplyOrderWindow > 0 {
		notBefore = now.Add(b.opts.ReplyOrderWindow)
	}
	if open && WindowOpen(conv, now) {
		// Blue ticks and typing, ahead of the reply in its lane; never
		// holds it back (readreceipts.go).
		if err := b.markReadOn(ctx, tx, conv, readOnReply, now); err != nil {
			return err
		}
	}
	for _, part := range parts {
		m := Message{ConversationID: conv.ID, Direction: Outbound, Kind: KindText, Body: text, WorkspaceKey: o.Key,
			AuthorID: o.Author, SentAt: now, CreatedAt: now, Status: StatusQueued, Payload: mustJSON(part)}
		if part.File != nil {
			m.Kind, m.Body = KindDocument, ""
		}
		if !open {
			m.Status, m.Failure = StatusBlocked, refusedFor
		}
		id, _, err := tx.InsertMessage(ctx, m)
		if err != nil {
			return err
		}
		if !open {
			continue
		}
		if part.Posted {
			// Posted first in the workspace lane, so the marks the send
			// and its receipts enqueue there later find the post's key.
			if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverPostSent,
				MessageID: id, Payload: mustJSON(systemPayload{Text: o.Post}), CreatedAt: now}); err != nil {
				return err
			}
		}
		if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendReply,
			MessageID: id, Payload: mustJSON(part), SortKey: sortKey, NotBefore: notBefore, CreatedAt: now}); err != nil {
			return err
		}
	}
	if !open {
		blocked := Message{ConversationID: conv.ID, WorkspaceKey: o.Key}
		if err := b.enqueueMark(ctx, tx, blocked, "", MarkFailed, now); err != nil {
			return err
		}
		if err := b.enqueueSystem(ctx, tx, conv.ID, b.failureText(conv, o.Author, refusedFor, refusedCode, 0), now); err != nil {
			return err
		}
		if !conv.Channel.Rules().Templates {
			return nil // nothing else can reach the customer (agentwindow.go)
		}
		return b.offerTemplate(ctx, tx, conv, o.Author, now)
	}

	// Every sent reply writes the conversation, conditional on the version
	// read above (see recordSend): a claim or takeover committed since that
	// read makes this transaction decide again, so the reply is held
	// instead of sent.
	return b.recordSend(ctx, tx, conv, o.Author, now)
}

// supersededBy is the customer's newer conversation when conv was
// resolved and they have written since: a reply in conv is refused then
// (reply, and a draft's Send before it uses the draft up).
func (b *Bridge) supersededBy(ctx context.Context, tx Tx, conv Conversation) (ConversationID, bool, error) {
	if conv.State != StateResolved {
		return 0, false, nil
	}
	latest, err := tx.LatestConversation(ctx, conv.ContactID, conv.Inbox)
	if err != nil {
		return 0, false, err
	}
	return latest.ID, latest.ID != conv.ID, nil
}

// storeNote keeps an agent's message in the conversation without sending
// it, and marks it in the thread as a note.
func (b *Bridge) storeNote(ctx context.Context, tx Tx, conv Conversation, msg AgentMessage, body string, status MessageStatus, now time.Time) error {
	note := Message{ConversationID: conv.ID, Direction: Note, Kind: KindText, Body: body, WorkspaceKey: msg.MessageKey,
		AuthorID: msg.AuthorID, SentAt: now, CreatedAt: now, Status: status}
	if len(msg.Files) > 0 {
		note.Payload = mustJSON(msg.Files)
	}
	if _, _, err := tx.InsertMessage(ctx, note); err != nil {
		return err
	}
	if err := b.enqueueMark(ctx, tx, note, "", MarkNote, now); err != nil {
		return err
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventNoted, Actor: msg.AuthorID, At: now})
}

// textCommand recognises "!claim" and friends typed in a thread (Slack does
// not deliver slash commands typed inside threads) and returns the command
// word and the rest of the text.
func textCommand(text string) (string, string, bool) {
	if !strings.HasPrefix(text, "!") {
		return "", "", false
	}
	first := strings.Fields(text)[0]
	word := strings.ToLower(first[1:])
	return word, strings.TrimSpace(strings.TrimPrefix(text, first)), word != ""
}

// takeover lets a supervisor take a conversation someone else holds; the
// previous holder is told.
func (b *Bridge) takeover(ctx context.Context, tx Tx, conv Conversation, actor string, now time.Time) error {
	lang := b.language(conv.Team)
	team := b.team(conv.Team)
	if conv.Assignee == assist.AgentID && conv.State != StateResolved {
		_, err := b.assistantTakeover(ctx, tx, conv, actor, now) // any agent may: assist_firstline.go
		return err
	}
	if !team.isSupervisor(actor) {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "tell.not_supervisor", team.Name), now)
	}
	if conv.State == StateResolved {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "tell.already_resolved"), now)
	}
	previous := conv.Assignee
	if previous == "" || previous == actor {
		return b.act(ctx, tx, conv, VerbClaim, actor, now)
	}
	conv.Assignee, conv.State = actor, StateAssigned
	if _, err := tx.UpdateConversation(ctx, conv); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventTakenOver, Actor: actor, Data: previous, At: now}); err != nil {
		return err
	}
	if err := b.markReadOn(ctx, tx, conv, readOnClaim, now); err != nil {
		return err
	}
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.taken_over", MentionToken(actor), MentionToken(previous)), now); err != nil {
		return err
	}
	if err := b.enqueueTell(ctx, tx, conv.ID, previous, Text(lang, "tell.took_over_you", MentionToken(actor), b.currentLink(ctx, tx, conv.ID)), now); err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv.ID, now)
}

// currentLink is a link to the conversation's current thread, or "".
func (b *Bridge) currentLink(ctx context.Context, tx Tx, conv ConversationID) string {
	th, err := tx.CurrentThread(ctx, conv)
	if err != nil || th.Ref.IsZero() {
		return ""
	}
	if ws, ok := b.workspaces[th.Ref.Workspace]; ok {
		return ws.Link(th.Ref)
	}
	return ""
}

// HandleAgentAction applies a card button, or a private message's button
// (a canned preview's Send sends it as the presser's reply).
func (b *Bridge) HandleAgentAction(ctx context.Context, act AgentAction) error {
	ctx = withReplyHandle(ctx, act.ActorID, act.ReplyHandle)
	ctx = withAuthorLanguage(ctx, act.ActorID, act.Lang) // author_language.go
	sendCanned := act.Verb == VerbSend && strings.HasPrefix(act.Value, CannedSendPrefix)
	sendDraft := act.Verb == VerbSend && strings.HasPrefix(act.Value, DraftSendPrefix) // assist_agent.go
	if sendCanned || sendDraft {
		ctx = b.withAgentName(ctx, act.Workspace, act.ActorID)
	}
	return b.inTx(ctx, func(tx Tx) error {
		if act.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(act.Workspace)+":action", act.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		get := tx.GetConversation
		if sendCanned || sendDraft {
			get = tx.LockConversation // a reply: see HandleAgentMessage
		}
		conv, err := get(ctx, act.ConversationID)
		if errors.Is(err, ErrNotFound) {
			return nil // a card of a conversation this database does not know
		}
		if err != nil {
			return err
		}
		team := b.team(conv.Team)
		who, err := b.standingIn(ctx, tx, team, act.person())
		if err != nil {
			return err
		}
		if !who.mayAct() {
			if sendCanned {
				return b.enqueueTell(ctx, tx, conv.ID, act.ActorID, b.cannedRefusal(b.language(conv.Team), who, act.person(), team.Name), b.now())
			}
			return b.enqueueTell(ctx, tx, conv.ID, act.ActorID, Text(b.language(conv.Team), refusalKey(who, act.person()), team.Name), b.now())
		}
		switch {
		case sendCanned:
			return b.sendCanned(ctx, tx, conv, act.ActorID, act.Value, b.now())
		case sendDraft:
			return b.sendDraft(ctx, tx, conv, act.ActorID, act.Value, act.Text, b.now()) // assist_agent.go
		case act.Verb == VerbDiscard:
			return b.discardDraft(ctx, tx, conv, act.ActorID, act.Value, b.now())
		case act.Verb == VerbSuggest:
			return b.requestSuggest(ctx, tx, conv, act.ActorID, b.now())
		case act.Verb == VerbEditDraft:
			// Only a workspace without a form sends the bare verb.
			return b.enqueueTell(ctx, tx, conv.ID, act.ActorID, Text(b.language(conv.Team), "assist.edit_help"), b.now())
		}
		if act.Verb == VerbTemplate {
			// Only a workspace without a template picker sends the bare
			// verb: explain the command and list what can be sent.
			return b.templateHelp(ctx, tx, conv, act.ActorID, act.Value, b.now())
		}
		return b.act(ctx, tx, conv, act.Verb, act.ActorID, b.now())
	})
}

// act applies verb by actor, or tells the actor privately why not.
func (b *Bridge) act(ctx context.Context, tx Tx, conv Conversation, verb Verb, actor string, now time.Time) error {
	lang := b.language(conv.Team)
	if verb == VerbTransfer {
		// A workspace without a picker sends the bare verb: explain the command.
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "tell.transfer_usage", b.teamNames()), now)
	}
	if verb == VerbClaim && conv.Assignee == assist.AgentID && conv.State != StateResolved {
		_, err := b.assistantTakeover(ctx, tx, conv, actor, now) // assist_firstline.go
		return err
	}
	next, event, refusal := Transition(conv, verb, actor, now)
	if refusal != "" {
		text := Text(lang, refusal, assigneeMention(lang, conv.Assignee))
		if refusal == "tell.unknown_command" {
			text = Text(lang, refusal, "!"+string(verb))
		}
		return b.enqueueTell(ctx, tx, conv.ID, actor, text, now)
	}
	if _, err := tx.UpdateConversation(ctx, next); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: event, Actor: actor, At: now}); err != nil {
		return err
	}
	if change := crmKindOf[event]; change != "" {
		if err := b.conversationChanged(ctx, tx, next, change, actor, nil, now); err != nil { // crm.go
			return err
		}
	}
	if event == EventClaimed {
		if err := b.markReadOn(ctx, tx, conv, readOnClaim, now); err != nil {
			return err
		}
	}
	key := map[string]string{EventClaimed: "sys.claimed", EventUnclaimed: "sys.unclaimed",
		EventResolved: "sys.resolved", EventReopened: "sys.reopened_by"}[event]
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, key, MentionToken(actor)), now); err != nil {
		return err
	}
	if err := b.enqueueCard(ctx, tx, conv.ID, now); err != nil {
		return err
	}
	if event == EventResolved {
		if conv.Assignee == assist.AgentID {
			if err := b.firstLineResolved(ctx, tx, conv, now); err != nil { // assist_firstline.go
				return err
			}
		}
		if err := b.offerCSAT(ctx, tx, next, actor, now); err != nil {
			return err
		}
		// Kept for history and the customer's next card (assist_agent.go).
		if err := b.enqueueSummary(ctx, tx, conv.ID, SummaryResolve, now); err != nil {
			return err
		}
	}
	if event == EventResolved || event == EventUnclaimed {
		// Capacity was freed: waiting conversations may now be assigned.
		return b.drainQueue(ctx, tx, conv.Team, now)
	}
	return nil
}

func (b *Bridge) isTeamChannel(ws WorkspaceKind, channel string) bool {
	for _, t := range b.teams {
		if t.Workspace == ws && t.owns(channel) {
			return true
		}
	}
	return false
}
