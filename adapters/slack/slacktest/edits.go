package slacktest

import "time"

// Builders of the Events API bodies Slack sends when a message changes or
// goes away, shaped like Slack's documented examples (message_changed,
// message_deleted): hidden events whose message, previous_message and
// deleted_ts name the message concerned.

// MessageEdited is a person's edit of their thread reply ts, from old to
// text; editTS is the ts of the edit itself.
func MessageEdited(eventID, channel, threadTS, ts, editTS, user, old, text string) []byte {
	return revision(eventID, map[string]any{
		"type": "message", "subtype": "message_changed", "hidden": true, "channel": channel,
		"ts": editTS, "event_ts": editTS, "channel_type": "channel",
		"message": map[string]any{
			"client_msg_id": "c-" + ts, "type": "message", "text": text, "user": user, "team": TeamID,
			"user_team": TeamID, "source_team": TeamID, "ts": ts, "thread_ts": threadTS, "parent_user_id": BotUserID,
			"edited": map[string]any{"user": user, "ts": editTS},
		},
		"previous_message": map[string]any{
			"client_msg_id": "c-" + ts, "type": "message", "text": old, "user": user, "team": TeamID,
			"ts": ts, "thread_ts": threadTS, "parent_user_id": BotUserID,
		},
	})
}

// BotMessageEdited is the message_changed Slack sends after our own bot
// updates one of its posts (chat.update of a card or a customer's post).
func BotMessageEdited(eventID, channel, threadTS, ts, editTS, old, text string) []byte {
	msg := map[string]any{"type": "message", "subtype": "bot_message", "text": text, "user": BotUserID, "bot_id": BotID,
		"app_id": "AFAKEAPP", "ts": ts, "edited": map[string]any{"user": BotUserID, "ts": editTS}}
	prev := map[string]any{"type": "message", "subtype": "bot_message", "text": old, "user": BotUserID, "bot_id": BotID, "ts": ts}
	if threadTS != "" {
		msg["thread_ts"], prev["thread_ts"] = threadTS, threadTS
	}
	return revision(eventID, map[string]any{
		"type": "message", "subtype": "message_changed", "hidden": true, "channel": channel,
		"ts": editTS, "event_ts": editTS, "channel_type": "channel", "message": msg, "previous_message": prev,
	})
}

// MessageDeleted is the deletion of user's thread reply ts.
func MessageDeleted(eventID, channel, threadTS, ts, deleteTS, user, old string) []byte {
	return revision(eventID, map[string]any{
		"type": "message", "subtype": "message_deleted", "hidden": true, "channel": channel,
		"ts": deleteTS, "event_ts": deleteTS, "deleted_ts": ts, "channel_type": "channel",
		"previous_message": map[string]any{
			"client_msg_id": "c-" + ts, "type": "message", "text": old, "user": user, "team": TeamID,
			"ts": ts, "thread_ts": threadTS, "parent_user_id": BotUserID,
		},
	})
}

func revision(eventID string, event map[string]any) []byte {
	return mustJSON(map[string]any{
		"token": "verification_token", "team_id": TeamID, "api_app_id": "AFAKEAPP",
		"event": event, "type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
	})
}
