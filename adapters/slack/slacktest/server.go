// Package slacktest is a fake Slack Web API for tests: slack-go runs against
// it unchanged through slack.OptionAPIURL(s.URL()). It records what it
// received, hands out unique ts values, and can be told to fail. It also
// signs requests exactly as Slack does (requests.go). Started for good
// (Start), it is the sandbox's simulated workspace (history.go); nothing
// else in the binary may import it, and it must never import testing.
package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Identity of the fake workspace's bot, as auth.test reports it.
const (
	Token     = "xoxb-switchboard-fake"
	BotUserID = "UFAKEBOT"
	BotID     = "BFAKEBOT"
	TeamID    = "TFAKE"
)

// Message is one chat.postMessage, chat.update or chat.postEphemeral call.
type Message struct {
	Channel  string
	TS       string // the ts we handed out (or updated)
	ThreadTS string
	Text     string
	Blocks   json.RawMessage // as sent; nil when none
	Username string
	User     string // the recipient of an ephemeral
	// Broadcast is reply_broadcast=true.
	Broadcast bool
	// Metadata is the message metadata as sent ({event_type,
	// event_payload}); nil when none. conversations.replies and
	// conversations.history return it with include_all_metadata.
	Metadata json.RawMessage
}

// String keeps test failures readable (Blocks would print as bytes).
func (m Message) String() string {
	return fmt.Sprintf("{channel=%s ts=%s thread=%s text=%q user=%s blocks=%d bytes}", m.Channel, m.TS, m.ThreadTS, m.Text, m.User, len(m.Blocks))
}

// Reaction is one reaction present on a message.
type Reaction struct {
	Channel   string
	Timestamp string
	Name      string
}

// Upload is one completed files v2 upload.
type Upload struct {
	FileID         string
	Filename       string
	Title          string
	Data           []byte
	Channel        string
	ThreadTS       string
	InitialComment string
}

// Failure is how a call fails when injected with FailNext.
type Failure struct {
	Status     int           // HTTP status; 0 means 200
	RetryAfter time.Duration // sent as Retry-After seconds with a 429
	Error      string        // Slack error string in {"ok":false,"error":…}
}

// RateLimited is Slack's 429 answer.
func RateLimited(retryAfter time.Duration) Failure {
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Error: "ratelimited"}
}

// ServerError is an HTTP 5xx with an HTML body, as Slack sends them.
func ServerError(status int) Failure { return Failure{Status: status} }

// SlackError is an HTTP 200 {"ok":false,"error":code} answer.
func SlackError(code string) Failure { return Failure{Error: code} }

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu         sync.Mutex
	changed    *sync.Cond
	seq        int64
	base       int64
	posts      []Message
	updates    []Message
	ephemerals []Message
	views      []View       // opened with views.open, as opened
	viewCalls  []ViewUpdate // views.update and views.push, in order
	current    map[string]*viewState
	presence   map[string]string
	reactions  []Reaction
	uploads    []Upload
	pending    map[string]*Upload // file id → upload not yet completed
	failures   map[string][]Failure
	users      map[string]string // id → display name
	userTeams  map[string]string // id → workspace, for guests (AddGuest)
	channels   map[string]string // id → name (conversations.info)
	files      map[string][]byte // download path → bytes
	limits     map[string]int    // channel → posts per second
	// responses are what was posted to the response_urls this fake
	// handed out (ResponseURL).
	responses []Response
	// members answer conversations.members per channel; defaultMembers
	// answer for a channel not set (nil: channel_not_found).
	members        map[string][]string
	defaultMembers []string
	recent         map[string][]time.Time
	calls          map[string]int

	down map[string]Failure // method → failure on every call until Heal

	doctor doctorState // doctor.go
	// What a long-running fake (the sandbox) needs beyond tests: a
	// version and a channel closed on every change (history.go), what
	// people wrote and reacted, who a trigger_id belongs to, and where
	// posts to a response_url land.
	version         int64
	notify          chan struct{}
	teamName        string
	said            []said
	userReactions   []userReaction
	triggers        map[string]string // trigger_id → user
	uploadTS        map[string]string // file id → ts of the message sharing it
	responseTargets map[string]responseTarget
}

// New starts a fake and stops it when the test ends.
func New(t TB) *Server {
	s := newServer()
	s.srv = httptest.NewServer(s.routes())
	t.Cleanup(s.srv.Close)
	return s
}

