package bridge

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Echoes (issue 12). Messenger and Instagram send the business's own
// messages back as webhooks (message_echoes): those a person wrote in the
// Facebook Page inbox or the Instagram app, and those switchboard sent.
// The adapters drop echoes of switchboard's sends (app_id, metadata); the
// rest arrive here as InboundMessage.Echo. They are the business
// speaking, so they are stored as outbound messages (sent, no author),
// shown in the thread as sent from outside, never sent again, and they
// neither move the customer's window nor count as the customer writing.

// echoSettle is how long an echo's thread post waits before it is made.
// An echo of switchboard's own send can arrive (if an adapter let it
// through) before the send's external id is recorded; complete() then
// absorbs the echo (absorbEcho), and the delayed post finds it absorbed
// and shows nothing, so a message never shows twice. Recording a send
// takes milliseconds. The thread's lane is ordered, so posts after the
// echo (the customer's answer, marks) wait with it: a few seconds, only
// after a message typed outside switchboard.
const echoSettle = 5 * time.Second

// storeEcho stores m, an echo of a message the business sent from outside
// switchboard, in the customer's conversation on m.Inbox.
func (b *Bridge) storeEcho(ctx context.Context, tx Tx, contact Contact, m InboundMessage, sentAt, now time.Time) error {
	conv, err := b.conversationForEcho(ctx, tx, contact, m.Inbox, now)
	if err != nil {
		return err
	}
	payload := replyPayload{Posted: true, Echo: true}
	id, inserted, err := tx.InsertMessage(ctx, Message{ConversationID: conv.ID, Direction: Outbound, Kind: m.Kind,
		Body: m.Text, Payload: mustJSON(payload), ExternalID: m.ExternalID, SentAt: sentAt, CreatedAt: now, Status: StatusSent})
	if err != nil {
		return err
	}
	if !inserted {
		return fmt.Errorf("echo %s stored concurrently: %w", m.ExternalID, ErrConflict)
	}
	lang := b.language(conv.Team)
	text := echoText(lang, conv.Channel, inboundText(lang, m))
	// Posted by DeliverPostSent, so the message's marks (sent, then the
	// customer's delivery and read watermarks) land on the post.
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverPostSent,
		MessageID: id, Payload: mustJSON(systemPayload{Text: text}), SortKey: sentAt.UnixMilli(),
		NotBefore: now.Add(echoSettle), CreatedAt: now})
	return err
}

// conversationForEcho is the conversation an echo belongs to: the
// customer's latest on the inbox, whatever its state (the business
// writing does not reopen a resolved conversation: only the customer
// does). A customer with none gets a pending conversation with its thread
// and card, queued for the team, but without a customer message: the
// window stays closed until the customer writes (LastCustomerAt zero),
// and no away message or assistant is started for text the business
// wrote itself.
func (b *Bridge) conversationForEcho(ctx context.Context, tx Tx, contact Contact, inbox InboxID, now time.Time) (Conversation, error) {
	latest, err := tx.LatestConversation(ctx, contact.ID, inbox)
	if err == nil {
		return latest, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Conversation{}, err
	}
	team := b.teamFor(inbox)
	conv, err := tx.CreateConversation(ctx, Conversation{ContactID: contact.ID, Inbox: inbox, Channel: b.inboxChannel(inbox),
		Team: team.Name, State: StatePending, OpenedAt: now})
	if err != nil {
		return conv, err
	}
	if _, err := tx.CreateThread(ctx, Thread{ConversationID: conv.ID, CreatedAt: now,
		Ref: ThreadRef{Workspace: team.Workspace, ChannelID: team.homeFor(conv.ID)}}); err != nil {
		return conv, err
	}
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverOpenThread,
		CreatedAt: now}); err != nil {
		return conv, err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventOpened, At: now}); err != nil {
		return conv, err
	}
	// Opened by the business (data opened_by=echo), but a conversation
	// like any other for the CRM (crm.go).
	if err := b.conversationChanged(ctx, tx, conv, crmOpened, "", map[string]string{"opened_by": "echo"}, now); err != nil {
		return conv, err
	}
	return conv, tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventQueued, Data: team.Name, At: now})
}

// echoText is the thread line of an echo on channel ch.
func echoText(lang string, ch Channel, body string) string {
	switch ch {
	case ChannelMessenger, ChannelInstagram:
		return Text(lang, "ch.echo."+string(ch), body)
	}
	return Text(lang, "ch.echo.other", channelName(lang, ch), body)
}

// isEcho reports whether m is an echo stored by storeEcho.
func isEcho(m Message) bool {
	if m.Direction != Outbound || m.AuthorID != "" {
		return false
	}
	p, err := decodeReply(m.Payload)
	return err == nil && p.Echo
}

// absorbEcho gives way to switchboard's own send of externalID (message
// sent) when an echo of it was stored first: the echo loses the external
// id and is marked blocked (never shown: its delayed post skips it), so
// the send records the id and the thread shows the message once. Returns
// an error when another message of switchboard's holds the id.
func (b *Bridge) absorbEcho(ctx context.Context, tx Tx, externalID string, sent MessageID) error {
	if externalID == "" {
		return nil
	}
	other, err := tx.MessageByExternalID(ctx, externalID)
	if errors.Is(err, ErrNotFound) || (err == nil && other.ID == sent) {
		return nil
	}
	if err != nil {
		return err
	}
	if !isEcho(other) {
		return nil // let the update report the clash as before
	}
	other.ExternalID, other.Status = "", StatusBlocked
	return tx.UpdateMessage(ctx, other)
}

// echoAbsorbed reports whether m, an echo, gave way to switchboard's own
// send of the same message (absorbEcho).
func echoAbsorbed(m Message) bool {
	return isEcho(m) && m.Status == StatusBlocked
}

// channelName is ch's name as the card and the thread say it.
func channelName(lang string, ch Channel) string {
	return Text(lang, "ch.name."+string(ch.OrWhatsApp()))
}
