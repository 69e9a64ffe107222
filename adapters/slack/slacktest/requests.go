package slacktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Sign returns the X-Slack-Signature and X-Slack-Request-Timestamp values
// Slack would send for body at ts.
func Sign(secret string, ts time.Time, body []byte) (sigHeader, tsHeader string) {
	tsHeader = strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + tsHeader + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil)), tsHeader
}

// PostSigned posts body to url signed with secret at the current time.
// The response body is closed when the test ends.
func PostSigned(t TB, url, secret, contentType string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("slacktest: %v", err)
	}
	sig, ts := Sign(secret, time.Now(), body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("slacktest: post %s: %v", url, err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// PostEvent posts an Events API body as Slack does.
func PostEvent(t TB, url, secret string, body []byte) *http.Response {
	t.Helper()
	return PostSigned(t, url, secret, "application/json", body)
}

// PostInteraction posts an interactivity payload as the form field
// payload, as Slack does.
func PostInteraction(t TB, url, secret string, payloadJSON []byte) *http.Response {
	t.Helper()
	body := []byte(InteractionBody(payloadJSON))
	return PostSigned(t, url, secret, "application/x-www-form-urlencoded", body)
}

// InteractionBody is the form body carrying payloadJSON.
func InteractionBody(payloadJSON []byte) string {
	return url.Values{"payload": {string(payloadJSON)}}.Encode()
}

// PostSlashCommand posts a slash command's form fields.
func PostSlashCommand(t TB, url, secret string, form url.Values) *http.Response {
	t.Helper()
	return PostSigned(t, url, secret, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// ThreadReply builds the Events API body of a person's reply in a thread,
// shaped like Slack's (and the message_thread_reply_user fixture).
func ThreadReply(eventID, channel, threadTS, ts, user, text string) []byte {
	return ThreadReplyFrom(eventID, channel, threadTS, ts, user, TeamID, text)
}

// ThreadReplyFrom is ThreadReply by a user of workspace userTeam: another
// team id than TeamID is a Slack Connect guest.
func ThreadReplyFrom(eventID, channel, threadTS, ts, user, userTeam, text string) []byte {
	return mustJSON(map[string]any{
		"token":      "verification_token",
		"team_id":    TeamID,
		"api_app_id": "AFAKEAPP",
		"event": map[string]any{
			"client_msg_id":  "c-" + eventID,
			"type":           "message",
			"text":           text,
			"user":           user,
			"ts":             ts,
			"team":           userTeam,
			"user_team":      userTeam,
			"source_team":    TeamID,
			"thread_ts":      threadTS,
			"parent_user_id": BotUserID,
			"channel":        channel,
			"event_ts":       ts,
			"channel_type":   "channel",
		},
		"type":       "event_callback",
		"event_id":   eventID,
		"event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
	})
}

// SharedFile is one files[] entry of a file_share message event.
type SharedFile struct {
	ID, Name, Mimetype string
	Size               int64
	// URL is the url_private_download (AddFile hands one out).
	URL string
	// User uploaded the file; BotUserID for files our bot uploaded.
	User string
}

// FileShare builds the Events API body of a file_share message in a thread,
// shaped like Slack's (the message_file_share fixture): user shared files
// with text. When user is BotUserID this is the event Slack sends after our
// own files v2 upload into a thread.
func FileShare(eventID, channel, threadTS, ts, user, text string, files ...SharedFile) []byte {
	fs := make([]map[string]any, 0, len(files))
	for _, f := range files {
		fs = append(fs, map[string]any{
			"id": f.ID, "created": time.Now().Unix(), "timestamp": time.Now().Unix(),
			"name": f.Name, "title": f.Name, "mimetype": f.Mimetype, "filetype": "", "pretty_type": "",
			"user": f.User, "editable": false, "size": f.Size, "mode": "hosted", "is_external": false,
			"external_type": "", "is_public": true, "public_url_shared": false, "display_as_bot": false,
			"username": "", "url_private": f.URL, "url_private_download": f.URL,
			"permalink": "https://fake.slack.com/files/" + f.User + "/" + f.ID + "/" + f.Name,
		})
	}
	event := map[string]any{
		"type":           "message",
		"subtype":        "file_share",
		"text":           text,
		"files":          fs,
		"upload":         false,
		"user":           user,
		"display_as_bot": false,
		"ts":             ts,
		"thread_ts":      threadTS,
		"channel":        channel,
		"event_ts":       ts,
		"channel_type":   "channel",
	}
	if user != BotUserID {
		event["client_msg_id"] = "c-" + eventID
	}
	return mustJSON(map[string]any{
		"token": "verification_token", "team_id": TeamID, "api_app_id": "AFAKEAPP",
		"event": event, "type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
	})
}

// MemberJoined builds the member_joined_channel event Slack sends when user
// (of workspace team; TeamID for our own) joins channel.
func MemberJoined(eventID, channel, user, team string) []byte {
	return memberEvent("member_joined_channel", eventID, channel, user, team)
}

// MemberLeft builds the member_left_channel event for user leaving channel.
func MemberLeft(eventID, channel, user, team string) []byte {
	return memberEvent("member_left_channel", eventID, channel, user, team)
}

func memberEvent(kind, eventID, channel, user, team string) []byte {
	ev := map[string]any{"type": kind, "user": user, "channel": channel, "channel_type": "C", "team": team,
		"event_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000200"}
	if kind == "member_joined_channel" {
		ev["inviter"] = "U0INVITER1"
	}
	return mustJSON(map[string]any{
		"token": "verification_token", "team_id": TeamID, "api_app_id": "AFAKEAPP", "event": ev,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID, "is_bot": true, "is_enterprise_install": false,
		}},
	})
}

// ButtonClick builds a block_actions payload for one button on a message
// in channel whose ts is messageTS (the card, for our status cards).
func ButtonClick(triggerID, user, channel, messageTS, actionID, value string) []byte {
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id": "AFAKEAPP",
		"token":      "verification_token",
		"container": map[string]any{
			"type": "message", "message_ts": messageTS, "channel_id": channel, "is_ephemeral": false,
		},
		"trigger_id": triggerID,
		"team":       map[string]any{"id": TeamID, "domain": "fake"},
		"channel":    map[string]any{"id": channel, "name": "support"},
		"message": map[string]any{
			"type": "message", "subtype": "bot_message", "text": "card", "ts": messageTS, "bot_id": BotID,
		},
		"response_url": "https://hooks.slack.com/actions/" + TeamID + "/1/fake",
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": "sb_actions", "value": value, "type": "button",
			"text":      map[string]any{"type": "plain_text", "text": actionID, "emoji": true},
			"action_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000100",
		}},
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of plain values: cannot fail
	}
	return b
}