// Start starts a fake that runs until Close, listening on addr (e.g.
// "127.0.0.1:0"): the sandbox's simulated workspace.
func Start(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("slacktest: listen on %s: %w", addr, err)
	}
	s := newServer()
	s.srv = httptest.NewUnstartedServer(s.routes())
	_ = s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	return s, nil
}

// Close stops a fake started with Start, waiting for requests in flight.
func (s *Server) Close() { s.srv.Close() }

func newServer() *Server {
	s := &Server{
		base:      time.Now().Unix(),
		pending:   map[string]*Upload{},
		failures:  map[string][]Failure{},
		down:      map[string]Failure{},
		users:     map[string]string{},
		userTeams: map[string]string{},
		channels:  map[string]string{},
		files:     map[string][]byte{},
		limits:    map[string]int{},
		members:   map[string][]string{},
		recent:    map[string][]time.Time{},
		calls:     map[string]int{},
		current:   map[string]*viewState{},
		notify:    make(chan struct{}),
		uploadTS:  map[string]string{},
	}
	s.changed = sync.NewCond(&s.mu)
	return s
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.api)
	mux.HandleFunc("POST /upload/{id}", s.upload)
	mux.HandleFunc("GET /files-pri/{name...}", s.download)
	mux.HandleFunc("POST /actions/{id}", s.respond)
	return mux
}

// URL is the Web API base to give slack.OptionAPIURL (with its trailing
// slash).
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Client returns an http.Client for the fake.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// FailNext makes the next n calls of method (e.g. "chat.postMessage") fail
// with f, after any failures already queued.
func (s *Server) FailNext(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], f)
	}
}

// FailAlways makes every call of method fail with f until Heal(method),
// after any failures queued with FailNext.
func (s *Server) FailAlways(method string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down[method] = f
}

// Heal ends FailAlways for method.
func (s *Server) Heal(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.down, method)
}

// WaitForCalls waits until method has been called at least n times.
func (s *Server) WaitForCalls(t TB, method string, n int, timeout time.Duration) {
	t.Helper()
	if !s.waitLocked(timeout, func() bool { return s.calls[method] >= n }) {
		s.mu.Lock()
		got := s.calls[method]
		s.mu.Unlock()
		t.Fatalf("slacktest: %s called %d times within %s, want %d", method, got, timeout, n)
	}
}

// waitLocked waits until cond (called with mu held) is true or timeout
// passes, and reports which. Every change broadcasts on s.changed; a timer
// wakes the waiter at the deadline even if nothing changes.
func (s *Server) waitLocked(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.changed.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !cond() {
		if !time.Now().Before(deadline) {
			return false
		}
		s.changed.Wait()
	}
	return true
}

// LimitChannel answers chat.postMessage in channel with 429 beyond
// perSecond posts in any one-second window (Slack allows about one per
// second per channel, with bursts); 0 removes the limit.
func (s *Server) LimitChannel(channel string, perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits[channel] = perSecond
}

// SetPresence makes users.getPresence answer "active" or "away" for a user
// (unknown users are "active").
func (s *Server) SetPresence(id, presence string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.presence == nil {
		s.presence = map[string]string{}
	}
	s.presence[id] = presence
}

// SetChannelMembers makes conversations.members list ids for channel.
func (s *Server) SetChannelMembers(channel string, ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[channel] = append([]string(nil), ids...)
}

// DefaultChannelMembers lists ids as the members of every channel not set
// with SetChannelMembers.
func (s *Server) DefaultChannelMembers(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultMembers = append([]string(nil), ids...)
}

// AddUser makes users.info know a user.
func (s *Server) AddUser(id, displayName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = displayName
}

// AddGuest makes users.info know a person of another workspace (a Slack
// Connect guest): team is their workspace's id.
func (s *Server) AddGuest(id, displayName, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = displayName
	s.userTeams[id] = team
}

// AddChannel makes conversations.info know a channel's name.
func (s *Server) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = name
}

// AddFile serves data at a private download URL, which it returns; the
// request must carry the bot token as a Bearer header.
func (s *Server) AddFile(name string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := fmt.Sprintf("F%d/download/%s", s.nextSeq(), name)
	s.files[path] = append([]byte(nil), data...)
	return s.srv.URL + "/files-pri/" + path
}

