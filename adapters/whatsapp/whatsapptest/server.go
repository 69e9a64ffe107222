// Package whatsapptest is a fake WhatsApp Cloud API (Graph API) that the
// real whatsapp.Client runs against unchanged, plus helpers that build and
// sign webhook deliveries exactly as Meta sends them. It speaks the real
// wire format, records what it received and can be told to fail. Started
// for good (Start), it is the sandbox's simulated WhatsApp (simulator.go);
// nothing else in the binary may import it, and it must never import
// testing.
package whatsapptest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	bridgemedia "github.com/switchboard/switchboard/bridge/media"
	"github.com/switchboard/switchboard/bridge/templates"
)

// DefaultToken is the access token the fake accepts unless Token is changed
// before the first request.
const DefaultToken = "test-access-token"

// Send is one call to POST /{version}/{phone-number-id}/messages as the fake
// understood it. Exactly one of the type-specific groups is filled.
type Send struct {
	PhoneNumberID string
	// To is the phone number the message went to ("to"); Recipient the
	// business-scoped user id ("recipient") when there was no "to".
	To          string
	Recipient   string
	Type        string // text, image, video, audio, document, sticker, template, reaction, interactive
	ReplyTo     string // context.message_id
	Text        string
	PreviewURL  bool
	MediaID     string
	Caption     string
	Filename    string
	Voice       bool // an audio message's "voice": true (a voice note)
	Template    *TemplateSend
	Reaction    *ReactionSend
	Interactive *InteractiveSend
	// WAMID is the id the fake answered with.
	WAMID string
	Raw   json.RawMessage
}

// Read is one mark-read call (POST …/messages with status "read"), kept
// apart from Sends: it is no message, and tests count messages.
type Read struct {
	PhoneNumberID string
	MessageID     string
	// Typing is set when the call carried typing_indicator {type: text}.
	Typing bool
	// SendsBefore is how many sends were recorded before this call, so a
	// test can tell a read that preceded a reply from one that followed.
	SendsBefore int
}

// TemplateSend is a template message as sent.
type TemplateSend struct {
	Name       string
	Language   string
	BodyParams []string // the text parameters of the body component
	// Components is the "components" array exactly as received.
	Components json.RawMessage
}

// ReactionSend is a reaction as sent; an empty Emoji removes it.
type ReactionSend struct {
	MessageID string
	Emoji     string
}

// InteractiveSend is an interactive message as sent; only reply buttons
// (type "button") are understood.
type InteractiveSend struct {
	Type    string
	Body    string
	Buttons []ButtonSend
}

// ButtonSend is one reply button as sent.
type ButtonSend struct {
	ID    string
	Title string
}

// Upload is one POST /{version}/{phone-number-id}/media.
type Upload struct {
	PhoneNumberID string
	ID            string
	MimeType      string // the "type" form field
	Filename      string
	Data          []byte
}

// Failure is a scripted error answer with Graph's real error JSON. Status 0
// means 400. The zero Failure lets its call through, so a script can fail
// the second call of a sequence (a split text's second part).
type Failure struct {
	Status     int
	Code       int
	Subcode    int
	Message    string
	Transient  bool
	RetryAfter string // Retry-After header value, if any
}

type media struct {
	mime string
	data []byte
}

// Server is the fake Graph API. All methods are safe for concurrent use.
type Server struct {
	// URL is the base to give whatsapp.Client.BaseURL.
	URL string
	// Token is the Bearer token required on every route.
	Token string

	srv *httptest.Server

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every recorded send or read
	sends    []Send
	uploads  []Upload
	media    map[string]media
	failures []Failure
	seq      int
	// downloads counts media fetched from the short-lived URL.
	downloads int

	// Mark-read calls, and the failures scripted for them only (ScriptReads).
	reads        []Read
	readFailures []Failure
	readHold     time.Duration

	// Templates (templates.go).
	templates         map[string][]templates.Template // by WABA id
	phoneAccounts     map[string]string               // phone_number_id -> WABA id
	recipientFailures map[string]int                  // wa_id -> Graph error code
	listings          int

	account accountState // doctor.go
	// The simulator (simulator.go): a version, where status webhooks go,
	// and the last status switchboard accepted per message.
	version     int64
	webhookURL  string
	appSecret   string
	statuses    map[string]string // wamid → sent | delivered | read
	sentAt      map[string]time.Time
	receipts    map[string][]Receipt // wamid → statuses acknowledged, in order
	outbox      []statusWebhook
	outboxReady chan struct{}  // signalled when outbox grows
	done        chan struct{}  // closed by Close
	delivering  sync.WaitGroup // the status webhooks' goroutines, awaited by Close
}

