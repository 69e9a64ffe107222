package slacktest

import (
	"encoding/json"
	"net/http"
	"time"
)

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
func (s *Server) WaitForResponses(t TB, pred func([]Response) bool, timeout time.Duration) []Response {
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
	s.landResponse(r.PathValue("id"), raw, msg.Text, msg.ReplaceOriginal, msg.DeleteOriginal)
	s.bump()
	s.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}
