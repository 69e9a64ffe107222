package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// What people do in the simulated workspace: each action is what Slack
// would send switchboard for it, signed with the sandbox's signing
// secret, over HTTP.

// agentMessage is POST /sandbox/api/agent/message.
func (sb *sandbox) agentMessage(ctx context.Context, req AgentMessage) (Sent, error) {
	ch, err := sb.check(req.User, req.Channel)
	if err != nil {
		return Sent{}, err
	}
	if strings.TrimSpace(req.Text) == "" {
		return Sent{}, badRequest("a message needs text")
	}
	if req.ThreadTS != "" && !sb.hasMessage(ch.ID, req.ThreadTS) {
		return Sent{}, notFound("no message %s in #%s to reply in the thread of", req.ThreadTS, ch.Name)
	}
	// Like Slack, the message is in the channel before its event is sent.
	ts := sb.slack.PostAs(ch.ID, req.ThreadTS, req.User, req.Text)
	var body []byte
	if req.ThreadTS == "" {
		body = slacktest.ChannelPost(sb.eventID(), ch.ID, ts, req.User, req.Text)
	} else {
		body = slacktest.ThreadReply(sb.eventID(), ch.ID, req.ThreadTS, ts, req.User, req.Text)
	}
	if _, err := sb.toSlackApp(ctx, "/slack/events", "application/json", body); err != nil {
		return Sent{}, err
	}
	return Sent{ID: ts}, nil
}

// agentClick is POST /sandbox/api/agent/click.
func (sb *sandbox) agentClick(ctx context.Context, req AgentClick) (OK, error) {
	if req.ActionID == "" {
		return OK{}, badRequest("a click needs the element's action_id (and block_id)")
	}
	if req.ViewID != "" {
		view, err := sb.openView(req.User, req.ViewID)
		if err != nil {
			return OK{}, err
		}
		values := req.Values
		if req.Value != "" {
			values = withValue(values, req.BlockID, req.ActionID, req.Value)
		}
		state := stateOf(view.View, values)
		payload, err := sb.slack.ViewActionPayload(sb.slack.NewTrigger(req.User), req.User, req.ViewID, req.BlockID, req.ActionID, state)
		if err != nil {
			return OK{}, notFound("%v", err)
		}
		_, err = sb.toSlackApp(ctx, "/slack/interactivity", formType, []byte(slacktest.InteractionBody(payload)))
		return OK{OK: err == nil}, err
	}
	ch, err := sb.check(req.User, req.Channel)
	if err != nil {
		return OK{}, err
	}
	m, ok := sb.message(ch.ID, req.MessageTS, req.User)
	if !ok || (m.EphemeralTo != "") != req.Ephemeral {
		return OK{}, notFound("no message %s in #%s for %s (ephemeral: %v)", req.MessageTS, ch.Name, req.User, req.Ephemeral)
	}
	el := findElement(m.Blocks, req.BlockID, req.ActionID)
	if el == nil {
		return OK{}, notFound("message %s has no element %s/%s", req.MessageTS, req.BlockID, req.ActionID)
	}
	typ, _ := el["type"].(string)
	value := req.Value
	if value == "" {
		value, _ = el["value"].(string)
	}
	thread := m.ThreadTS
	ephemeralTS := ""
	if m.EphemeralTo != "" {
		ephemeralTS = m.TS
	}
	c := slacktest.Click{TriggerID: sb.slack.NewTrigger(req.User), User: req.User, Channel: ch.ID, ChannelName: ch.Name, Message: m,
		BlockID: req.BlockID, ActionID: req.ActionID, Value: value, ElementType: typ,
		ResponseURL: sb.slack.ResponseURLFor(sb.eventID(), req.User, ch.ID, thread, ephemeralTS)}
	_, err = sb.toSlackApp(ctx, "/slack/interactivity", formType, []byte(slacktest.InteractionBody(slacktest.BlockActions(c))))
	return OK{OK: err == nil}, err
}

