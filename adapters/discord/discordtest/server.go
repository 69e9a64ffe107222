// Package discordtest is a fake Discord for tests: discordgo runs against it
// unchanged, its REST calls reaching the fake through an http.Client whose
// transport rewrites discord.com hosts (see discord.Config.APIBaseURL), and
// its gateway dialing the ws:// URL that GET /gateway hands out. The fake
// speaks Discord's JSON shapes (API v9), hands out unique snowflakes,
// records everything it received, and can be told to fail. Production code
// must not import it.
package discordtest

import (
	"cmp"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identity of the fake application, bot and guild.
const (
	Token       = "Bot fake-discord-token"
	BotUserID   = "100000000000000001"
	BotUsername = "switchboard"
	AppID       = "100000000000000002"
	GuildID     = "100000000000000003"
)

// Channel types we model (discordgo.ChannelType values).
const (
	TypeText          = 0
	TypePublicThread  = 11
	TypePrivateThread = 12
	TypeForum         = 15
)

// discordEpoch is 2015-01-01T00:00:00Z in milliseconds.
const discordEpoch = 1420070400000

// Route names a REST route for failure injection: the method and the path
// pattern after /api/v9, as Discord documents it.
type Route string

// The REST routes the fake serves.
const (
	RouteGateway          Route = "GET /gateway"
	RouteGatewayBot       Route = "GET /gateway/bot"
	RouteGetChannel       Route = "GET /channels/{channel}"
	RouteGetMessages      Route = "GET /channels/{channel}/messages"
	RouteGetMember        Route = "GET /guilds/{guild}/members/{user}"
	RouteListMembers      Route = "GET /guilds/{guild}/members"
	RouteEditChannel      Route = "PATCH /channels/{channel}"
	RouteCreateMessage    Route = "POST /channels/{channel}/messages"
	RouteEditMessage      Route = "PATCH /channels/{channel}/messages/{message}"
	RouteStartThread      Route = "POST /channels/{channel}/messages/{message}/threads"
	RouteStartThreadNoMsg Route = "POST /channels/{channel}/threads"
	RouteAddReaction      Route = "PUT /channels/{channel}/messages/{message}/reactions/{emoji}/{user}"
	RouteRemoveReaction   Route = "DELETE /channels/{channel}/messages/{message}/reactions/{emoji}/{user}"
	RouteCallback         Route = "POST /interactions/{id}/{token}/callback"
	RouteFollowup         Route = "POST /webhooks/{app}/{token}"
	RouteEditOriginal     Route = "PATCH /webhooks/{app}/{token}/messages/{message}"
	RouteBulkCommands     Route = "PUT /applications/{app}/guilds/{guild}/commands"
	// AnyRoute matches every REST route when injecting failures.
	AnyRoute Route = "*"
)

// Failure is how a call fails when injected with FailNext.
type Failure struct {
	Status int // HTTP status
	// RetryAfter is sent as retry_after (float seconds) and in the
	// X-RateLimit-Reset-After and Retry-After headers with a 429.
	RetryAfter time.Duration
	// Global marks a 429 as the global limit (X-RateLimit-Global,
	// X-RateLimit-Scope: global); otherwise the scope is "user".
	Global bool
	// Code and Message form the JSON error body {"code":…,"message":…}.
	Code    int
	Message string
}

// RateLimited is Discord's per-route 429.
func RateLimited(retryAfter time.Duration) Failure {
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: retryAfter, Message: "You are being rate limited."}
}

// GlobalRateLimited is Discord's global 429.
func GlobalRateLimited(retryAfter time.Duration) Failure {
	f := RateLimited(retryAfter)
	f.Global = true
	return f
}

// MissingAccess is the 403 a bot gets in a channel it cannot see.
func MissingAccess() Failure {
	return Failure{Status: http.StatusForbidden, Code: 50001, Message: "Missing Access"}
}

// UnknownChannel is the 404 for a deleted or unknown channel.
func UnknownChannel() Failure {
	return Failure{Status: http.StatusNotFound, Code: 10003, Message: "Unknown Channel"}
}

