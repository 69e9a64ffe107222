package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Reactions both ways (issue 17).
//
// Agent → customer: an agent's reaction on a customer's message in the
// thread becomes the business's WhatsApp reaction on that message.
// WhatsApp keeps one reaction per message per sender, so the business has
// one current reaction per message (stored, ReactionAgent): a new emoji
// replaces it, and removing an emoji that is not the current one sends
// nothing. The reacting person must be allowed to reply (member of the
// team, conversation not held by someone else); a refusal is told
// privately, like a held reply.
//
// Customer → thread: the customer's reaction shows as our bot's reaction
// on the message (postInbound). WhatsApp says only "removed" (an empty
// emoji), so the customer's current reaction per message is stored too
// (ReactionCustomer) and the delivery knows which emoji to take away.

// reactionPayload is a DeliverSendReaction: the business's reaction to
// the customer's message Target (its wamid); "" removes it.
type reactionPayload struct {
	Target string `json:"target"`
	Emoji  string `json:"emoji,omitempty"`
	UserID string `json:"user_id"`
}

// customerReactionPayload goes with the post of a customer's reaction:
// the emoji it replaces in the thread (or removes, when the new one is
// empty). Stale: an older reaction that arrived after a newer one, which
// changes nothing.
type customerReactionPayload struct {
	Previous string `json:"previous,omitempty"`
	Stale    bool   `json:"stale,omitempty"`
}

// HandleAgentReaction is an agent reacting to a message in a thread: a
// reaction to a customer's message reaches the customer as a WhatsApp
// reaction (and is taken back when removed). Reactions on anything else
// (our replies, notes, the card) change nothing.
func (b *Bridge) HandleAgentReaction(ctx context.Context, r AgentReaction) error {
	if r.MessageKey == "" || r.UserID == "" {
		return nil
	}
	return b.inTx(ctx, func(tx Tx) error {
		if r.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(r.Workspace)+":reaction", r.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		msg, err := tx.MessageInThread(ctx, r.Workspace, r.ChannelID, r.ThreadKey, r.MessageKey)
		if errors.Is(err, ErrNotFound) {
			return nil // the card, a system post, or not one of our threads
		}
		if err != nil {
			return err
		}
		if msg.Direction != Inbound || msg.ExternalID == "" || msg.Kind == KindReaction {
			return nil // only a customer's own message can carry our reaction
		}
		// Locked: the current reaction is read and replaced by one
		// transaction at a time, on every replica.
		conv, err := tx.LockConversation(ctx, msg.ConversationID)
		if err != nil {
			return err
		}
		return b.agentReaction(ctx, tx, conv, msg, r)
	})
}

func (b *Bridge) agentReaction(ctx context.Context, tx Tx, conv Conversation, msg Message, r AgentReaction) error {
	now := b.now()
	lang := b.language(conv.Team)
	cur, err := tx.CurrentReaction(ctx, msg.ID, ReactionAgent)
	found := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if r.Removed {
		if !found || !sameEmoji(cur.Emoji, r.Emoji) {
			return nil // not what the customer sees: nothing to take back
		}
	} else if found && sameEmoji(cur.Emoji, r.Emoji) {
		return nil // the customer sees it already (another agent's, or a replay)
	}
	team := b.team(conv.Team)
	who, err := b.standingIn(ctx, tx, team, Person{ID: r.UserID, Roles: r.Roles, Guest: r.Guest})
	if err != nil {
		return err
	}
	if !who.mayAct() {
		return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, refusalKey(who, Person{ID: r.UserID, Guest: r.Guest}), team.Name), now)
	}
	if conv.Assignee != "" && conv.Assignee != r.UserID && !assistantHolds(conv) { // reacting takes over from the assistant
		return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, "reaction.held", assigneeMention(lang, conv.Assignee)), now)
	}
	if r.Emoji == "" {
		// A custom emoji: WhatsApp shows only Unicode ones.
		return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, "reaction.custom"), now)
	}
	if !conv.Channel.Rules().Reactions {
		return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, "ch.no_reactions", channelName(lang, conv.Channel)), now)
	}
	// Reactions keep the standard window on every channel: the
	// human-agent allowance is for a person's written reply, and a
	// reaction cannot carry its mark (agentwindow.go).
	if !WindowOpen(conv, now) {
		if !conv.Channel.Rules().Templates {
			return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, "ch.reaction_window_closed", channelName(lang, conv.Channel)), now)
		}
		return b.enqueueTell(ctx, tx, conv.ID, r.UserID, Text(lang, "reaction.outside_window"), now)
	}
	if assistantHolds(conv) {
		// Reacting to the customer is writing to them: the agent takes
		// over from the assistant, as a reply does.
		if conv, err = b.assistantTakeover(ctx, tx, conv, r.UserID, now); err != nil { // assist_firstline.go
			return err
		}
	}
	emoji := r.Emoji
	if r.Removed {
		emoji = ""
	}
	if err := tx.SetReaction(ctx, StoredReaction{MessageID: msg.ID, Side: ReactionAgent, Emoji: emoji, UserID: r.UserID, At: now}); err != nil {
		return err
	}
	_, err = tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: CustomerLane(conv.ID), Kind: DeliverSendReaction,
		MessageID: msg.ID, Payload: mustJSON(reactionPayload{Target: msg.ExternalID, Emoji: emoji, UserID: r.UserID}),
		SortKey: now.UnixMilli(), CreatedAt: now})
	return err
}