// Calls returns how many times method was called, failures included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Posts returns chat.postMessage calls that succeeded, in order.
func (s *Server) Posts() []Message { return snapshot(s, &s.posts) }

// Updates returns chat.update calls that succeeded, in order.
func (s *Server) Updates() []Message { return snapshot(s, &s.updates) }

// Ephemerals returns chat.postEphemeral calls that succeeded, in order.
func (s *Server) Ephemerals() []Message { return snapshot(s, &s.ephemerals) }

// Reactions returns the reactions currently present, in the order added.
func (s *Server) Reactions() []Reaction { return snapshot(s, &s.reactions) }

// Uploads returns completed uploads, in order.
func (s *Server) Uploads() []Upload { return snapshot(s, &s.uploads) }

func snapshot[T any](s *Server, list *[]T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]T(nil), *list...)
}

// WaitForPosts waits until pred accepts the posts so far and returns them;
// the test fails at the deadline. Callers never sleep.
func (s *Server) WaitForPosts(t TB, pred func([]Message) bool, timeout time.Duration) []Message {
	t.Helper()
	return waitFor(t, s, &s.posts, pred, timeout, "posts")
}

// WaitForReactions waits until pred accepts the present reactions.
func (s *Server) WaitForReactions(t TB, pred func([]Reaction) bool, timeout time.Duration) []Reaction {
	t.Helper()
	return waitFor(t, s, &s.reactions, pred, timeout, "reactions")
}

// WaitForUploads waits until pred accepts the completed uploads.
func (s *Server) WaitForUploads(t TB, pred func([]Upload) bool, timeout time.Duration) []Upload {
	t.Helper()
	return waitFor(t, s, &s.uploads, pred, timeout, "uploads")
}

func waitFor[T any](t TB, s *Server, list *[]T, pred func([]T) bool, timeout time.Duration, what string) []T {
	t.Helper()
	var got []T
	if !s.waitLocked(timeout, func() bool { got = append([]T(nil), *list...); return pred(got) }) {
		t.Fatalf("slacktest: %s did not match within %s; have %d: %+v", what, timeout, len(got), got)
		return nil
	}
	return got
}

// nextSeq must be called with mu held.
func (s *Server) nextSeq() int64 { s.seq++; return s.seq }

// nextTS hands out unique, increasing ts values in Slack's format
// ("1700000000.000123"); mu must be held. Real Slack ts values are unique
// per channel; ours are unique across the whole fake.
func (s *Server) nextTS() string {
	n := s.nextSeq()
	return fmt.Sprintf("%d.%06d", s.base+n/1_000_000, n%1_000_000)
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, v map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func slackErr(w http.ResponseWriter, code string) {
	reply(w, map[string]any{"ok": false, "error": code})
}

// fail applies an injected failure; mu must be held. It reports whether
// the call was answered.
func (s *Server) fail(w http.ResponseWriter, method string) bool {
	q := s.failures[method]
	if len(q) == 0 {
		if f, ok := s.down[method]; ok {
			writeFailure(w, f)
			return true
		}
		return false
	}
	f := q[0]
	s.failures[method] = q[1:]
	writeFailure(w, f)
	return true
}

func writeFailure(w http.ResponseWriter, f Failure) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	switch {
	case f.Status >= 500:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, "<html><body>Slack is having trouble</body></html>")
	case f.Status != 0 && f.Status != http.StatusOK:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": f.Error})
	default:
		slackErr(w, f.Error)
	}
}

// authorized accepts the token from the form (slack-go's form calls) or a
// Bearer header (its JSON and upload calls).
func authorized(r *http.Request) bool {
	if r.FormValue("token") == Token {
		return true
	}
	return r.Header.Get("Authorization") == "Bearer "+Token
}