// Unauthorized is the 401 for a revoked token.
func Unauthorized() Failure {
	return Failure{Status: http.StatusUnauthorized, Code: 0, Message: "401: Unauthorized"}
}

// ServerError is a 5xx.
func ServerError(status int) Failure {
	return Failure{Status: status, Code: 0, Message: http.StatusText(status)}
}

// File is one attachment received in a multipart request.
type File struct {
	Field       string // files[0], files[1], …
	Name        string
	ContentType string
	Data        []byte
}

// Message is one message the fake holds: created by POST, by a thread
// start in a forum, or edited by PATCH.
type Message struct {
	ID        string
	ChannelID string
	AuthorID  string
	Content   string
	// Payload is the JSON body (or payload_json part) as last received.
	Payload json.RawMessage
	Files   []File
	Edits   int
	// event is the MESSAGE_CREATE data of a message a person wrote, which
	// GET …/messages returns (bot messages are rendered by messageJSON).
	event map[string]any
}

// Decode unmarshals the message's payload into v (a discordgo.MessageSend
// or a map, for example).
func (m Message) Decode(v any) error { return json.Unmarshal(m.Payload, v) }

// ForumTag is a tag a forum offers its posts.
type ForumTag struct {
	ID   string
	Name string
}

// Channel is a channel or thread the fake knows.
type Channel struct {
	ID       string
	Type     int
	Name     string
	ParentID string
	// AvailableTags are a forum's tags; AppliedTags a forum post's.
	AvailableTags []ForumTag
	AppliedTags   []string
	Archived      bool
	// Edits are the raw PATCH bodies received for this channel.
	Edits []json.RawMessage
}

// Reaction is one reaction present on a message.
type Reaction struct {
	ChannelID string
	MessageID string
	Emoji     string
	UserID    string
}

// Callback is one interaction response (POST …/callback).
type Callback struct {
	InteractionID string
	Token         string
	Type          int
	Content       string
	Flags         int
	Payload       json.RawMessage
	// Choices (autocomplete), Modal (a modal opened) and Options (the
	// string selects of a message) as checked by checkPicker.
	Choices []Choice
	Modal   *Modal
	Options []SelectOption
	// Files are the attachments of a multipart response (a chart).
	Files []File
}

// Ephemeral reports whether the response carries flag 64.
func (c Callback) Ephemeral() bool { return c.Flags&64 != 0 }

// Request is one REST request as received.
type Request struct {
	Method string
	Path   string
	Route  Route
	Body   []byte
}

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	t   testing.TB

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	lastID    uint64
	channels  map[string]*Channel
	messages  map[string]*Message
	order     []string // message ids in creation order
	reactions map[Reaction]bool

	// echoReactions: the bot's own reactions are dispatched back to the
	// gateway, as Discord does (EchoReactions).
	echoReactions bool

	callbacks []Callback
	followups []Message
	commands  map[string]json.RawMessage // guild id → last bulk overwrite
	requests  []Request
	failures  map[Route][]Failure
	files     map[string][]byte    // attachment path → bytes
	users     map[string]bool      // known user ids for interactions
	tokens    map[string]time.Time // interaction token → when it was issued
	itypes    map[string]int       // interaction id → its type, to check the callback
	members   map[string]User      // users seen writing or clicking, by id
	guildies  map[string]User      // the guild's members as listed (parity.go)
	presences map[string]string    // user id → status (parity.go)

	gw *gateway

	// nonces are the enforced nonces of the bot's messages (nonce.go).
	nonces      map[string]nonceSeen
	nonceWindow time.Duration
	nonceHits   int

	doctor doctorState // doctor.go
}

