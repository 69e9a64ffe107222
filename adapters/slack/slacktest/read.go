package slacktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// Reading a channel or a thread back, as Slack answers conversations.history
// and conversations.replies: messages people see (no ephemerals), filtered
// by oldest/latest (exclusive unless inclusive=1), one page of limit, with
// has_more. A message's metadata is included only when the caller asks
// with include_all_metadata, as Slack does.

// validMetadata checks the shape chat.postMessage accepts for metadata:
// an object with a non-empty event_type and an object event_payload.
func validMetadata(raw json.RawMessage) bool {
	var md struct {
		EventType    string          `json:"event_type"`
		EventPayload json.RawMessage `json:"event_payload"`
	}
	if err := json.Unmarshal(raw, &md); err != nil || md.EventType == "" {
		return false
	}
	var payload map[string]any
	return json.Unmarshal(md.EventPayload, &payload) == nil && payload != nil
}

// readWindow is the oldest/latest/inclusive/limit of a read call.
type readWindow struct {
	oldest, latest string
	inclusive      bool
	limit          int
	metadata       bool
}

func windowFrom(r *http.Request, defaultLimit int) readWindow {
	w := readWindow{oldest: r.FormValue("oldest"), latest: r.FormValue("latest"),
		inclusive: r.FormValue("inclusive") == "1" || r.FormValue("inclusive") == "true",
		metadata:  r.FormValue("include_all_metadata") == "1" || r.FormValue("include_all_metadata") == "true",
		limit:     defaultLimit}
	if n, err := strconv.Atoi(r.FormValue("limit")); err == nil && n > 0 {
		w.limit = min(n, 1000)
	}
	return w
}

func (w readWindow) holds(ts string) bool {
	if w.oldest != "" {
		if c := compareTS(ts, w.oldest); c < 0 || (c == 0 && !w.inclusive) {
			return false
		}
	}
	if w.latest != "" {
		if c := compareTS(ts, w.latest); c > 0 || (c == 0 && !w.inclusive) {
			return false
		}
	}
	return true
}

func (w readWindow) render(m ChannelMessage) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "user": m.User}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Bot {
		out["bot_id"] = BotID
	}
	if m.Username != "" {
		out["username"] = m.Username
	}
	if len(m.Blocks) > 0 {
		out["blocks"] = m.Blocks
	}
	if w.metadata && len(m.Metadata) > 0 {
		out["metadata"] = m.Metadata
	}
	return out
}

// page answers one page of msgs (already in Slack's order).
func (w readWindow) page(rw http.ResponseWriter, msgs []ChannelMessage) {
	more := len(msgs) > w.limit
	if more {
		msgs = msgs[:w.limit]
	}
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, w.render(m))
	}
	reply(rw, map[string]any{"ok": true, "messages": out, "has_more": more,
		"response_metadata": map[string]any{"next_cursor": ""}})
}

// conversationReplies answers conversations.replies: the thread's parent
// and replies, oldest first. mu is held.
func (s *Server) conversationReplies(w http.ResponseWriter, r *http.Request) {
	channel, ts := r.FormValue("channel"), r.FormValue("ts")
	if channel == "" {
		slackErr(w, "channel_not_found")
		return
	}
	win := windowFrom(r, 1000)
	var thread []ChannelMessage
	found := false
	for _, m := range s.historyLocked() {
		if m.Channel != channel || m.EphemeralTo != "" {
			continue
		}
		if m.TS == ts {
			found = true
		}
		if (m.TS == ts || m.ThreadTS == ts) && win.holds(m.TS) {
			thread = append(thread, m)
		}
	}
	if !found {
		slackErr(w, "thread_not_found")
		return
	}
	win.page(w, thread)
}

// conversationHistory answers conversations.history: the channel's
// top-level messages (thread parents included, replies not), newest
// first. mu is held.
func (s *Server) conversationHistory(w http.ResponseWriter, r *http.Request) {
	channel := r.FormValue("channel")
	if channel == "" {
		slackErr(w, "channel_not_found")
		return
	}
	win := windowFrom(r, 100)
	var top []ChannelMessage
	for _, m := range s.historyLocked() {
		if m.Channel == channel && m.EphemeralTo == "" && (m.ThreadTS == "" || m.ThreadTS == m.TS) && win.holds(m.TS) {
			top = append(top, m)
		}
	}
	slices.Reverse(top)
	win.page(w, top)
}
