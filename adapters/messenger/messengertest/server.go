// Package messengertest is a fake Messenger Platform (Graph API) that the
// real messenger.Client runs against over loopback, and helpers that post
// signed Page webhooks to the app as Meta does. It speaks the documented
// wire format: the Send API body and its {recipient_id, message_id}
// answer, Graph error objects, the Attachment Upload API, the User Profile
// API, and a CDN route for attachments customers send.
package messengertest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
)

// TB is the part of testing.TB the fake uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// DefaultToken is the Page access token the fake accepts unless told
// otherwise (Server.Tokens).
const DefaultToken = "page-token"

// DefaultAppID is the app id the fake puts on echoes of the client's sends.
const DefaultAppID = "1517776481860111"

// Send is one Send API call the fake accepted.
type Send struct {
	Page  string
	Token string
	Body  metamsg.SendRequest
	Raw   json.RawMessage
	MID   string // "" for sender actions
}

// Upload is one Attachment Upload API call.
type Upload struct {
	Page         string
	Type         string
	MimeType     string
	Filename     string
	Data         []byte
	AttachmentID string
}

// Failure is a scripted Graph error answer; Status 0 means 400.
type Failure struct {
	Status     int
	Code       int
	Subcode    int
	Message    string
	Transient  bool
	RetryAfter string
}

// WindowClosed is the answer to a send outside the 24-hour window (or
// after the HUMAN_AGENT tag's 7 days), as the Send API gives it.
func WindowClosed() Failure {
	return Failure{Code: 10, Subcode: metamsg.SubcodeOutsideWindow, Message: "(#10) This message is sent outside of allowed window."}
}

// Server is the fake Graph API. Methods are safe for concurrent use.
type Server struct {
	URL string
	// Tokens are the Page tokens accepted, by Page id; a Page not listed
	// accepts DefaultToken.
	Tokens map[string]string

	srv *httptest.Server

	mu        sync.Mutex
	changed   chan struct{}
	sends     []Send
	uploads   []Upload
	failures  []Failure
	profiles  map[string][2]string // PSID → first, last name
	senders   map[string]string    // mid → sender id, for GET /{mid}?fields=from
	cdn       map[string]cdnFile
	seq       int
	echo      *echoTarget
	echoes    sync.WaitGroup
	closed    bool
	downloads int
	// echoed counts echo webhooks the app acknowledged, echoFailed those
	// it did not.
	echoed, echoFailed int
}

type cdnFile struct {
	mime string
	data []byte
}

type echoTarget struct {
	url, appSecret, appID string
}

// New starts a fake that stops when the test ends.
func New(t TB) *Server {
	t.Helper()
	s := &Server{Tokens: map[string]string{}, changed: make(chan struct{}), profiles: map[string][2]string{},
		senders: map[string]string{}, cdn: map[string]cdnFile{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{version}/{page}/messages", s.handleMessages)
	mux.HandleFunc("POST /{version}/{page}/message_attachments", s.handleUpload)
	mux.HandleFunc("GET /cdn/{name}", s.handleCDN)
	mux.HandleFunc("GET /{version}/{id}", s.handleNode)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the fake after the echoes in flight.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.echoes.Wait()
	s.srv.Close()
}

// EchoTo makes the fake post, after every message it accepts, the
// message_echoes webhook Meta sends (with appID, and the metadata the
// client set) to url, signed with appSecret.
func (s *Server) EchoTo(url, appSecret, appID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo = &echoTarget{url: url, appSecret: appSecret, appID: appID}
}

// Script queues failures answered in order by the next calls.
func (s *Server) Script(failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failures...)
}

// FailNext makes the next n calls answer status with Graph error code.
func (s *Server) FailNext(n, status, code int, retryAfter string) {
	for range n {
		s.Script(Failure{Status: status, Code: code, RetryAfter: retryAfter, Transient: status >= 500})
	}
}

// AddProfile makes GET /{psid} answer the customer's name.
func (s *Server) AddProfile(psid, first, last string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[psid] = [2]string{first, last}
}

// AddMessage tells the fake that mid was sent by sender (the webhook
// helpers call it), so GET /{mid}?fields=from can answer.
func (s *Server) AddMessage(mid, sender string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.senders[mid] = sender
}

// AddAttachment serves data at a CDN URL, returned, as a customer's
// attachment.
func (s *Server) AddAttachment(name, mimeType string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cdn[name] = cdnFile{mime: mimeType, data: data}
	return s.URL + "/cdn/" + name
}

// Sends are the accepted Send API calls, in order.
func (s *Server) Sends() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Send(nil), s.sends...)
}

