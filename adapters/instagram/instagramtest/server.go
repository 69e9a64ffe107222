// Package instagramtest is a fake Instagram messaging API that the real
// instagram.Client runs against unchanged — both Instagram Login's paths
// (graph.instagram.com/{version}/{IG_ID}/messages) and the Page's
// (graph.facebook.com/{version}/{PAGE_ID}/messages) on one server — plus
// helpers that build and sign webhook deliveries as Meta sends them
// (webhook.go). It speaks the real wire format, records what it received,
// keeps Instagram's windows and can be told to fail. Nothing in the
// binary may import it, and it must never import testing.
package instagramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// TB is the part of testing.TB the fake uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Send is one POST /{version}/{id}/messages as the fake understood it.
type Send struct {
	// Path is the request path, e.g. "/v23.0/17841400000000001/messages".
	Path string
	// SenderID is the {id} of the path: the IG account id (Instagram
	// Login) or the Page id (through a Page).
	SenderID      string
	Recipient     string
	MessagingType string
	Tag           string
	Text          string
	// SenderAction and ReactionTarget are set for react/unreact calls.
	SenderAction   string
	ReactionTarget string
	Reaction       string
	// MID is the id the fake answered with ("" for sender actions).
	MID string
	// Raw is the body exactly as received.
	Raw json.RawMessage
}

// Failure is a scripted error answer in Graph's real error JSON. Status 0
// means 400. The zero Failure lets its call through.
type Failure struct {
	Status     int
	Code       int
	Subcode    int
	Message    string
	Type       string // default "IGApiException"
	Transient  bool
	RetryAfter string
}

// WindowClosed is the answer Instagram gives to a send outside the
// allowed window (code 10, subcode 2534022, HTTP 403; as reported from
// graph.instagram.com in https://github.com/ComposioHQ/composio/issues/3604).
var WindowClosed = Failure{Status: http.StatusForbidden, Code: 10, Subcode: 2534022,
	Message: "This message is sent outside of allowed window.", Type: "IGApiException"}

// Profile is what GET /{IGSID}?fields=name,username answers.
type Profile struct {
	Name     string `json:"name,omitempty"`
	Username string `json:"username,omitempty"`
}

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	// URL is the base to give instagram.Client.BaseURL and PageBaseURL.
	URL string

	srv *httptest.Server

	mu        sync.Mutex
	tokens    map[string]string // sender id (account or Page) → token
	changed   chan struct{}
	sends     []Send
	failures  []Failure
	profiles  map[string]Profile
	lastMsg   map[string]time.Time // IGSID → customer's last message
	media     map[string][]byte
	messages  map[string]string // mid → sender IGSID (GET /{mid}?fields=from)
	seq       int
	now       func() time.Time
	downloads int
}

// New starts a fake that stops when the test ends.
func New(t TB) *Server {
	t.Helper()
	s := &Server{tokens: map[string]string{}, changed: make(chan struct{}), profiles: map[string]Profile{},
		lastMsg: map[string]time.Time{}, media: map[string][]byte{}, messages: map[string]string{}, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{version}/{id}/messages", s.handleMessages)
	mux.HandleFunc("GET /{version}/{igsid}", s.handleProfile)
	mux.HandleFunc("GET /cdn/{name}", s.handleCDN)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// AddAccount makes id (an IG account id, or a Page id for accounts sent
// through a Page) accept token.
func (s *Server) AddAccount(id, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[id] = token
}

// AddProfile registers a customer's profile.
func (s *Server) AddProfile(igsid string, p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[igsid] = p
}

// AddMessage makes GET /{mid}?fields=from name igsid as the sender of
// mid (a customer's message, as Instagram's Conversations API answers).
func (s *Server) AddMessage(mid, igsid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages[mid] = igsid
}

// CustomerWrote records when igsid last wrote: sends to it follow
// Instagram's windows from then on (24 h, then 7 days with HUMAN_AGENT).
// A customer never recorded has an open window.
func (s *Server) CustomerWrote(igsid string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastMsg[igsid] = at
}

// AddMedia serves data at URL+"/cdn/"+name (an attachment's CDN link) and
// returns that link.
func (s *Server) AddMedia(name string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[name] = data
	return s.URL + "/cdn/" + name
}

// Script queues failures answered, in order, by the next message calls.
func (s *Server) Script(failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failures...)
}

// Sends returns the recorded sends.
func (s *Server) Sends() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Send(nil), s.sends...)
}

// Downloads is how many CDN fetches were served.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

// WaitForSends waits until at least n sends are recorded and returns
// them; it wakes on each send and fails the test after timeout.
func (s *Server) WaitForSends(t TB, n int, timeout time.Duration) []Send {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.sends) >= n {
			out := append([]Send(nil), s.sends...)
			s.mu.Unlock()
			return out
		}
		ch, have := s.changed, len(s.sends)
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("instagramtest: waited %s for %d sends, got %d", timeout, n, have)
			return nil
		}
	}
}

type wireSend struct {
	Recipient struct {
		ID string `json:"id"`
	} `json:"recipient"`
	MessagingType string `json:"messaging_type"`
	Tag           string `json:"tag"`
	Message       *struct {
		Text       string          `json:"text"`
		Attachment json.RawMessage `json:"attachment"`
	} `json:"message"`
	SenderAction string `json:"sender_action"`
	Payload      *struct {
		MessageID string `json:"message_id"`
		Reaction  string `json:"reaction"`
	} `json:"payload"`
}