// api serves /api/{method}.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	if err := r.ParseForm(); err != nil {
		slackErr(w, "invalid_form_data")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump()
	s.calls[method]++
	if s.fail(w, method) {
		return
	}
	if !authorized(r) {
		slackErr(w, "invalid_auth")
		return
	}
	s.writeScopes(w) // doctor.go
	switch method {
	case "auth.test":
		team := s.teamName
		if team == "" {
			team = "Fake"
		}
		reply(w, map[string]any{"ok": true, "url": "https://fake.slack.com/", "team": team, "user": "switchboard",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID})
	case "chat.postMessage":
		s.postMessage(w, r)
	case "chat.update":
		s.update(w, r)
	case "chat.postEphemeral":
		s.ephemeral(w, r)
	case "reactions.add", "reactions.remove":
		s.react(w, r, method == "reactions.add")
	case "files.getUploadURLExternal":
		s.uploadURL(w, r)
	case "files.completeUploadExternal":
		s.completeUpload(w, r)
	case "views.open", "views.update", "views.push":
		s.viewCall(w, r, method)
	case "conversations.members":
		s.conversationMembers(w, r)
	case "users.getPresence":
		p := s.presence[r.FormValue("user")]
		if p == "" {
			p = "active"
		}
		reply(w, map[string]any{"ok": true, "presence": p, "online": p == "active"})
	case "users.info":
		id := r.FormValue("user")
		name, ok := s.users[id]
		if !ok {
			slackErr(w, "user_not_found")
			return
		}
		team := s.userTeams[id]
		if team == "" {
			team = TeamID
		}
		reply(w, map[string]any{"ok": true, "user": map[string]any{"id": id, "name": strings.ToLower(name), "team_id": team,
			"real_name": name, "profile": map[string]any{"display_name": name, "real_name": name}}})
	case "conversations.info":
		s.conversationInfo(w, r) // doctor.go
	case "conversations.replies":
		s.conversationReplies(w, r) // read.go
	case "conversations.history":
		s.conversationHistory(w, r) // read.go
	default:
		slackErr(w, "unknown_method")
	}
}

func messageFrom(r *http.Request) Message {
	m := Message{
		Channel:   r.FormValue("channel"),
		ThreadTS:  r.FormValue("thread_ts"),
		Text:      r.FormValue("text"),
		Username:  r.FormValue("username"),
		User:      r.FormValue("user"),
		Broadcast: r.FormValue("reply_broadcast") == "true",
	}
	if b := r.FormValue("blocks"); b != "" {
		m.Blocks = json.RawMessage(b)
	}
	if md := r.FormValue("metadata"); md != "" {
		m.Metadata = json.RawMessage(md)
	}
	return m
}

// checkMessage applies Slack's basic argument checks; mu held.
func checkMessage(w http.ResponseWriter, m Message) bool {
	switch {
	case m.Channel == "":
		slackErr(w, "channel_not_found")
	case m.Text == "" && len(m.Blocks) == 0:
		slackErr(w, "no_text")
	case len(m.Blocks) > 0 && !json.Valid(m.Blocks):
		slackErr(w, "invalid_blocks_format")
	case len([]rune(m.Text)) > 40000:
		slackErr(w, "msg_too_long")
	case len(m.Metadata) > 0 && !validMetadata(m.Metadata):
		slackErr(w, "invalid_metadata_format")
	default:
		return true
	}
	return false
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	m := messageFrom(r)
	if !checkMessage(w, m) {
		return
	}
	if limit := s.limits[m.Channel]; limit > 0 {
		now := time.Now()
		kept := s.recent[m.Channel][:0]
		for _, at := range s.recent[m.Channel] {
			if now.Sub(at) < time.Second {
				kept = append(kept, at)
			}
		}
		s.recent[m.Channel] = kept
		if len(kept) >= limit {
			writeFailure(w, RateLimited(time.Second))
			return
		}
		s.recent[m.Channel] = append(kept, now)
	}
	m.TS = s.nextTS()
	s.posts = append(s.posts, m)
	msg := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "user": BotUserID, "bot_id": BotID}
	if m.ThreadTS != "" {
		msg["thread_ts"] = m.ThreadTS
	}
	reply(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "message": msg})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	m := messageFrom(r)
	m.TS = r.FormValue("ts")
	if !checkMessage(w, m) {
		return
	}
	found := false
	for _, p := range s.posts {
		if p.Channel == m.Channel && p.TS == m.TS {
			found = true
			break
		}
	}
	if !found {
		slackErr(w, "message_not_found")
		return
	}
	s.updates = append(s.updates, m)
	reply(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "text": m.Text})
}

func (s *Server) ephemeral(w http.ResponseWriter, r *http.Request) {
	m := messageFrom(r)
	if !checkMessage(w, m) {
		return
	}
	if m.User == "" {
		slackErr(w, "user_not_found")
		return
	}
	m.TS = s.nextTS()
	s.ephemerals = append(s.ephemerals, m)
	reply(w, map[string]any{"ok": true, "message_ts": m.TS})
}

