package slack

import (
	"strconv"
	"strings"

	"github.com/switchboard/switchboard/bridge"
)

// MarkEmoji maps the bridge's marks to Slack reaction names. They are
// chosen to be unlike the reactions customers commonly send (👍 ❤️ 😂 👀 ✅…),
// because a customer's reaction and our mark on the same message would be
// the same Slack reaction and removing one would remove the other.
var MarkEmoji = map[bridge.Mark]string{
	bridge.MarkSent:      "outbox_tray",           // 📤 handed to WhatsApp
	bridge.MarkDelivered: "ballot_box_with_check", // ☑️ reached the phone
	bridge.MarkRead:      "eye",                   // 👁️ opened
	bridge.MarkFailed:    "x",                     // ❌ not delivered: see the notice
	bridge.MarkNote:      "memo",                  // 📝 internal note
}

// emojiNames maps common Unicode emoji (without variation selectors) to
// Slack's short names. It covers what customers usually react with;
// EmojiName falls back for the rest.
var emojiNames = map[string]string{
	"👍": "+1", "👎": "-1", "❤": "heart", "😂": "joy", "😮": "open_mouth", "😢": "cry",
	"🙏": "pray", "😀": "grinning", "😃": "smiley", "😄": "smile", "😁": "grin", "😆": "laughing",
	"😅": "sweat_smile", "🤣": "rolling_on_the_floor_laughing", "😊": "blush", "🙂": "slightly_smiling_face",
	"😉": "wink", "😍": "heart_eyes", "🥰": "smiling_face_with_3_hearts", "😘": "kissing_heart",
	"😎": "sunglasses", "🤔": "thinking_face", "😐": "neutral_face", "😕": "confused", "😟": "worried",
	"😭": "sob", "😡": "rage", "😠": "angry", "😱": "scream", "😳": "flushed", "🥺": "pleading_face",
	"😴": "sleeping", "🤯": "exploding_head", "🥳": "partying_face", "🤩": "star-struck", "😇": "innocent",
	"🙄": "face_with_rolling_eyes", "😬": "grimacing", "🤗": "hugging_face", "🤝": "handshake",
	"👏": "clap", "🙌": "raised_hands", "👋": "wave", "👌": "ok_hand", "✌": "v", "🤞": "crossed_fingers",
	"💪": "muscle", "👀": "eyes", "🎉": "tada", "🎊": "confetti_ball", "🔥": "fire", "✅": "white_check_mark",
	"❌": "x", "⭐": "star", "🌟": "star2", "✨": "sparkles", "💯": "100", "💔": "broken_heart",
	"💙": "blue_heart", "💚": "green_heart", "💛": "yellow_heart", "💜": "purple_heart", "🖤": "black_heart",
	"🧡": "orange_heart", "🤍": "white_heart", "😻": "heart_eyes_cat", "🌹": "rose", "🎁": "gift",
	"☕": "coffee", "🍕": "pizza", "🎂": "birthday", "⚠": "warning", "❓": "question", "❗": "exclamation",
	"👉": "point_right", "👈": "point_left", "☺": "relaxed", "😋": "yum", "🤤": "drooling_face",
	"🤷": "shrug", "🤦": "face_palm", "🙈": "see_no_evil", "💩": "hankey", "🚀": "rocket", "💡": "bulb",
	"📦": "package", "💰": "moneybag", "👑": "crown", "🌈": "rainbow", "☀": "sunny", "⏰": "alarm_clock",
}

// Skin-tone modifiers U+1F3FB…U+1F3FF are Slack's skin-tone-2…skin-tone-6.
const skinToneBase = 0x1F3FB

// EmojiName returns the Slack short name of a Unicode emoji and whether it
// is known. Variation selectors are ignored and a trailing skin-tone
// modifier becomes Slack's "::skin-tone-N" suffix (👍🏽 → "+1::skin-tone-4").
func EmojiName(emoji string) (string, bool) {
	e := strings.ReplaceAll(strings.TrimSpace(emoji), "\uFE0F", "")
	tone := ""
	if r := []rune(e); len(r) > 1 && r[len(r)-1] >= skinToneBase && r[len(r)-1] <= skinToneBase+4 {
		tone = "::skin-tone-" + strconv.Itoa(int(r[len(r)-1]-skinToneBase)+2)
		e = string(r[:len(r)-1])
	}
	name, ok := emojiNames[e]
	if !ok {
		return "", false
	}
	return name + tone, true
}