// New starts a fake Graph API that stops when the test ends.
func New(t TB) *Server {
	t.Helper()
	s := newServer()
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake Graph API that runs until Close, listening on addr
// (e.g. "127.0.0.1:0"): the sandbox's simulated WhatsApp.
func Start(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("whatsapptest: listen on %s: %w", addr, err)
	}
	s := newServer()
	s.srv = httptest.NewUnstartedServer(s.routes())
	_ = s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// Close stops the fake (New's cleanup calls it; a fake from Start needs
// it), cancelling a status webhook in flight and waiting for the
// webhooks' goroutines and the requests in flight to end.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	s.mu.Unlock()
	s.delivering.Wait()
	s.srv.Close()
}

func newServer() *Server {
	return &Server{Token: DefaultToken, media: map[string]media{}, changed: make(chan struct{}),
		statuses: map[string]string{}, sentAt: map[string]time.Time{},
		receipts: map[string][]Receipt{}, outboxReady: make(chan struct{}, 1), done: make(chan struct{})}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{version}/{phone}/messages", s.handleMessages)
	mux.HandleFunc("POST /{version}/{phone}/media", s.handleUpload)
	mux.HandleFunc("GET /{version}/{media}", s.handleMediaInfo)
	mux.HandleFunc("GET /{version}/{waba}/message_templates", s.handleTemplates)
	mux.HandleFunc("GET /{version}/{waba}/subscribed_apps", s.handleSubscribedApps) // doctor.go
	mux.HandleFunc("GET /whatsapp_business/attachments/{$}", s.handleDownload)
	return mux
}

// FailNext makes the next n API calls (any route but mark-read calls, see
// ScriptReads) answer status with Graph error code and, when retryAfter is
// not empty, a Retry-After header.
func (s *Server) FailNext(n, status, code int, retryAfter string) {
	f := Failure{Status: status, Code: code, RetryAfter: retryAfter, Transient: status >= 500}
	for range n {
		s.Script(f)
	}
}

// Script queues failures answered in order by the next API calls (mark-read
// calls aside, see ScriptReads); once the queue is empty calls succeed again.
func (s *Server) Script(failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failures...)
}

// AddMedia stores a file as if a customer had sent it, for DownloadMedia.
func (s *Server) AddMedia(id, mimeType string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[id] = media{mime: mimeType, data: append([]byte(nil), data...)}
}

// Sends returns a copy of the recorded sends, in arrival order.
func (s *Server) Sends() []Send {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Send(nil), s.sends...)
}

// Uploads returns a copy of the recorded media uploads.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// Downloads is how many times a media file was fetched from its URL
// (after GET /{media-id}), successful or not.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

// WaitForSends waits until at least n sends are recorded and returns them;
// it fails the test after timeout. It wakes on each send, never polls on a
// sleep.
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
			t.Fatalf("whatsapptest: waited %s for %d sends, got %d", timeout, n, have)
			return nil
		}
	}
}

// nextFailure pops a scripted failure, if any.
func (s *Server) nextFailure() (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) == 0 {
		return Failure{}, false
	}
	f := s.failures[0]
	s.failures = s.failures[1:]
	return f, true
}

func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%d", prefix, s.seq)
}

// guard checks the token and answers a scripted failure; it reports
// whether the handler should go on.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) bool {
	return s.authorized(w, r) && s.scripted(w)
}

// authorized answers a wrong token as Graph does.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 190,
			Message: "Invalid OAuth access token - Cannot parse access token"}, "OAuthException")
		return false
	}
	return true
}