func (s *Server) react(w http.ResponseWriter, r *http.Request, add bool) {
	rc := Reaction{Channel: r.FormValue("channel"), Timestamp: r.FormValue("timestamp"), Name: r.FormValue("name")}
	if rc.Name == "" {
		slackErr(w, "invalid_name")
		return
	}
	if rc.Channel == "" || rc.Timestamp == "" {
		slackErr(w, "bad_timestamp")
		return
	}
	for i, have := range s.reactions {
		if have == rc {
			if add {
				slackErr(w, "already_reacted")
				return
			}
			s.reactions = append(s.reactions[:i], s.reactions[i+1:]...)
			reply(w, map[string]any{"ok": true})
			return
		}
	}
	if !add {
		slackErr(w, "no_reaction")
		return
	}
	s.reactions = append(s.reactions, rc)
	reply(w, map[string]any{"ok": true})
}

func (s *Server) uploadURL(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("filename")
	length, err := strconv.Atoi(r.FormValue("length"))
	if name == "" || err != nil || length <= 0 {
		slackErr(w, "invalid_arguments")
		return
	}
	id := fmt.Sprintf("F%07d", s.nextSeq())
	s.pending[id] = &Upload{FileID: id, Filename: name}
	reply(w, map[string]any{"ok": true, "upload_url": s.srv.URL + "/upload/" + id, "file_id": id})
}

// upload receives the bytes: slack-go posts multipart field "file"; Slack
// also accepts a raw body, and so do we.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	var data []byte
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		f, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		data, err = io.ReadAll(f)
		_ = f.Close()
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
	} else {
		var err error
		if data, err = io.ReadAll(r.Body); err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump()
	s.calls["upload"]++
	if s.fail(w, "upload") {
		return
	}
	up, ok := s.pending[r.PathValue("id")]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	up.Data = data
	w.Header().Set("Content-Type", "text/plain")
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

func (s *Server) completeUpload(w http.ResponseWriter, r *http.Request) {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(r.FormValue("files")), &files); err != nil || len(files) == 0 {
		slackErr(w, "invalid_arguments")
		return
	}
	channel := r.FormValue("channel_id")
	if channel == "" {
		channel = r.FormValue("channels")
	}
	out := make([]map[string]any, 0, len(files))
	for _, f := range files {
		up, ok := s.pending[f.ID]
		if !ok || up.Data == nil {
			slackErr(w, "file_not_found")
			return
		}
		delete(s.pending, f.ID)
		up.Title = f.Title
		up.Channel = channel
		up.ThreadTS = r.FormValue("thread_ts")
		up.InitialComment = r.FormValue("initial_comment")
		// Slack shares every upload in a message of its own (History).
		s.uploadTS[f.ID] = s.nextTS()
		s.uploads = append(s.uploads, *up)
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	reply(w, map[string]any{"ok": true, "files": out})
}

// download serves files added with AddFile to Bearer-authenticated callers
// (whatever size an event declared for them, so a test can make one lie).
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+Token {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	s.calls["files-pri"]++ // Calls("files-pri") counts downloads
	s.bump()
	data, ok := s.files[r.PathValue("name")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}

// conversationMembers answers conversations.members as Slack does: a page
// of user ids of at most limit (default 100) and a next_cursor that is ""
// on the last page.
func (s *Server) conversationMembers(w http.ResponseWriter, r *http.Request) {
	ids, ok := s.members[r.FormValue("channel")]
	if !ok {
		if s.defaultMembers == nil {
			slackErr(w, "channel_not_found")
			return
		}
		ids = s.defaultMembers
	}
	limit, _ := strconv.Atoi(r.FormValue("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	start := 0
	if c := r.FormValue("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "page:"))
		if err != nil || n < 0 || n > len(ids) {
			slackErr(w, "invalid_cursor")
			return
		}
		start = n
	}
	end, next := min(start+limit, len(ids)), ""
	if end < len(ids) {
		next = "page:" + strconv.Itoa(end)
	}
	reply(w, map[string]any{"ok": true, "members": append([]string{}, ids[start:end]...),
		"response_metadata": map[string]any{"next_cursor": next}})
}
