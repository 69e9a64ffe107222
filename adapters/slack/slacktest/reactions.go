package slacktest

import (
	"strconv"
	"time"
)

// ReactionEvent builds the reaction_added (added) or reaction_removed
// event Slack sends when user reacts with reaction (Slack's name, e.g.
// "+1" or "+1::skin-tone-4") to the message ts of channel, written by
// itemUser (our bot for the messages switchboard posts).
func ReactionEvent(eventID, user, reaction, channel, ts, itemUser string, added bool) []byte {
	kind := "reaction_removed"
	if added {
		kind = "reaction_added"
	}
	ev := map[string]any{"type": kind, "user": user, "reaction": reaction,
		"item":     map[string]any{"type": "message", "channel": channel, "ts": ts, "channel_type": "channel"},
		"event_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000500"}
	if itemUser != "" {
		ev["item_user"] = itemUser
	}
	return mustJSON(map[string]any{
		"token": "verification_token", "team_id": TeamID, "api_app_id": "AFAKEAPP", "event": ev,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
	})
}