// scripted answers the next scripted failure, if any.
func (s *Server) scripted(w http.ResponseWriter) bool {
	if f, ok := s.nextFailure(); ok && f != (Failure{}) {
		writeError(w, f, "")
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, f Failure, typ string) {
	status := f.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	msg := f.Message
	if msg == "" {
		msg = fmt.Sprintf("(#%d) scripted failure", f.Code)
	}
	if typ == "" {
		typ = "OAuthException"
	}
	e := map[string]any{
		"message":    msg,
		"type":       typ,
		"code":       f.Code,
		"error_data": map[string]any{"messaging_product": "whatsapp", "details": msg},
		"fbtrace_id": "AbCdEfFakeTrace",
	}
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

func invalidParam(w http.ResponseWriter, detail string) {
	writeError(w, Failure{Status: http.StatusBadRequest, Code: 100, Message: "(#100) Invalid parameter: " + detail}, "")
}

// wireSend is the request body of POST …/messages.
type wireSend struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Recipient        string `json:"recipient"`
	Type             string `json:"type"`
	Status           string `json:"status"`
	MessageID        string `json:"message_id"`
	TypingIndicator  *struct {
		Type string `json:"type"`
	} `json:"typing_indicator"`
	Context *struct {
		MessageID string `json:"message_id"`
	} `json:"context"`
	Text *struct {
		Body       string `json:"body"`
		PreviewURL bool   `json:"preview_url"`
	} `json:"text"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components    []templateComponent `json:"components"`
		RawComponents json.RawMessage     `json:"-"`
	} `json:"template"`
	Reaction *struct {
		MessageID string  `json:"message_id"`
		Emoji     *string `json:"emoji"`
	} `json:"reaction"`
	Interactive *struct {
		Type string `json:"type"`
		Body *struct {
			Text string `json:"text"`
		} `json:"body"`
		Action struct {
			Buttons []struct {
				Type  string `json:"type"`
				Reply struct {
					ID    string `json:"id"`
					Title string `json:"title"`
				} `json:"reply"`
			} `json:"buttons"`
		} `json:"action"`
	} `json:"interactive"`
}

type wireMediaObject struct {
	ID       string `json:"id"`
	Link     string `json:"link"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
	Voice    bool   `json:"voice"`
}

func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	// Mark-read calls answer ScriptReads only (handleRead): the failures
	// of Script and FailNext are meant for messages and media.
	if !s.authorized(w, r) {
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		invalidParam(w, "unreadable body")
		return
	}
	var probe struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(raw, &probe) != nil || probe.Status == "" {
		if !s.scripted(w) {
			return
		}
	}
	var in wireSend
	if err := json.Unmarshal(raw, &in); err != nil {
		invalidParam(w, "body is not JSON")
		return
	}
	if in.Template != nil {
		var probe struct {
			Template struct {
				Components json.RawMessage `json:"components"`
			} `json:"template"`
		}
		_ = json.Unmarshal(raw, &probe) // raw decoded above
		in.Template.RawComponents = probe.Template.Components
	}
	if in.MessagingProduct != "whatsapp" {
		invalidParam(w, "messaging_product must be whatsapp")
		return
	}
	send := Send{PhoneNumberID: r.PathValue("phone"), Raw: raw}
	if in.Status != "" {
		s.handleRead(w, r, send.PhoneNumberID, &in)
		return
	}
	// A phone number goes in "to", a business-scoped user id in
	// "recipient"; with both, "to" wins (Meta's BSUID documentation).
	switch {
	case in.To == "" && in.Recipient == "":
		invalidParam(w, "to is required")
		return
	case isBSUID(in.To):
		invalidParam(w, "to must be a phone number; send to a business-scoped user ID with recipient")
		return
	case in.To == "" && !isBSUID(in.Recipient):
		invalidParam(w, "recipient must be a business-scoped user ID")
		return
	case in.To == "":
		send.Recipient = in.Recipient
	}
	send.To, send.Type = in.To, in.Type
	if in.Context != nil {
		send.ReplyTo = in.Context.MessageID
	}
	if msg := s.fillSend(&send, &in, raw); msg != "" {
		invalidParam(w, msg)
		return
	}
	if send.Template != nil {
		if f, refused := s.checkTemplate(send.PhoneNumberID, send.Template.Name, send.Template.Language, send.Template.Components); refused {
			writeError(w, f, "")
			return
		}
	}
	if send.Recipient != "" && send.Template != nil && s.authenticationTemplate(send.PhoneNumberID, send.Template.Name, send.Template.Language) {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 131062,
			Message: "(#131062) Business-scoped User ID recipients are not supported for this message"}, "")
		return
	}
	if f, refused := s.recipientFailure(cmp.Or(in.To, in.Recipient)); refused {
		writeError(w, f, "")
		return
	}
	send.WAMID = s.nextID("wamid.HBgLFAKE")
	s.record(send)
	writeJSON(w, http.StatusOK, map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]any{sendContact(in.To, send.Recipient)},
		"messages":          []map[string]any{{"id": send.WAMID}},
	})
}

