package discord

import "github.com/switchboard/switchboard/bridge"

// MarkEmoji is the Unicode reaction showing each mark on a thread message.
var MarkEmoji = map[bridge.Mark]string{
	bridge.MarkSent:      "📤",
	bridge.MarkDelivered: "☑️",
	bridge.MarkRead:      "👁️",
	bridge.MarkFailed:    "❌",
	bridge.MarkNote:      "📝",
}