func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.authorized(w, r, id) {
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, Failure{Code: 100, Message: "(#100) could not read the body"})
		return
	}
	var in wireSend
	if err := json.Unmarshal(raw, &in); err != nil {
		writeError(w, Failure{Code: 100, Message: "(#100) Invalid JSON"})
		return
	}
	if f, ok := s.nextFailure(); ok {
		writeError(w, f)
		return
	}
	send := Send{Path: r.URL.Path, SenderID: id, Recipient: in.Recipient.ID, MessagingType: in.MessagingType,
		Tag: in.Tag, SenderAction: in.SenderAction, Raw: raw}
	switch {
	case in.Recipient.ID == "":
		writeError(w, Failure{Code: 100, Message: "(#100) The parameter recipient is required"})
		return
	case in.SenderAction != "":
		if in.Payload != nil {
			send.ReactionTarget, send.Reaction = in.Payload.MessageID, in.Payload.Reaction
		}
		s.record(send)
		writeJSON(w, http.StatusOK, map[string]any{"recipient_id": in.Recipient.ID})
		return
	case in.Message == nil || (in.Message.Text == "" && len(in.Message.Attachment) == 0):
		writeError(w, Failure{Code: 100, Message: "(#100) The parameter message is required"})
		return
	case len(in.Message.Text) >= 1000 || !utf8.ValidString(in.Message.Text):
		writeError(w, Failure{Code: 100, Message: "(#100) Length of param message[text] must be less than or equal to 1000"})
		return
	case in.Tag != "" && (in.MessagingType != "MESSAGE_TAG" || in.Tag != "HUMAN_AGENT"):
		writeError(w, Failure{Code: 100, Message: "(#100) Invalid tag"})
		return
	}
	if f, closed := s.windowRefusal(in.Recipient.ID, in.Tag == "HUMAN_AGENT"); closed {
		writeError(w, f)
		return
	}
	send.Text = in.Message.Text
	send.MID = s.nextMID()
	s.record(send)
	writeJSON(w, http.StatusOK, map[string]any{"recipient_id": in.Recipient.ID, "message_id": send.MID})
}

// windowRefusal applies Instagram's windows: 24 h after the customer's
// last message, 7 days for a HUMAN_AGENT-tagged send.
func (s *Server) windowRefusal(igsid string, humanAgent bool) (Failure, bool) {
	s.mu.Lock()
	last, ok := s.lastMsg[igsid]
	now := s.now()
	s.mu.Unlock()
	if !ok {
		return Failure{}, false
	}
	limit := 24 * time.Hour
	if humanAgent {
		limit = 7 * 24 * time.Hour
	}
	return WindowClosed, now.Sub(last) >= limit
}

func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	if !s.anyToken(r) {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token", Type: "OAuthException"})
		return
	}
	igsid := r.PathValue("igsid")
	s.mu.Lock()
	p, ok := s.profiles[igsid]
	from, isMessage := s.messages[igsid]
	s.mu.Unlock()
	if isMessage {
		writeJSON(w, http.StatusOK, map[string]any{"id": igsid, "from": map[string]any{"id": from}})
		return
	}
	if !ok {
		writeError(w, Failure{Code: 100, Subcode: 33, Message: "Unsupported get request. Object with ID '" + igsid + "' does not exist"})
		return
	}
	out := map[string]any{"id": igsid}
	for _, f := range strings.Split(r.URL.Query().Get("fields"), ",") {
		switch f {
		case "name":
			out["name"] = p.Name
		case "username":
			out["username"] = p.Username
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCDN(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" {
		// A CDN link carries its own signature: a token sent along is a leak.
		http.Error(w, "no credentials on CDN links", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	data, ok := s.media[r.PathValue("name")]
	if ok {
		s.downloads++
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "URL signature expired", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(data))
	_, _ = w.Write(data)
}

// authorized checks the Bearer token of the sender id in the path, as the
// Graph API does: an unknown token is code 190.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, id string) bool {
	s.mu.Lock()
	want, ok := s.tokens[id]
	s.mu.Unlock()
	if !ok || r.Header.Get("Authorization") != "Bearer "+want {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token", Type: "OAuthException"})
		return false
	}
	return true
}

func (s *Server) anyToken(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tok := range s.tokens {
		if r.Header.Get("Authorization") == "Bearer "+tok {
			return true
		}
	}
	return false
}

func (s *Server) nextFailure() (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) == 0 {
		return Failure{}, false
	}
	f := s.failures[0]
	s.failures = s.failures[1:]
	return f, f != (Failure{})
}

// nextMID hands out unique mids shaped like Instagram's (base64-ish).
func (s *Server) nextMID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAw%d", s.seq)
}

func (s *Server) record(send Send) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sends = append(s.sends, send)
	close(s.changed)
	s.changed = make(chan struct{})
}

func writeError(w http.ResponseWriter, f Failure) {
	status := f.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	typ := f.Type
	if typ == "" {
		typ = "IGApiException"
	}
	msg := f.Message
	if msg == "" {
		msg = fmt.Sprintf("(#%d) scripted failure", f.Code)
	}
	e := map[string]any{"message": msg, "type": typ, "code": f.Code, "fbtrace_id": "AbCdEfFakeTrace"}
	if f.Subcode != 0 {
		e["error_subcode"] = f.Subcode
	}
	if f.Transient {
		e["is_transient"] = true
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