// Uploads are the accepted attachment uploads.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// WaitForEchoes waits until n echo webhooks were acknowledged with 200,
// polling with a deadline, and fails the test if one was refused.
func (s *Server) WaitForEchoes(t TB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		ok, failed := s.echoed, s.echoFailed
		s.mu.Unlock()
		if failed > 0 {
			t.Fatalf("messengertest: the app refused %d echo webhooks", failed)
			return
		}
		if ok >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("messengertest: %d echoes acknowledged after %s, want %d", ok, timeout, n)
			return
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not synchronisation
	}
}

// Downloads counts CDN fetches.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

// WaitForSends waits until at least n sends were accepted and returns them.
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
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("messengertest: %d sends after %s, want %d: %+v", len(s.Sends()), timeout, n, s.Sends())
			return nil
		}
	}
}

// Messages are the accepted sends that carried a message (not sender
// actions), in order.
func (s *Server) Messages() []Send {
	var out []Send
	for _, send := range s.Sends() {
		if send.Body.Message != nil {
			out = append(out, send)
		}
	}
	return out
}

// WaitForMessages waits until at least n messages (sender actions aside)
// were accepted and returns them.
func (s *Server) WaitForMessages(t TB, n int, timeout time.Duration) []Send {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("messengertest: %d messages after %s, want %d: %+v", len(s.Messages()), timeout, n, s.Sends())
			return nil
		}
	}
}