// fillSend copies the type-specific part into send and returns what is
// wrong with it, the way Graph refuses it with code 100.
func (s *Server) fillSend(send *Send, in *wireSend, raw []byte) string {
	switch in.Type {
	case "text":
		if in.Text == nil || in.Text.Body == "" {
			return "text.body is required"
		}
		if utf8.RuneCountInString(in.Text.Body) > 4096 {
			return "text.body is longer than 4096 characters"
		}
		send.Text, send.PreviewURL = in.Text.Body, in.Text.PreviewURL
	case "image", "video", "audio", "document", "sticker":
		var objs map[string]json.RawMessage
		_ = json.Unmarshal(raw, &objs)
		var m wireMediaObject
		if err := json.Unmarshal(objs[in.Type], &m); err != nil || (m.ID == "" && m.Link == "") {
			return in.Type + ".id or link is required"
		}
		if m.ID != "" {
			s.mu.Lock()
			_, known := s.media[m.ID]
			s.mu.Unlock()
			if !known {
				return "unknown media id " + m.ID
			}
		}
		if m.Caption != "" && (in.Type == "audio" || in.Type == "sticker") {
			return in.Type + " does not take a caption"
		}
		if m.Voice && in.Type != "audio" {
			return "voice is only for audio messages"
		}
		send.MediaID, send.Caption, send.Filename, send.Voice = m.ID, m.Caption, m.Filename, m.Voice
	case "template":
		if in.Template == nil || in.Template.Name == "" || in.Template.Language.Code == "" {
			return "template.name and template.language.code are required"
		}
		t := &TemplateSend{Name: in.Template.Name, Language: in.Template.Language.Code, Components: in.Template.RawComponents}
		for _, c := range in.Template.Components {
			if c.Type == "body" {
				for _, p := range c.Parameters {
					t.BodyParams = append(t.BodyParams, p.Text)
				}
			}
		}
		send.Template = t
	case "reaction":
		if in.Reaction == nil || in.Reaction.MessageID == "" || in.Reaction.Emoji == nil {
			return "reaction.message_id and reaction.emoji are required"
		}
		send.Reaction = &ReactionSend{MessageID: in.Reaction.MessageID, Emoji: *in.Reaction.Emoji}
	case "interactive":
		return fillInteractive(send, in)
	default:
		return "unsupported type " + strconv.Quote(in.Type)
	}
	return ""
}

// fillInteractive checks a reply-button message the way Graph does: a
// body of at most 1024 characters, one to three buttons of type reply
// with unique ids (at most 256 characters) and unique titles of at most
// 20 characters.
func fillInteractive(send *Send, in *wireSend) string {
	it := in.Interactive
	if it == nil || it.Type != "button" {
		return "interactive.type must be button (the only kind this fake understands)"
	}
	if it.Body == nil || it.Body.Text == "" || utf8.RuneCountInString(it.Body.Text) > 1024 {
		return "interactive.body.text is required (at most 1024 characters)"
	}
	buttons := it.Action.Buttons
	if len(buttons) == 0 || len(buttons) > 3 {
		return "interactive.action.buttons must have 1 to 3 buttons"
	}
	out := &InteractiveSend{Type: it.Type, Body: it.Body.Text}
	ids, titles := map[string]bool{}, map[string]bool{}
	for _, b := range buttons {
		id, title := b.Reply.ID, b.Reply.Title
		switch {
		case b.Type != "reply":
			return "button type must be reply"
		case id == "" || utf8.RuneCountInString(id) > 256:
			return "button reply.id is required (at most 256 characters)"
		case title == "" || utf8.RuneCountInString(title) > 20:
			return "button reply.title is required (at most 20 characters)"
		case ids[id] || titles[title]:
			return "button ids and titles must be unique"
		}
		ids[id], titles[title] = true, true
		out.Buttons = append(out.Buttons, ButtonSend{ID: id, Title: title})
	}
	send.Interactive = out
	return ""
}

func (s *Server) record(send Send) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sends = append(s.sends, send)
	s.sentAt[send.WAMID] = time.Now()
	s.changedLocked()
	s.queueStatusesLocked(send)
}

// handleRead answers a mark-read call as Graph does, or with the next
// scripted read failure.
func (s *Server) handleRead(w http.ResponseWriter, r *http.Request, phone string, in *wireSend) {
	if in.Status != "read" || in.MessageID == "" {
		invalidParam(w, "status must be read with a message_id")
		return
	}
	if in.TypingIndicator != nil && in.TypingIndicator.Type != "text" {
		invalidParam(w, "typing_indicator.type must be text")
		return
	}
	s.mu.Lock()
	hold := s.readHold
	s.mu.Unlock()
	if hold > 0 {
		select {
		case <-time.After(hold):
		case <-r.Context().Done():
			return // the caller gave up: nothing recorded
		}
	}
	s.mu.Lock()
	if len(s.readFailures) > 0 {
		f := s.readFailures[0]
		s.readFailures = s.readFailures[1:]
		if f != (Failure{}) {
			s.mu.Unlock()
			writeError(w, f, "")
			return
		}
	}
	s.reads = append(s.reads, Read{PhoneNumberID: phone, MessageID: in.MessageID, Typing: in.TypingIndicator != nil,
		SendsBefore: len(s.sends)})
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// ScriptReads queues failures answered in order by the next mark-read
// calls only (a zero Failure lets its call through); messages and other
// routes are not affected.
func (s *Server) ScriptReads(failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readFailures = append(s.readFailures, failures...)
}

// HoldReads makes every later mark-read call wait d before it is answered
// (a Graph that hangs); a caller that gives up first records nothing.
func (s *Server) HoldReads(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readHold = d
}

// Reads returns a copy of the recorded mark-read calls, in arrival order.
func (s *Server) Reads() []Read {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Read(nil), s.reads...)
}

