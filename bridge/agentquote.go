package bridge

import (
	"context"
	"errors"
	"strings"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Quotes from the agent's side (issue 17): an agent's reply to a thread
// message that carries a wamid (a customer's message, or one of our sent
// replies) goes out quoting it on WhatsApp (context.message_id).

// quotedWAMID is the wamid of the thread message key in conv, "" when key
// is empty, unknown, or a message WhatsApp never saw (a note, a post of
// the bridge's own).
func (b *Bridge) quotedWAMID(ctx context.Context, tx Tx, conv ConversationID, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	m, err := tx.MessageByWorkspaceKey(ctx, conv, key)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if m.Kind == KindReaction || (m.Direction != Inbound && m.Direction != Outbound) {
		return "", nil
	}
	return m.ExternalID, nil
}

// quotedReply is a reply written outside the thread's flow of messages
// (Slack's "Reply to this message" shortcut, a modal): it has no message
// of its own, so it is always a reply (never a note or a command, which
// would leave nothing visible), and the bridge posts it in the thread
// with the quoted message above it, as it posts a canned response sent
// from its preview.
func (b *Bridge) quotedReply(ctx context.Context, tx Tx, conv Conversation, thread Thread, msg AgentMessage) error {
	now := b.now()
	lang := b.language(conv.Team)
	text := strings.TrimSpace(msg.Text)
	if text == "" {
		return nil
	}
	if !thread.Current {
		return b.enqueueTellIn(ctx, tx, conv.ID, thread.ID, msg.AuthorID, Text(lang, "tell.moved", conv.Team, b.currentLink(ctx, tx, conv.ID)), now)
	}
	team := b.team(conv.Team)
	who, err := b.standingIn(ctx, tx, team, msg.person())
	if err != nil {
		return err
	}
	if !who.mayAct() {
		return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, refusalKey(who, msg.person()), team.Name), now)
	}
	if conv.Assignee != "" && conv.Assignee != msg.AuthorID && conv.Assignee != assist.AgentID { // reply takes over from the assistant
		// reply would refuse it too, in words about canned responses.
		return b.enqueueTell(ctx, tx, conv.ID, msg.AuthorID, Text(lang, "quote.held", assigneeMention(lang, conv.Assignee)), now)
	}
	quote, err := b.quotedWAMID(ctx, tx, conv.ID, msg.QuotedKey)
	if err != nil {
		return err
	}
	post := Text(lang, "quote.sent_plain", MentionToken(msg.AuthorID)) // a note, the card: nothing WhatsApp knows
	if quote != "" {
		post = Text(lang, "quote.sent_post", MentionToken(msg.AuthorID))
		if q, err := tx.MessageByExternalID(ctx, quote); err == nil && strings.TrimSpace(q.Body) != "" {
			post += "\n_" + Text(lang, "post.reply_to", strings.Join(strings.Fields(truncate(q.Body, 200)), " ")) + "_"
		}
	}
	post += "\n" + text
	return b.reply(ctx, tx, conv, outgoing{Author: msg.AuthorID, Text: text, Post: post, SentAt: now, Quote: quote}, now)
}
