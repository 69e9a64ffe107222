package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"
	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// Edits and deletes of thread messages (message_changed, message_deleted)
// become bridge.AgentEdit and bridge.AgentDelete; the bridge decides what
// they mean (bridge/agentedit.go). Our own bot edits its posts and cards
// all the time: those, other bots', and changes that leave the text as it
// was (link unfurls, language metadata) are dropped here.

// revisionEvent is a message_changed or message_deleted event.
type revisionEvent struct {
	Type            string        `json:"type"`
	Subtype         string        `json:"subtype"`
	Channel         string        `json:"channel"`
	TS              string        `json:"ts"`
	DeletedTS       string        `json:"deleted_ts"`
	Message         *changedEvent `json:"message"`
	PreviousMessage *changedEvent `json:"previous_message"`
}

// changedEvent is the message inside a revision event.
type changedEvent struct {
	messageEvent
	Edited *struct {
		User string `json:"user"`
		TS   string `json:"ts"`
	} `json:"edited"`
}

// agentRevision reads a message_changed or message_deleted event. handled
// is false for every other event; edit or del is nil when the event is
// one of those but nothing the bridge needs (reason says why).
func (h *Handler) agentRevision(ctx context.Context, env envelope) (handled bool, edit *bridge.AgentEdit, del *bridge.AgentDelete, reason string) {
	var ev revisionEvent
	if len(env.Event) == 0 || json.Unmarshal(env.Event, &ev) != nil || ev.Type != "message" {
		return false, nil, nil, ""
	}
	if ev.Subtype != "message_changed" && ev.Subtype != "message_deleted" {
		return false, nil, nil, ""
	}
	me, _ := h.identity()
	ours := func(m *changedEvent) bool {
		return m == nil || m.BotID != "" || m.BotProfile != nil || m.User == "" || h.isOurs(me, m.messageEvent)
	}
	if ev.Subtype == "message_deleted" {
		prev := ev.PreviousMessage
		if ours(prev) {
			return true, nil, nil, "deleted message not a person's"
		}
		key := firstNonEmpty(ev.DeletedTS, prev.TS)
		if prev.ThreadTS == "" || prev.ThreadTS == key || ev.Channel == "" {
			return true, nil, nil, "deleted message not in a thread"
		}
		return true, nil, &bridge.AgentDelete{Workspace: bridge.WorkspaceSlack, EventID: env.EventID, ChannelID: ev.Channel,
			ThreadKey: prev.ThreadTS, MessageKey: key, AuthorID: prev.User, DeletedAt: tsPrecise(ev.TS)}, ""
	}
	msg := ev.Message
	if ours(msg) {
		return true, nil, nil, "changed message not a person's"
	}
	if ev.PreviousMessage != nil && ev.PreviousMessage.Text == msg.Text {
		return true, nil, nil, "text unchanged"
	}
	if msg.ThreadTS == "" || msg.ThreadTS == msg.TS || ev.Channel == "" {
		return true, nil, nil, "changed message not in a thread"
	}
	author, at := msg.User, tsPrecise(ev.TS)
	if msg.Edited != nil {
		author = firstNonEmpty(msg.Edited.User, author)
		if t := tsPrecise(msg.Edited.TS); !t.IsZero() {
			at = t
		}
	}
	return true, &bridge.AgentEdit{Workspace: bridge.WorkspaceSlack, EventID: env.EventID, ChannelID: ev.Channel,
		ThreadKey: msg.ThreadTS, MessageKey: msg.TS, AuthorID: author, Text: ConvertMrkdwn(msg.Text, h.names(ctx)),
		Mentions: Mentions(msg.Text), EditedAt: at, Guest: h.guest(firstNonEmpty(msg.UserTeam, msg.Team))}, nil, ""
}

// storeRevision hands an edit or delete to the bridge; handled is false
// when env is neither.
func (h *Handler) storeRevision(c *fiber.Ctx, env envelope) (handled bool, err error) {
	ctx := c.UserContext()
	handled, edit, del, reason := h.agentRevision(ctx, env)
	if !handled {
		return false, nil
	}
	switch {
	case edit != nil:
		err = h.Inbound.HandleAgentEdit(ctx, *edit)
	case del != nil:
		err = h.Inbound.HandleAgentDelete(ctx, *del)
	default:
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		h.log().Debug("slack event ignored", "event_id", env.EventID, "reason", reason)
		return true, c.SendStatus(fiber.StatusOK)
	}
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack edit or delete not stored", "event_id", env.EventID, "retry", c.Get("X-Slack-Retry-Num"), "err", err)
		return true, c.SendStatus(fiber.StatusInternalServerError) // Slack retries
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return true, c.SendStatus(fiber.StatusOK)
}

// EditPost replaces the text of a message the bridge posted (a customer's
// message they edited or deleted) with chat.update, written as Post
// writes it. Only the first piece of a post split in several changes.
func (w *Workspace) EditPost(ctx context.Context, thread bridge.ThreadRef, messageKey string, post bridge.Post) error {
	if err := checkMessageKey(messageKey); err != nil {
		return err
	}
	text := ToMrkdwn(post.Text)
	if post.Kind == bridge.PostSystem {
		text = RenderMentions(text)
	}
	if named(post) && !w.cfg.CustomizeIdentity {
		text = "*" + Escape(strings.ReplaceAll(post.AuthorName, "*", "")) + ":* " + text
	}
	text = SplitText(text, MaxMessageBytes)[0]
	_, _, _, err := w.api.UpdateMessageContext(ctx, thread.ChannelID, messageKey, slackapi.MsgOptionText(text, false))
	if isSlackError(err, "message_not_found") || isSlackError(err, "cant_update_message") {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "message_not_found", Err: err}
	}
	return deliveryError("edit post", err)
}

var _ bridge.PostEditor = (*Workspace)(nil)