// PrivateButtonClick builds the block_actions payload of a button on an
// ephemeral message (chat.postEphemeral) in the thread threadTS: Slack
// sends no message for those, marks the container is_ephemeral, and
// gives a response_url that can replace or delete the message.
func PrivateButtonClick(triggerID, user, channel, threadTS, ephemeralTS, actionID, value, responseURL string) []byte {
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id": "AFAKEAPP",
		"token":      "verification_token",
		"container": map[string]any{
			"type": "message", "message_ts": ephemeralTS, "channel_id": channel, "is_ephemeral": true, "thread_ts": threadTS,
		},
		"trigger_id":   triggerID,
		"team":         map[string]any{"id": TeamID, "domain": "fake"},
		"channel":      map[string]any{"id": channel, "name": "support"},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": responseURL,
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": "sb_private", "value": value, "type": "button",
			"text":      map[string]any{"type": "plain_text", "text": "Send", "emoji": true},
			"action_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000200",
		}},
	})
}

// MessageShortcut builds the message_action payload of a message shortcut
// (callbackID) used on the message ts of channel; threadTS is the
// message's thread ("" for a top-level message such as a card).
func MessageShortcut(triggerID, callbackID, user, channel, ts, threadTS, responseURL string) []byte {
	return Shortcut(triggerID, callbackID, user, channel, "support",
		ChannelMessage{Channel: channel, TS: ts, ThreadTS: threadTS, User: user, Text: "a message"}, responseURL)
}

// modalView is the view object of interaction payloads from a modal.
func modalView(view View, hash string, values map[string]any) map[string]any {
	var opened struct {
		CallbackID      string          `json:"callback_id"`
		PrivateMetadata string          `json:"private_metadata"`
		Blocks          json.RawMessage `json:"blocks"`
	}
	_ = json.Unmarshal(view.JSON, &opened)
	return map[string]any{
		"id": view.ID, "team_id": TeamID, "type": "modal", "callback_id": opened.CallbackID,
		"private_metadata": opened.PrivateMetadata, "blocks": opened.Blocks, "hash": hash,
		"state": map[string]any{"values": values}, "app_id": "AFAKEAPP", "bot_id": BotID,
	}
}

// selected is the state value of a static select with value chosen.
func selected(value string) map[string]any {
	return map[string]any{"type": "static_select",
		"selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": value}, "value": value}}
}

// ModalMenuChoice builds the block_actions payload of choosing value in a
// static select (blockID, actionID) of an opened modal whose input block
// dispatches actions; hash is the view's current hash.
func ModalMenuChoice(triggerID, user string, view View, hash, blockID, actionID, value string) []byte {
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id": "AFAKEAPP",
		"token":      "verification_token",
		"container":  map[string]any{"type": "view", "view_id": view.ID},
		"trigger_id": triggerID,
		"team":       map[string]any{"id": TeamID, "domain": "fake"},
		"view":       modalView(view, hash, map[string]any{blockID: map[string]any{actionID: selected(value)}}),
		"actions": []map[string]any{{
			"type": "static_select", "action_id": actionID, "block_id": blockID,
			"selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": value}, "value": value},
			"action_ts":       strconv.FormatInt(time.Now().Unix(), 10) + ".000400",
		}},
	})
}

// ModalSubmission builds the view_submission payload of submitting an
// opened modal with value chosen in the static select (blockID,
// actionID); value "" submits nothing chosen.
func ModalSubmission(triggerID, user string, view View, hash, blockID, actionID, value string) []byte {
	values := map[string]any{}
	if value != "" {
		values[blockID] = map[string]any{actionID: selected(value)}
	}
	return mustJSON(map[string]any{
		"type":          "view_submission",
		"team":          map[string]any{"id": TeamID, "domain": "fake"},
		"user":          map[string]any{"id": user, "username": user, "name": user, "team_id": TeamID},
		"api_app_id":    "AFAKEAPP",
		"token":         "verification_token",
		"trigger_id":    triggerID,
		"view":          modalView(view, hash, values),
		"response_urls": []any{},
	})
}
