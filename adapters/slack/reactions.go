package slack

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
)

// Agents' reactions (issue 17): reaction_added and reaction_removed on a
// message of a conversation thread become bridge.AgentReaction. Our own
// bot's reactions (the status marks, the mirrors of the customer's
// reactions) are dropped here, so they never travel back to the customer.

// reactionEvent holds the fields of reaction_added / reaction_removed.
type reactionEvent struct {
	Type     string `json:"type"`
	User     string `json:"user"`
	Reaction string `json:"reaction"` // Slack's name, maybe with "::skin-tone-N"
	ItemUser string `json:"item_user"`
	Item     struct {
		Type    string `json:"type"`
		Channel string `json:"channel"`
		TS      string `json:"ts"`
	} `json:"item"`
	EventTS string `json:"event_ts"`
}

// agentReaction reads a reaction event: isReaction says it is one, ok
// that it should reach the bridge (reason says why not).
func (h *Handler) agentReaction(ctx context.Context, env envelope) (r bridge.AgentReaction, isReaction, ok bool, reason string) {
	var ev reactionEvent
	if len(env.Event) == 0 || json.Unmarshal(env.Event, &ev) != nil {
		return r, false, false, ""
	}
	if ev.Type != "reaction_added" && ev.Type != "reaction_removed" {
		return r, false, false, ""
	}
	me, _ := h.identity()
	switch {
	case ev.User == "" || h.isOurUser(me, ev.User):
		return r, true, false, "our own reaction"
	case ev.Item.Type != "message" || ev.Item.Channel == "" || ev.Item.TS == "":
		return r, true, false, "not on a message"
	}
	emoji, _ := EmojiUnicode(ev.Reaction) // a custom emoji stays "": the bridge explains
	removed := ev.Type == "reaction_removed"
	if removed && emoji == "" {
		return r, true, false, "custom emoji removed"
	}
	return bridge.AgentReaction{Workspace: bridge.WorkspaceSlack, EventID: env.EventID, ChannelID: ev.Item.Channel,
		MessageKey: ev.Item.TS, UserID: ev.User, Emoji: emoji, Removed: removed, At: tsPrecise(ev.EventTS),
		Guest: h.guest(h.userTeam(ctx, ev.User))}, true, true, ""
}

// userTeam is the workspace of user for events that do not carry it
// (reactions), "" when it cannot be read: the person is then taken as
// ours, as before the lookup existed (a reaction is the least an agent
// sends, and refusing every agent while users.info fails would be worse).
func (h *Handler) userTeam(ctx context.Context, user string) string {
	if h.UserTeam == nil {
		return ""
	}
	team, err := h.UserTeam(ctx, user)
	if err != nil {
		h.log().Warn("slack user's workspace not read; taken as ours", "user", user, "err", err)
		return ""
	}
	return team
}

// storeReaction hands a reaction to the bridge; a failure is answered 500
// so Slack delivers the event again (the bridge dedupes on event_id).
func (h *Handler) storeReaction(c *fiber.Ctx, r bridge.AgentReaction, ok bool, reason string) error {
	if !ok {
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		h.log().Debug("slack reaction ignored", "reason", reason)
		return c.SendStatus(fiber.StatusOK)
	}
	if err := h.Inbound.HandleAgentReaction(c.UserContext(), r); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		h.log().Error("slack reaction not stored", "event_id", r.EventID, "channel", r.ChannelID, "err", err)
		return c.SendStatus(fiber.StatusInternalServerError)
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	return c.SendStatus(fiber.StatusOK)
}

// emojiAliases are Slack names of emoji in emojiNames under another name
// (Slack accepts both; events carry either).
var emojiAliases = map[string]string{
	"thumbsup": "👍", "thumbsdown": "👎", "satisfied": "😆", "simple_smile": "🙂", "poop": "💩", "shit": "💩",
	"heavy_check_mark": "✔", "heavy_heart_exclamation_mark_ornament": "❣", "sweat_drops": "💦",
	"raising_hand": "🙋", "muscle": "💪", "slightly_frowning_face": "🙁", "white_frowning_face": "☹",
	"ok": "🆗", "+1": "👍", "-1": "👎", "heart": "❤", "point_up": "☝", "eye": "👁", "outbox_tray": "📤",
	"ballot_box_with_check": "☑", "memo": "📝", "pencil": "📝", "handshake": "🤝", "metal": "🤘", "the_horns": "🤘",
	"partying_face": "🥳", "sunglasses": "😎", "smiling_face_with_3_hearts": "🥰", "upside_down_face": "🙃",
}

// needsVS16 are the emoji that show as emoji (not text) only with the
// variation selector U+FE0F.
var needsVS16 = map[string]bool{"❤": true, "✌": true, "☺": true, "⚠": true, "☀": true, "✔": true, "❣": true,
	"☝": true, "👁": true, "☑": true, "☹": true}

// unicodeByName inverts emojiNames (EmojiName's table) for EmojiUnicode.
var unicodeByName = func() map[string]string {
	m := make(map[string]string, len(emojiNames)+len(emojiAliases))
	for e, name := range emojiNames {
		m[name] = e
	}
	for name, e := range emojiAliases {
		m[name] = e
	}
	return m
}()

// EmojiUnicode returns the Unicode emoji of a Slack reaction name
// ("+1::skin-tone-4" → "👍🏽") and whether it is known; the workspace's
// custom emoji and names outside the table are not.
func EmojiUnicode(name string) (string, bool) {
	name = strings.Trim(strings.TrimSpace(name), ":")
	base, tone, _ := strings.Cut(name, "::skin-tone-")
	e, ok := unicodeByName[base]
	if !ok {
		return "", false
	}
	if n, err := strconv.Atoi(tone); err == nil && n >= 2 && n <= 6 {
		return e + string(rune(skinToneBase+n-2)), true
	}
	if needsVS16[e] {
		e += "\uFE0F"
	}
	return e, true
}
