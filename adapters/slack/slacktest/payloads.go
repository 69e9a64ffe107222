package slacktest

import (
	"encoding/json"
	"strconv"
	"time"
)

// Builders the sandbox needs beyond the tests' ones: every part of the
// payload named by the caller, so a click or a shortcut carries the real
// message it was made on.

// ChannelPost builds the Events API body of a person's top-level message
// in channel (not in a thread).
func ChannelPost(eventID, channel, ts, user, text string) []byte {
	return mustJSON(map[string]any{
		"token": "verification_token", "team_id": TeamID, "api_app_id": "AFAKEAPP",
		"event": map[string]any{
			"client_msg_id": "c-" + eventID, "type": "message", "text": text, "user": user, "ts": ts,
			"team": TeamID, "user_team": TeamID, "source_team": TeamID, "channel": channel, "event_ts": ts,
			"channel_type": "channel",
		},
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
	})
}

// Click is one click on an element of a message's blocks.
type Click struct {
	TriggerID, User, Channel, ChannelName string
	// Message is the message clicked on (its TS, ThreadTS, Text, Blocks;
	// EphemeralTo set for an ephemeral, which Slack does not send back).
	Message                  ChannelMessage
	BlockID, ActionID, Value string
	// ElementType is the element's type: "button" (default) or
	// "static_select" (Value is the chosen option's value).
	ElementType string
	ResponseURL string
}

// BlockActions builds the block_actions payload of c, as Slack sends it
// for a message (container type "message"; is_ephemeral and no message
// for ephemerals).
func BlockActions(c Click) []byte {
	m := c.Message
	container := map[string]any{"type": "message", "message_ts": m.TS, "channel_id": c.Channel, "is_ephemeral": m.EphemeralTo != ""}
	if m.ThreadTS != "" {
		container["thread_ts"] = m.ThreadTS
	}
	action := map[string]any{"action_id": c.ActionID, "block_id": c.BlockID,
		"action_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000100"}
	switch c.ElementType {
	case "static_select":
		action["type"] = "static_select"
		action["selected_option"] = map[string]any{"text": map[string]any{"type": "plain_text", "text": c.Value}, "value": c.Value}
	default:
		action["type"] = "button"
		action["value"] = c.Value
		action["text"] = map[string]any{"type": "plain_text", "text": c.ActionID, "emoji": true}
	}
	p := map[string]any{
		"type":         "block_actions",
		"user":         map[string]any{"id": c.User, "username": c.User, "name": c.User, "team_id": TeamID},
		"api_app_id":   "AFAKEAPP",
		"token":        "verification_token",
		"container":    container,
		"trigger_id":   c.TriggerID,
		"team":         map[string]any{"id": TeamID, "domain": "fake"},
		"channel":      map[string]any{"id": c.Channel, "name": c.ChannelName},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": c.ResponseURL,
		"actions":      []any{action},
	}
	if m.EphemeralTo == "" {
		msg := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "user": m.User}
		if m.Bot {
			msg["subtype"], msg["bot_id"] = "bot_message", BotID
		}
		if m.ThreadTS != "" {
			msg["thread_ts"] = m.ThreadTS
		}
		if len(m.Blocks) > 0 {
			msg["blocks"] = json.RawMessage(m.Blocks)
		}
		p["message"] = msg
	}
	return mustJSON(p)
}

// Shortcut builds the message_action payload of the message shortcut
// callbackID used by user on message m of channel.
func Shortcut(triggerID, callbackID, user, channel, channelName string, m ChannelMessage, responseURL string) []byte {
	msg := map[string]any{"type": "message", "text": m.Text, "user": m.User, "ts": m.TS}
	if m.Bot {
		msg["bot_id"] = BotID
	}
	if m.ThreadTS != "" {
		msg["thread_ts"] = m.ThreadTS
	}
	return mustJSON(map[string]any{
		"type":                  "message_action",
		"token":                 "verification_token",
		"action_ts":             strconv.FormatInt(time.Now().Unix(), 10) + ".000300",
		"team":                  map[string]any{"id": TeamID, "domain": "fake"},
		"user":                  map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"channel":               map[string]any{"id": channel, "name": channelName},
		"is_enterprise_install": false,
		"enterprise":            nil,
		"callback_id":           callbackID,
		"trigger_id":            triggerID,
		"response_url":          responseURL,
		"message_ts":            m.TS,
		"message":               msg,
	})
}