// New starts a fake and stops it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		t:         t,
		changed:   make(chan struct{}),
		channels:  map[string]*Channel{},
		messages:  map[string]*Message{},
		reactions: map[Reaction]bool{},
		commands:  map[string]json.RawMessage{},
		failures:  map[Route][]Failure{},
		files:     map[string][]byte{},
		users:     map[string]bool{},
		tokens:    map[string]time.Time{},
		itypes:    map[string]int{},
		members:   map[string]User{},
		guildies:  map[string]User{},
		presences: map[string]string{},
	}
	s.gw = newGateway(s)
	mux := http.NewServeMux()
	route := func(r Route, h http.HandlerFunc) {
		method, path, _ := strings.Cut(string(r), " ")
		mux.HandleFunc(method+" /api/v9"+path, s.wrap(r, h))
	}
	route(RouteGateway, s.gateway)
	route(RouteGatewayBot, s.gatewayBot)
	route(RouteGetChannel, s.getChannel)
	route(RouteGetMessages, s.getMessages)
	route(RouteGetMember, s.getMember)
	route(RouteListMembers, s.listMembers) // parity.go
	route(RouteEditChannel, s.editChannel)
	route(RouteCreateMessage, s.createMessage)
	route(RouteEditMessage, s.editMessage)
	route(RouteStartThread, s.startThreadFromMessage)
	route(RouteStartThreadNoMsg, s.startThread)
	route(RouteAddReaction, s.addReaction)
	route(RouteRemoveReaction, s.removeReaction)
	route(RouteCallback, s.callback)
	route(RouteFollowup, s.followup)
	route(RouteEditOriginal, s.editOriginal)
	route(RouteBulkCommands, s.bulkCommands)
	route(RouteGetMe, s.getMe)                   // doctor.go
	route(RouteGetApplication, s.getApplication) // doctor.go
	route(RouteGetGuild, s.getGuild)             // doctor.go
	mux.HandleFunc("GET /attachments/{path...}", s.download)
	mux.HandleFunc("GET /ws/", s.gw.serve)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(Request{Method: r.Method, Path: r.URL.Path, Route: "unrouted"})
		writeError(w, Failure{Status: http.StatusNotFound, Code: 0, Message: "404: Not Found"})
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		s.gw.closeAll()
		s.srv.Close()
	})
	return s
}

// URL is the fake's base URL (http://127.0.0.1:port), to use as
// discord.Config.APIBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// CDNURL is what attachment URLs in dispatched messages start with; the
// workspace's transport rewrites this host to the fake as well.
const CDNURL = "https://cdn.discordapp.com"

// NewID returns a fresh, strictly increasing snowflake.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	id := uint64(time.Now().UnixMilli()-discordEpoch) << 22
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

// AddTextChannel creates a guild text channel and returns its id.
func (s *Server) AddTextChannel(name string) string { return s.addChannel(TypeText, name, "") }

// AddForumChannel creates a forum channel offering tags with these names
// and returns its id; ForumTagID finds a tag's id.
func (s *Server) AddForumChannel(name string, tags ...string) string {
	id := s.addChannel(TypeForum, name, "")
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[id]
	for _, t := range tags {
		c.AvailableTags = append(c.AvailableTags, ForumTag{ID: s.newIDLocked(), Name: t})
	}
	return id
}

// ForumTagID returns the id of the forum's tag called name, or "".
func (s *Server) ForumTagID(forumID, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[forumID]; ok {
		for _, t := range c.AvailableTags {
			if t.Name == name {
				return t.ID
			}
		}
	}
	return ""
}

// AddThread creates a public thread under parent (as if an agent had
// started it) and returns its id.
func (s *Server) AddThread(parentID, name string) string {
	return s.addChannel(TypePublicThread, name, parentID)
}

func (s *Server) addChannel(typ int, name, parent string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newIDLocked()
	s.channels[id] = &Channel{ID: id, Type: typ, Name: name, ParentID: parent}
	s.notifyLocked()
	return id
}

// AddAttachment makes bytes downloadable at the returned CDN URL.
func (s *Server) AddAttachment(channelID, filename string, data []byte) (id, url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = s.newIDLocked()
	path := channelID + "/" + id + "/" + filename
	s.files[path] = data
	return id, CDNURL + "/attachments/" + path
}

// FailNext makes the next calls of route fail, one failure per call, in
// order. AnyRoute fails whichever route comes next.
func (s *Server) FailNext(route Route, failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[route] = append(s.failures[route], failures...)
}