// WaitForReads waits until at least n mark-read calls are recorded and
// returns them; it fails the test after timeout.
func (s *Server) WaitForReads(t TB, n int, timeout time.Duration) []Read {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.reads) >= n {
			out := append([]Read(nil), s.reads...)
			s.mu.Unlock()
			return out
		}
		ch, have := s.changed, len(s.reads)
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("whatsapptest: waited %s for %d mark-read calls, got %d", timeout, n, have)
			return nil
		}
	}
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if !s.guard(w, r) {
		return
	}
	if err := r.ParseMultipartForm(128 << 20); err != nil {
		invalidParam(w, "multipart body required")
		return
	}
	if r.FormValue("messaging_product") != "whatsapp" {
		invalidParam(w, "messaging_product must be whatsapp")
		return
	}
	typ := r.FormValue("type")
	mt, _, err := mime.ParseMediaType(typ)
	if err != nil {
		invalidParam(w, "type must be a MIME type")
		return
	}
	if !slices.Contains(bridgemedia.UploadTypes(), mt) {
		// Graph's answer to any other type, even for a document.
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 100, Message: "(#100) Param file must be a file with one of the following types: " +
			strings.Join(bridgemedia.UploadTypes(), ", ") + ". Received file of type '" + mt + "'."}, "")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		invalidParam(w, "file is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		invalidParam(w, "unreadable file")
		return
	}
	id := s.nextID("9000000")
	s.mu.Lock()
	s.media[id] = media{mime: typ, data: data}
	s.uploads = append(s.uploads, Upload{PhoneNumberID: r.PathValue("phone"), ID: id, MimeType: typ, Filename: hdr.Filename, Data: data})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

func (s *Server) handleMediaInfo(w http.ResponseWriter, r *http.Request) {
	if !s.guard(w, r) {
		return
	}
	id := r.PathValue("media")
	if s.servePhoneNumber(w, id) { // doctor.go
		return
	}
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 100, Subcode: 33,
			Message: "Unsupported get request. Object with ID '" + id + "' does not exist"}, "GraphMethodException")
		return
	}
	sum := sha256.Sum256(m.data)
	writeJSON(w, http.StatusOK, map[string]any{
		"messaging_product": "whatsapp",
		"url":               s.URL + "/whatsapp_business/attachments/?mid=" + id + "&source=getMedia",
		"mime_type":         m.mime,
		"sha256":            hex.EncodeToString(sum[:]),
		"file_size":         len(m.data),
		"id":                id,
	})
}

// handleDownload serves the short-lived media URL; like Meta's it requires
// the Bearer token (a browser without it gets 404 from Meta; we say 401).
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if !s.guard(w, r) {
		return
	}
	s.mu.Lock()
	m, ok := s.media[r.URL.Query().Get("mid")]
	s.downloads++
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", strings.TrimSpace(m.mime))
	w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
	_, _ = w.Write(m.data)
}

// templateComponent is one component of a template send.
type templateComponent struct {
	Type       string `json:"type"`
	Parameters []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"parameters"`
}

// sendContact is the contacts[] entry of a send's answer: wa_id for a send
// to a phone number, user_id for one to a BSUID.
func sendContact(to, recipient string) map[string]any {
	if to != "" {
		return map[string]any{"input": to, "wa_id": to}
	}
	return map[string]any{"input": recipient, "user_id": recipient}
}

// isBSUID reports whether s has the shape of a business-scoped user id:
// a country code ("US"; "user" in older documentation), a period, then
// letters, digits or "ENT." (a parent BSUID). A phone number is digits
// only.
func isBSUID(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot < 1 || dot == len(s)-1 {
		return false
	}
	letter := func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
	return !strings.ContainsFunc(s[:dot], func(r rune) bool { return !letter(r) }) &&
		!strings.ContainsFunc(s[dot+1:], func(r rune) bool { return !(letter(r) || r >= '0' && r <= '9' || r == '.') })
}
