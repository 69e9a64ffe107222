package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// ViewUpdates returns the views.update calls so far (View.ID is the
// view_id updated).
func (s *Server) ViewUpdates() []View { return snapshot(s, &s.viewUpdates) }

// WaitForViewUpdates waits until pred holds for the views.update calls.
func (s *Server) WaitForViewUpdates(t testing.TB, pred func([]View) bool, timeout time.Duration) []View {
	t.Helper()
	return waitFor(t, s, &s.viewUpdates, pred, timeout, "view updates")
}

// WaitForViews waits until pred holds for the modals opened.
func (s *Server) WaitForViews(t testing.TB, pred func([]View) bool, timeout time.Duration) []View {
	t.Helper()
	return waitFor(t, s, &s.views, pred, timeout, "views")
}

// updateView answers views.update as Slack does: the view must have been
// opened, and a hash, when given, must be the view's current one (a
// stale hash is hash_conflict). mu held.
func (s *Server) updateView(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ViewID string          `json:"view_id"`
		Hash   string          `json:"hash"`
		View   json.RawMessage `json:"view"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ViewID == "" || len(body.View) == 0 {
		slackErr(w, "invalid_arguments")
		return
	}
	current := ""
	for _, v := range s.views {
		if v.ID == body.ViewID {
			current = "h-" + v.ID
		}
	}
	for _, v := range s.viewUpdates {
		if v.ID == body.ViewID {
			current = v.TriggerID // the hash handed out by the last update
		}
	}
	switch {
	case current == "":
		slackErr(w, "not_found")
		return
	case body.Hash != "" && body.Hash != current:
		slackErr(w, "hash_conflict")
		return
	}
	hash := fmt.Sprintf("h-%s-%d", body.ViewID, s.nextSeq())
	s.viewUpdates = append(s.viewUpdates, View{ID: body.ViewID, TriggerID: hash, JSON: body.View})
	reply(w, map[string]any{"ok": true, "view": map[string]any{"id": body.ViewID, "hash": hash}})
}

// Response is one message posted to a response_url.
type Response struct {
	ID              string // the response_url's id
	Text            string
	ReplaceOriginal bool
	DeleteOriginal  bool
	JSON            json.RawMessage
}

// ResponseURL hands out a response_url that records what is posted to it,
// as Slack's hooks.slack.com/actions/… URLs of interactions do.
func (s *Server) ResponseURL(id string) string { return s.srv.URL + "/actions/" + id }

// Responses returns what was posted to response_urls.
func (s *Server) Responses() []Response { return snapshot(s, &s.responses) }

// WaitForResponses waits until pred holds for the response_url posts.
func (s *Server) WaitForResponses(t testing.TB, pred func([]Response) bool, timeout time.Duration) []Response {
	t.Helper()
	return waitFor(t, s, &s.responses, pred, timeout, "response_url posts")
}

func (s *Server) respond(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	var msg struct {
		Text            string `json:"text"`
		ReplaceOriginal bool   `json:"replace_original"`
		DeleteOriginal  bool   `json:"delete_original"`
	}
	_ = json.Unmarshal(raw, &msg)
	s.mu.Lock()
	s.responses = append(s.responses, Response{ID: r.PathValue("id"), Text: msg.Text, ReplaceOriginal: msg.ReplaceOriginal,
		DeleteOriginal: msg.DeleteOriginal, JSON: raw})
	s.changed.Broadcast()
	s.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}
