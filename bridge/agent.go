package bridge

import (
	"context"
	"errors"
	"strings"
	"time"
)

// HandleAgentMessage decides what a person's message in a conversation
// thread means: a text command, a note, a reply to send, or a reply that
// must not be sent (someone else holds the conversation, the window is
// closed). It stores the outcome and its deliveries in one transaction.
func (b *Bridge) HandleAgentMessage(ctx context.Context, msg AgentMessage) error {
	if msg.ThreadKey == "" {
		return nil // not in a thread: not a conversation
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
			return nil // a thread that is not one of ours
		}
		if err != nil {
			return err
		}
		conv, err := tx.GetConversation(ctx, thread.ConversationID)
		if err != nil {
			return err
		}
		return b.agentMessage(ctx, tx, conv, msg)
	})
}

func (b *Bridge) agentMessage(ctx context.Context, tx Tx, conv Conversation, msg AgentMessage) error {
	now := b.now()
	lang := b.language(conv.Team)
	text := strings.TrimSpace(msg.Text)

	if verb, ok := textCommand(text); ok {
		return b.act(ctx, tx, conv, Verb(verb), msg.AuthorID, now)
	}
	if note, body := b.isNote(text); note {
		// Attachments of a note stay in the thread too: nothing is sent.
		return b.storeNote(ctx, tx, conv, msg, body, StatusPosted, now)
	}
	if conv.Assignee != "" && conv.Assignee != msg.AuthorID {
		if err := b.storeNote(ctx, tx, conv, msg, text, StatusBlocked, now); err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, "tell.held", MentionToken(conv.Assignee)), now)
	}
	if conv.State == StateResolved {
		latest, err := tx.LatestConversation(ctx, conv.ContactID, conv.Inbox)
		if err != nil {
			return err
		}
		if latest.ID != conv.ID {
			if err := b.storeNote(ctx, tx, conv, msg, text, StatusBlocked, now); err != nil {
				return err
			}
			link := ""
			if th, err := tx.CurrentThread(ctx, latest.ID); err == nil {
				if ws, ok := b.workspaces[th.Ref.Workspace]; ok && !th.Ref.IsZero() {
					link = ws.Link(th.Ref)
				}
			}
			return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, "tell.newer_thread", link), now)
		}
	}

	// A reply. Store one outbound message per part (text, each file) so a
	// retry of one part never resends another.
	parts := make([]replyPayload, 0, 1+len(msg.Files))
	if text != "" {
		parts = append(parts, replyPayload{})
	}
	for i := range msg.Files {
		parts = append(parts, replyPayload{File: &msg.Files[i]})
	}
	if len(parts) == 0 {
		return nil
	}
	open := WindowOpen(conv, now)
	for _, part := range parts {
		m := Message{ConversationID: conv.ID, Direction: Outbound, Kind: KindText, Body: text, WorkspaceKey: msg.MessageKey,
			AuthorID: msg.AuthorID, SentAt: now, CreatedAt: now, Status: StatusQueued, Payload: mustJSON(part)}
		if part.File != nil {
			m.Kind, m.Body = KindDocument, ""
		}
		if !open {
			m.Status, m.Failure = StatusBlocked, ReasonOutsideWindow
		}
		id, _, err := tx.InsertMessage(ctx, m)
		if err != nil {
			return err
		}
		if !open {
			continue
		}
		if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendReply,
			MessageID: id, Payload: mustJSON(part), CreatedAt: now}); err != nil {
			return err
		}
	}
	if !open {
		blocked := Message{ConversationID: conv.ID, WorkspaceKey: msg.MessageKey}
		if err := b.enqueueMark(ctx, tx, blocked, "", MarkFailed, now); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, conv.ID, b.failureText(conv.Team, msg.AuthorID, ReasonOutsideWindow, "", 0), now)
	}

	changed := false
	if conv.Assignee == "" && b.opts.AutoClaimOnReply && conv.State != StateResolved {
		conv.Assignee, conv.State = msg.AuthorID, StateAssigned
		changed = true
		if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventClaimed, Actor: msg.AuthorID, Data: "auto", At: now}); err != nil {
			return err
		}
	}
	if conv.FirstResponseAt.IsZero() {
		conv.FirstResponseAt = now
		changed = true
	}
	if changed {
		if _, err := tx.UpdateConversation(ctx, conv); err != nil {
			return err
		}
		if err := b.enqueueCard(ctx, tx, conv.ID, now); err != nil {
			return err
		}
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventReplied, Actor: msg.AuthorID, At: now})
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
// not deliver slash commands typed inside threads).
func textCommand(text string) (string, bool) {
	if !strings.HasPrefix(text, "!") {
		return "", false
	}
	word := strings.ToLower(strings.Fields(text)[0][1:])
	return word, word != ""
}

// HandleAgentAction applies a card button.
func (b *Bridge) HandleAgentAction(ctx context.Context, act AgentAction) error {
	return b.inTx(ctx, func(tx Tx) error {
		if act.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(act.Workspace)+":action", act.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		conv, err := tx.GetConversation(ctx, act.ConversationID)
		if errors.Is(err, ErrNotFound) {
			return nil // a card of a conversation this database does not know
		}
		if err != nil {
			return err
		}
		return b.act(ctx, tx, conv, act.Verb, act.ActorID, b.now())
	})
}

// act applies verb by actor, or tells the actor privately why not.
func (b *Bridge) act(ctx context.Context, tx Tx, conv Conversation, verb Verb, actor string, now time.Time) error {
	lang := b.language(conv.Team)
	next, event, refusal := Transition(conv, verb, actor, now)
	if refusal != "" {
		text := Text(lang, refusal, MentionToken(conv.Assignee))
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
	key := map[string]string{EventClaimed: "sys.claimed", EventUnclaimed: "sys.unclaimed",
		EventResolved: "sys.resolved", EventReopened: "sys.reopened_by"}[event]
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, key, MentionToken(actor)), now); err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv.ID, now)
}

// HandleAgentCommand answers /switchboard in a channel. Routing, queue and
// metrics commands come with those features; today it explains itself.
func (b *Bridge) HandleAgentCommand(ctx context.Context, cmd AgentCommand) (string, error) {
	lang := "en"
	for _, t := range b.teams {
		if t.ChannelID == cmd.ChannelID && t.Language != "" {
			lang = t.Language
		}
	}
	return Text(lang, "cmd.help", strings.Join(b.opts.NotePrefixes, " / ")), nil
}