// authorized checks the Page token, given as Bearer or access_token query
// parameter (Graph takes both).
func (s *Server) authorized(w http.ResponseWriter, r *http.Request, page string) (string, bool) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.URL.Query().Get("access_token")
	}
	s.mu.Lock()
	want, ok := s.Tokens[page]
	s.mu.Unlock()
	if !ok {
		want = DefaultToken
	}
	if tok == "" || tok != want {
		writeError(w, Failure{Status: 401, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"})
		return "", false
	}
	return tok, true
}

func (s *Server) scripted(w http.ResponseWriter) bool {
	s.mu.Lock()
	if len(s.failures) == 0 {
		s.mu.Unlock()
		return false
	}
	f := s.failures[0]
	s.failures = s.failures[1:]
	s.mu.Unlock()
	if f.Code == 0 && f.Status == 0 {
		return false
	}
	writeError(w, f)
	return true
}

func writeError(w http.ResponseWriter, f Failure) {
	status := f.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	msg := f.Message
	if msg == "" {
		msg = fmt.Sprintf("(#%d) error", f.Code)
	}
	e := map[string]any{"message": msg, "type": "OAuthException", "code": f.Code, "fbtrace_id": "AbCdEfGh"}
	if f.Subcode != 0 {
		e["error_subcode"] = f.Subcode
	}
	if f.Transient {
		e["is_transient"] = true
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func invalid(w http.ResponseWriter, detail string) {
	writeError(w, Failure{Code: 100, Message: "(#100) " + detail})
}

func (s *Server) nextMID() string {
	s.seq++
	return "m_fake" + strconv.Itoa(s.seq)
}

// handleMessages is the Send API: a message or a sender action, checked
// as the reference describes.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	page := r.PathValue("page")
	tok, ok := s.authorized(w, r, page)
	if !ok || s.scripted(w) {
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body metamsg.SendRequest
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		invalid(w, "invalid JSON for the Send API: "+err.Error())
		return
	}
	switch {
	case body.Recipient.ID == "":
		invalid(w, "param recipient must be non-empty.")
		return
	case body.SenderAction != "" && body.Message != nil:
		invalid(w, "sender_action cannot be sent with message")
		return
	case body.SenderAction == "" && body.Message == nil:
		invalid(w, "param message must be non-empty.")
		return
	case body.Message != nil && body.MessagingType != metamsg.MessagingResponse && body.MessagingType != metamsg.MessagingTag && body.MessagingType != "UPDATE":
		invalid(w, "param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
		return
	case body.MessagingType == metamsg.MessagingTag && body.Tag == "":
		invalid(w, "param tag is required with MESSAGE_TAG")
		return
	case body.Message != nil && body.Message.Text == "" && body.Message.Attachment == nil:
		invalid(w, "message must have text or an attachment")
		return
	case body.Message != nil && len([]rune(body.Message.Text)) > 2000:
		invalid(w, "param message[text] must be UTF-8 encoded with a maximum of 2000 characters")
		return
	}
	s.mu.Lock()
	send := Send{Page: page, Token: tok, Body: body, Raw: raw}
	if body.Message != nil {
		send.MID = s.nextMID()
		s.senders[send.MID] = page
	}
	s.sends = append(s.sends, send)
	close(s.changed)
	s.changed = make(chan struct{})
	echo := s.echo
	closed := s.closed
	s.mu.Unlock()
	if body.Message == nil {
		writeJSON(w, http.StatusOK, map[string]any{"recipient_id": body.Recipient.ID})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"recipient_id": body.Recipient.ID, "message_id": send.MID})
	if echo != nil && !closed {
		s.echoes.Add(1)
		go func() {
			defer s.echoes.Done()
			item := EchoItem(page, body.Recipient.ID, send.MID, body.Message.Text, echo.appID, body.Message.Metadata, time.Now())
			err := post(echo.url, echo.appSecret, Envelope(page, item))
			s.mu.Lock()
			if err != nil {
				s.echoFailed++
			} else {
				s.echoed++
			}
			s.mu.Unlock()
		}()
	}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	page := r.PathValue("page")
	if _, ok := s.authorized(w, r, page); !ok || s.scripted(w) {
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		invalid(w, "multipart body expected")
		return
	}
	var msg struct {
		Attachment struct {
			Type string `json:"type"`
		} `json:"attachment"`
	}
	if err := json.Unmarshal([]byte(r.FormValue("message")), &msg); err != nil || msg.Attachment.Type == "" {
		invalid(w, "param message[attachment][type] is required")
		return
	}
	f, h, err := r.FormFile("filedata")
	if err != nil {
		invalid(w, "param filedata is required")
		return
	}
	data, _ := io.ReadAll(f)
	s.mu.Lock()
	s.seq++
	id := "att" + strconv.Itoa(s.seq)
	s.uploads = append(s.uploads, Upload{Page: page, Type: msg.Attachment.Type, MimeType: h.Header.Get("Content-Type"),
		Filename: h.Filename, Data: data, AttachmentID: id})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"attachment_id": id})
}

// handleNode answers GET /{psid}?fields=… (User Profile API) and
// GET /{mid}?fields=from (a message node).
func (s *Server) handleNode(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	p, isProfile := s.profiles[id]
	from, isMessage := s.senders[id]
	s.mu.Unlock()
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.URL.Query().Get("access_token")
	}
	if tok == "" {
		writeError(w, Failure{Status: 401, Code: 190, Message: "An access token is required"})
		return
	}
	if s.scripted(w) {
		return
	}
	switch {
	case isProfile:
		writeJSON(w, http.StatusOK, map[string]any{"first_name": p[0], "last_name": p[1], "id": id})
	case isMessage:
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "from": map[string]any{"id": from}})
	default:
		writeError(w, Failure{Code: 100, Subcode: 33, Message: "Unsupported get request. Object with ID '" + id + "' does not exist"})
	}
}

func (s *Server) handleCDN(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f, ok := s.cdn[r.PathValue("name")]
	if ok {
		s.downloads++
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.mime)
	_, _ = w.Write(f.data)
}