// agentCommand is POST /sandbox/api/agent/command: /switchboard typed in
// a channel. Slack shows the command's answer to its author only.
func (sb *sandbox) agentCommand(ctx context.Context, req AgentCommand) (OK, error) {
	ch, err := sb.check(req.User, req.Channel)
	if err != nil {
		return OK{}, err
	}
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(req.Text), "/switchboard"))
	form := url.Values{
		"token": {"verification_token"}, "team_id": {slacktest.TeamID}, "team_domain": {"sandbox"},
		"channel_id": {ch.ID}, "channel_name": {ch.Name}, "user_id": {req.User}, "user_name": {sb.userName(req.User)},
		"command": {"/switchboard"}, "text": {text}, "api_app_id": {"AFAKEAPP"},
		"response_url": {sb.slack.ResponseURLFor(sb.eventID(), req.User, ch.ID, "", "")},
		"trigger_id":   {sb.slack.NewTrigger(req.User)},
	}
	body, err := sb.toSlackApp(ctx, "/slack/commands", formType, []byte(form.Encode()))
	if err != nil {
		return OK{}, err
	}
	if text, blocks := commandAnswer(body); text != "" || len(blocks) > 0 {
		sb.slack.AddEphemeral(ch.ID, "", req.User, text, blocks)
	}
	return OK{OK: true}, nil
}

// commandAnswer reads a slash command's immediate answer: JSON with text
// and blocks, or plain text.
func commandAnswer(body []byte) (text string, blocks json.RawMessage) {
	body = bytes.TrimSpace(body)
	var msg struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if json.Unmarshal(body, &msg) == nil {
		return msg.Text, msg.Blocks
	}
	return string(body), nil
}

// agentShortcut is POST /sandbox/api/agent/shortcut.
func (sb *sandbox) agentShortcut(ctx context.Context, req AgentShortcut) (OK, error) {
	ch, err := sb.check(req.User, req.Channel)
	if err != nil {
		return OK{}, err
	}
	if req.CallbackID == "" {
		return OK{}, badRequest("a shortcut needs its callback_id (sb_canned, sb_template_shortcut or sb_quote_reply)")
	}
	m, ok := sb.message(ch.ID, req.MessageTS, req.User)
	if !ok || m.EphemeralTo != "" {
		return OK{}, notFound("no message %s in #%s (shortcuts do not work on messages only you can see)", req.MessageTS, ch.Name)
	}
	thread := m.ThreadTS
	if thread == "" {
		thread = m.TS
	}
	payload := slacktest.Shortcut(sb.slack.NewTrigger(req.User), req.CallbackID, req.User, ch.ID, ch.Name, m,
		sb.slack.ResponseURLFor(sb.eventID(), req.User, ch.ID, thread, ""))
	_, err = sb.toSlackApp(ctx, "/slack/interactivity", formType, []byte(slacktest.InteractionBody(payload)))
	return OK{OK: err == nil}, err
}

// agentViewSubmit is POST /sandbox/api/agent/view: Slack sends the
// submission and does with the view what switchboard's answer says.
func (sb *sandbox) agentViewSubmit(ctx context.Context, req AgentViewSubmit) (OK, error) {
	view, err := sb.openView(req.User, req.ViewID)
	if err != nil {
		return OK{}, err
	}
	payload, err := sb.slack.ViewSubmissionPayload(sb.slack.NewTrigger(req.User), req.User, req.ViewID, stateOf(view.View, req.Values))
	if err != nil {
		return OK{}, notFound("%v", err)
	}
	answer, err := sb.toSlackApp(ctx, "/slack/interactivity", formType, []byte(slacktest.InteractionBody(payload)))
	if err != nil {
		return OK{}, err
	}
	if _, _, err := sb.slack.ApplyViewResponse(req.ViewID, answer); err != nil {
		return OK{}, fmt.Errorf("switchboard's answer to the form: %w", err)
	}
	return OK{OK: true}, nil
}

// agentViewClose is POST /sandbox/api/agent/view/close.
func (sb *sandbox) agentViewClose(_ context.Context, req AgentViewClose) (OK, error) {
	if err := sb.slack.CloseView(req.User, req.ViewID); err != nil {
		return OK{}, notFound("%v", err)
	}
	return OK{OK: true}, nil
}