// sameEmoji compares emoji as people see them: with or without the
// variation selector U+FE0F ("❤" and "❤️" are one heart).
func sameEmoji(a, b string) bool {
	strip := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\uFE0F", "") }
	return strip(a) == strip(b)
}

// sendReaction runs a DeliverSendReaction (customer lane).
func (b *Bridge) sendReaction(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	var p reactionPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return outcome{}, permanentDecode(err)
	}
	if !WindowOpen(dc.conv, b.now()) {
		return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonOutsideWindow, Code: "window_closed",
			Err: errors.New("24-hour window closed before the reaction could be sent")}
	}
	id, err := b.channelFor(dc.conv.Inbox).SendReaction(ctx, dc.conv.Inbox, dc.contact.Address, p.Target, p.Emoji)
	return outcome{externalID: id}, err
}

// reactionFailed tells the agent privately that their reaction did not
// reach the customer (a reaction is no message: the thread is not told),
// and forgets it as the customer's current one.
func (b *Bridge) reactionFailed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, reason FailureReason, code string, now time.Time) error {
	var p reactionPayload
	if err := json.Unmarshal(d.Payload, &p); err != nil {
		return nil // nobody to tell
	}
	if cur, err := tx.CurrentReaction(ctx, d.MessageID, ReactionAgent); err == nil && p.Emoji != "" && sameEmoji(cur.Emoji, p.Emoji) {
		if err := tx.SetReaction(ctx, StoredReaction{MessageID: d.MessageID, Side: ReactionAgent, At: now}); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if p.UserID == "" {
		return nil
	}
	lang := b.language(dc.conv.Team)
	text := Text(lang, "reaction.outside_window")
	switch {
	case reason != ReasonOutsideWindow:
		text = Text(lang, "reaction.failed", failureWhy(lang, dc.conv.Channel, reason, code, d.Attempts))
	case !dc.conv.Channel.OrWhatsApp().Rules().Templates:
		text = Text(lang, "ch.reaction_window_closed", channelName(lang, dc.conv.Channel))
	}
	return b.enqueueTell(ctx, tx, d.ConversationID, p.UserID, text, now)
}

// customerReaction records a customer's reaction to one of the messages
// of the chat as the customer's current one on it, and returns the
// payload of its post: the emoji it replaces in the thread.
func (b *Bridge) customerReaction(ctx context.Context, tx Tx, m InboundMessage, sentAt time.Time) (json.RawMessage, error) {
	if m.Kind != KindReaction || m.Reaction == nil || m.Reaction.TargetExternalID == "" {
		return nil, nil
	}
	target, err := tx.MessageByExternalID(ctx, m.Reaction.TargetExternalID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil // a message we never had: shown as text
	}
	if err != nil {
		return nil, err
	}
	cur, err := tx.CurrentReaction(ctx, target.ID, ReactionCustomer)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err == nil && sentAt.Before(cur.At) {
		return mustJSON(customerReactionPayload{Stale: true}), nil
	}
	if err := tx.SetReaction(ctx, StoredReaction{MessageID: target.ID, Side: ReactionCustomer, Emoji: m.Reaction.Emoji, At: sentAt}); err != nil {
		return nil, err
	}
	if cur.Emoji == "" {
		return nil, nil
	}
	return mustJSON(customerReactionPayload{Previous: cur.Emoji}), nil
}

// postReaction shows a customer's reaction on the reacted message in the
// thread: the emoji it replaces taken away, the new one added.
func postReaction(ctx context.Context, ws AgentWorkspace, thread ThreadRef, key string, r Reaction, p customerReactionPayload) error {
	if p.Stale {
		return nil
	}
	if p.Previous != "" && !sameEmoji(p.Previous, r.Emoji) {
		if err := ws.React(ctx, thread, key, p.Previous, true); err != nil {
			return err
		}
	}
	if r.Emoji == "" {
		return nil
	}
	return ws.React(ctx, thread, key, r.Emoji, false)
}