// Channel returns a copy of a channel the fake holds.
func (s *Server) Channel(id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return Channel{}, false
	}
	cp := *c
	cp.AvailableTags = append([]ForumTag(nil), c.AvailableTags...)
	cp.AppliedTags = append([]string(nil), c.AppliedTags...)
	cp.Edits = append([]json.RawMessage(nil), c.Edits...)
	return cp, true
}

// Threads returns the threads (and forum posts) under parentID, oldest
// first.
func (s *Server) Threads(parentID string) []Channel {
	s.mu.Lock()
	var ids []string
	for id, c := range s.channels {
		if c.ParentID == parentID {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	// Snowflakes of one length sort as numbers when sorted as strings.
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
	out := make([]Channel, 0, len(ids))
	for _, id := range ids {
		if c, ok := s.Channel(id); ok {
			out = append(out, c)
		}
	}
	return out
}

// Message returns a copy of a message the fake holds.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// Messages returns the messages of a channel (or thread) in creation order.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, id := range s.order {
		if m := s.messages[id]; m.ChannelID == channelID {
			out = append(out, *m)
		}
	}
	return out
}

// Reactions returns the reactions present on a message.
func (s *Server) Reactions(channelID, messageID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for r := range s.reactions {
		if r.ChannelID == channelID && r.MessageID == messageID {
			out = append(out, r.Emoji)
		}
	}
	return out
}

// Callbacks returns the interaction responses received.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Callback(nil), s.callbacks...)
}

// Followups returns the webhook follow-up messages received.
func (s *Server) Followups() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.followups...)
}

// Commands returns the last bulk overwrite of a guild's commands.
func (s *Server) Commands(guildID string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.commands[guildID]
	return c, ok
}

// Requests returns every REST request received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests route received.
func (s *Server) Count(route Route) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Route == route {
			n++
		}
	}
	return n
}

// WaitFor waits until cond (called under no lock, after any change of the
// fake's state) returns true, failing the test after timeout.
func (s *Server) WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("discordtest: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// notifyLocked wakes WaitFor callers; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	s.notifyLocked()
}

// wrap records the request and applies injected failures.
func (s *Server) wrap(route Route, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		s.record(Request{Method: r.Method, Path: r.URL.Path, Route: route, Body: body})
		if r.Header.Get("Authorization") != Token {
			writeError(w, Unauthorized())
			return
		}
		if f, ok := s.takeFailure(route); ok {
			writeError(w, f)
			return
		}
		h(w, r)
	}
}

func (s *Server) takeFailure(route Route) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []Route{route, AnyRoute} {
		if q := s.failures[key]; len(q) > 0 {
			s.failures[key] = q[1:]
			return q[0], true
		}
	}
	return Failure{}, false
}

// writeError writes Discord's error answer, with rate-limit headers and
// body for a 429.
func writeError(w http.ResponseWriter, f Failure) {
	w.Header().Set("Content-Type", "application/json")
	if f.Status == http.StatusTooManyRequests {
		secs := f.RetryAfter.Seconds()
		after := strconv.FormatFloat(secs, 'f', 3, 64)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		w.Header().Set("X-RateLimit-Reset-After", after)
		w.Header().Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(f.RetryAfter).UnixMilli())/1000, 'f', 3, 64))
		scope := "user"
		if f.Global {
			scope = "global"
			w.Header().Set("X-RateLimit-Global", "true")
		} else {
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Bucket", "fakebucket")
		}
		w.Header().Set("X-RateLimit-Scope", scope)
		w.WriteHeader(f.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"message": f.Message, "retry_after": secs, "global": f.Global, "code": 0,
		})
		return
	}
	w.WriteHeader(f.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": f.Code, "message": f.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-RateLimit-Limit", "5")
	w.Header().Set("X-RateLimit-Remaining", "4")
	w.Header().Set("X-RateLimit-Reset-After", "1.000")
	w.Header().Set("X-RateLimit-Bucket", "fakebucket")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, Failure{Status: http.StatusBadRequest, Code: 50035, Message: "Invalid Form Body: " + msg})
}