// agentReact is POST /sandbox/api/agent/react.
func (sb *sandbox) agentReact(ctx context.Context, req AgentReact) (OK, error) {
	ch, err := sb.check(req.User, req.Channel)
	if err != nil {
		return OK{}, err
	}
	name := strings.Trim(req.Name, ":")
	if name == "" {
		return OK{}, badRequest("a reaction needs the emoji's Slack name, e.g. thumbsup")
	}
	m, ok := sb.message(ch.ID, req.TS, req.User)
	if !ok || m.EphemeralTo != "" {
		return OK{}, notFound("no message %s in #%s to react to", req.TS, ch.Name)
	}
	if err := sb.slack.React(ch.ID, req.TS, req.User, name, req.Added); err != nil {
		return OK{}, badRequest("Slack refuses the reaction: %v", err)
	}
	body := slacktest.ReactionEvent(sb.eventID(), req.User, name, ch.ID, req.TS, m.User, req.Added)
	_, err = sb.toSlackApp(ctx, "/slack/events", "application/json", body)
	return OK{OK: err == nil}, err
}

const formType = "application/x-www-form-urlencoded"

// toSlackApp posts a signed request to switchboard's Slack endpoint path
// and returns the answer's body. Like Slack, it retries an event that was
// not acknowledged (up to three times, with X-Slack-Retry-Num); other
// requests are tried once.
func (sb *sandbox) toSlackApp(ctx context.Context, path, contentType string, body []byte) ([]byte, error) {
	retries := 0
	if path == "/slack/events" {
		retries = 3
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sb.appURL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		sig, ts := slacktest.Sign(sb.keys.signingSecret, time.Now(), body)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Slack-Signature", sig)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		if attempt > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(attempt))
			req.Header.Set("X-Slack-Retry-Reason", "http_error")
		}
		resp, err := sb.client.Do(req)
		var answer []byte
		if err == nil {
			answer, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return answer, nil
			}
			err = fmt.Errorf("switchboard answered %s to %s: %s", resp.Status, path, bytes.TrimSpace(answer))
			if resp.StatusCode < 500 {
				return nil, err
			}
		}
		if attempt >= retries {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 500 * time.Millisecond):
		}
	}
}

// eventID is a new Events API event_id (also used for response_url ids).
func (sb *sandbox) eventID() string {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return fmt.Sprintf("EvSBX%d%05d", sb.start, sb.nextLocked())
}

// check finds the channel and makes sure the user is one of the
// workspace's people.
func (sb *sandbox) check(user, channel string) (Channel, error) {
	if sb.userName(user) == "" {
		return Channel{}, badRequest("user must be one of the workspace's people (%s), got %q", userList(), user)
	}
	for _, c := range seedChannels {
		if c.ID == channel {
			return c, nil
		}
	}
	return Channel{}, badRequest("channel must be one of the workspace's channels (%s, %s), got %q", supportChannel, salesChannel, channel)
}

func (sb *sandbox) userName(id string) string {
	for _, u := range seedUsers {
		if u.ID == id {
			return u.Name
		}
	}
	return ""
}

func userList() string {
	var ids []string
	for _, u := range seedUsers {
		ids = append(ids, u.ID+" "+u.Name)
	}
	return strings.Join(ids, ", ")
}

// message finds the message ts of channel that user can see.
func (sb *sandbox) message(channel, ts, user string) (slacktest.ChannelMessage, bool) {
	for _, m := range sb.slack.History() {
		if m.Channel == channel && m.TS == ts && (m.EphemeralTo == "" || m.EphemeralTo == user) {
			return m, true
		}
	}
	return slacktest.ChannelMessage{}, false
}

func (sb *sandbox) hasMessage(channel, ts string) bool {
	for _, m := range sb.slack.History() {
		if m.Channel == channel && m.TS == ts && m.EphemeralTo == "" {
			return true
		}
	}
	return false
}

// openView finds user's open modal id.
func (sb *sandbox) openView(user, id string) (OpenView, error) {
	for _, v := range sb.slack.OpenViews() {
		if v.ID == id && v.User == user {
			return OpenView{ID: v.ID, User: v.User, View: v.JSON}, nil
		}
	}
	return OpenView{}, notFound("no open view %q for %q", id, user)
}
