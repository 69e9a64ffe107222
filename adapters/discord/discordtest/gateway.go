package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// HeartbeatIntervalMS is what HELLO asks for. Discord says ~41 s; tests
// never wait for a heartbeat, and discordgo sends its first one at once.
const HeartbeatIntervalMS = 41250

// frame is one gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

type logged struct {
	seq  int64
	kind string
	data json.RawMessage
}

// conn is one websocket connection; writes are serialised.
type conn struct {
	ws       *websocket.Conn
	mu       sync.Mutex
	compress bool
}

func (c *conn) send(f frame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// With "compress": true in IDENTIFY Discord may zlib-compress a
	// payload into a binary frame; discordgo inflates binary frames. The
	// fake compresses every dispatch so that path is always exercised.
	if c.compress && f.Op == 0 {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return c.ws.WriteMessage(websocket.BinaryMessage, buf.Bytes())
	}
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// session is a gateway session that survives connections until resumed.
type session struct {
	id   string
	seq  int64
	log  []logged
	conn *conn
	// intents are what IDENTIFY asked for: privileged events are sent
	// only to a session that asked (parity.go).
	intents int
}

// gateway is the fake's websocket side.
type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu         sync.Mutex
	sessions   map[string]*session
	current    *session
	conns      map[*conn]bool
	identifies []json.RawMessage
	resumes    int
	resumedSeq []int64
	heartbeats int
	// loseMissed drops events dispatched while the session has no
	// connection instead of replaying them on RESUME; refuseResume
	// answers the next RESUMEs with op 9 (invalid session).
	loseMissed   bool
	refuseResume bool
}

func newGateway(s *Server) *gateway {
	return &gateway{s: s, sessions: map[string]*session{}, conns: map[*conn]bool{}}
}

// url is the gateway URL GET /gateway answers; discordgo appends a slash
// if missing and "?v=9&encoding=json".
func (g *gateway) url() string { return "ws" + strings.TrimPrefix(g.s.srv.URL, "http") + "/ws/" }

func str(s string) *string { return &s }

func (g *gateway) changed() {
	g.s.mu.Lock()
	g.s.notifyLocked()
	g.s.mu.Unlock()
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Get("v") != "9" || q.Get("encoding") != "json" {
		w.WriteHeader(400)
		return
	}
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	g.mu.Lock()
	g.conns[c] = true
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		for _, ss := range g.sessions {
			if ss.conn == c {
				ss.conn = nil
			}
		}
		g.mu.Unlock()
		_ = ws.Close()
		g.changed()
	}()
	hello, _ := json.Marshal(map[string]any{"heartbeat_interval": HeartbeatIntervalMS})
	if c.send(frame{Op: 10, D: hello}) != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var in frame
		if json.Unmarshal(data, &in) != nil {
			_ = ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."))
			return
		}
		switch in.Op {
		case 1: // heartbeat
			g.mu.Lock()
			g.heartbeats++
			g.mu.Unlock()
			if c.send(frame{Op: 11}) != nil {
				return
			}
		case 2:
			if !g.identify(c, in.D) {
				return
			}
		case 6:
			if !g.resume(c, in.D) {
				return
			}
		}
	}
}

func (g *gateway) identify(c *conn, d json.RawMessage) bool {
	var id struct {
		Token    string `json:"token"`
		Compress bool   `json:"compress"`
		Intents  int    `json:"intents"`
	}
	if json.Unmarshal(d, &id) != nil || id.Token != Token {
		_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
		return false
	}
	c.compress = id.Compress
	sid := g.s.NewID()
	g.mu.Lock()
	ss := &session{id: "session-" + sid, conn: c, intents: id.Intents}
	g.sessions[ss.id] = ss
	g.current = ss
	g.identifies = append(g.identifies, d)
	ready, _ := json.Marshal(map[string]any{
		"v":                  9,
		"user":               map[string]any{"id": BotUserID, "username": BotUsername, "discriminator": "0", "bot": true, "verified": true},
		"session_id":         ss.id,
		"resume_gateway_url": g.url(),
		"guilds":             []any{map[string]any{"id": GuildID, "unavailable": true}},
		"private_channels":   []any{},
		"application":        map[string]any{"id": AppID, "flags": 0},
		"shard":              []int{0, 1},
	})
	ss.seq++
	seq := ss.seq
	ss.log = append(ss.log, logged{seq: seq, kind: "READY", data: ready})
	g.mu.Unlock()
	err := c.send(frame{Op: 0, D: ready, S: &seq, T: str("READY")})
	if err == nil {
		err = g.guildCreate(ss) // parity.go
	}
	g.changed()
	return err == nil
}

func (g *gateway) resume(c *conn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	_ = json.Unmarshal(d, &rs)
	g.mu.Lock()
	ss, ok := g.sessions[rs.SessionID]
	if !ok || rs.Token != Token || g.refuseResume {
		g.mu.Unlock()
		return c.send(frame{Op: 9, D: json.RawMessage("false")}) == nil
	}
	// Keep the compression the session identified with.
	if prev := ss.conn; prev != nil {
		c.compress = prev.compress
	} else {
		c.compress = g.compressFor(ss)
	}
	ss.conn = nil
	g.current = ss
	g.resumes++
	g.resumedSeq = append(g.resumedSeq, rs.Seq)
	g.mu.Unlock()
	// Discord replays what the session missed, then says RESUMED. The
	// connection is attached only when nothing is left to replay, so a
	// concurrent Dispatch cannot overtake the replay.
	last := rs.Seq
	for {
		g.mu.Lock()
		var missed []logged
		for _, e := range ss.log {
			if e.seq > last {
				missed = append(missed, e)
			}
		}
		if len(missed) == 0 {
			ss.conn = c
			ss.seq++
			break
		}
		g.mu.Unlock()
		for _, e := range missed {
			s := e.seq
			if c.send(frame{Op: 0, D: e.data, S: &s, T: str(e.kind)}) != nil {
				return false
			}
			last = e.seq
		}
	}
	seq := ss.seq
	g.mu.Unlock()
	err := c.send(frame{Op: 0, D: json.RawMessage("{}"), S: &seq, T: str("RESUMED")})
	g.changed()
	return err == nil
}

// compressFor reports whether the session's IDENTIFY asked for
// compression; g.mu must be held.
func (g *gateway) compressFor(ss *session) bool {
	for _, raw := range g.identifies {
		var id struct {
			Compress bool `json:"compress"`
		}
		if json.Unmarshal(raw, &id) == nil {
			return id.Compress
		}
	}
	return false
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for c := range g.conns {
		_ = c.ws.Close()
	}
}

// Dispatch sends an event (op 0) with the next sequence number to the
// current session. If the session has no connection (dropped, not yet
// resumed) the event waits in the session's log and is replayed on RESUME,
// as Discord does. It returns the sequence number.
func (s *Server) Dispatch(t testing.TB, kind string, data any) int64 {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatalf("discordtest: dispatch %s: %v", kind, err)
	}
	g := s.gw
	g.mu.Lock()
	ss := g.current
	if ss == nil {
		g.mu.Unlock()
		t.Fatalf("discordtest: dispatch %s: no gateway session (nobody identified)", kind)
		return 0
	}
	ss.seq++
	seq := ss.seq
	c := ss.conn
	if c != nil || !g.loseMissed {
		ss.log = append(ss.log, logged{seq: seq, kind: kind, data: raw})
	}
	g.mu.Unlock()
	if c != nil {
		// A write error means the connection is going away: the event
		// stays in the log for the resume.
		_ = c.send(frame{Op: 0, D: raw, S: &seq, T: str(kind)})
	}
	return seq
}

// LoseMissedEvents makes the fake forget events dispatched while the
// session has no connection, so a RESUME replays nothing: Discord keeps a
// session's backlog only for a while, and a new session (IDENTIFY) never
// gets the old one's. Messages sent meanwhile still exist over REST.
func (s *Server) LoseMissedEvents() {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	s.gw.loseMissed = true
}

// RefuseResume answers RESUMEs from now on with op 9 (invalid session,
// not resumable), so the client IDENTIFIES again and gets a new READY.
func (s *Server) RefuseResume() {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	s.gw.refuseResume = true
}

// DropConnection closes the current session's websocket without a close
// frame, as a network failure would; the session stays resumable.
func (s *Server) DropConnection(t testing.TB) {
	t.Helper()
	g := s.gw
	g.mu.Lock()
	var c *conn
	if g.current != nil {
		c = g.current.conn
		g.current.conn = nil
	}
	g.mu.Unlock()
	if c == nil {
		t.Fatalf("discordtest: drop connection: no connected session")
	}
	_ = c.ws.UnderlyingConn().Close()
	g.changed()
}

// Connections returns how many gateway websockets are open: with one bot
// token held by one elected replica, at most one.
func (s *Server) Connections() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return len(s.gw.conns)
}

// Identifies returns the IDENTIFY payloads received.
func (s *Server) Identifies() []json.RawMessage {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return append([]json.RawMessage(nil), s.gw.identifies...)
}

// Resumes returns how many RESUMEs succeeded.
func (s *Server) Resumes() int {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.resumes
}

// Connected reports whether the current session has a live connection.
func (s *Server) Connected() bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return s.gw.current != nil && s.gw.current.conn != nil
}

// WaitIdentified waits until n IDENTIFYs have been received.
func (s *Server) WaitIdentified(t testing.TB, n int) {
	t.Helper()
	s.WaitFor(t, 10*time.Second, fmt.Sprintf("%d identify", n), func() bool { return len(s.Identifies()) >= n })
}

// WaitResumed waits until n RESUMEs have succeeded.
func (s *Server) WaitResumed(t testing.TB, n int) {
	t.Helper()
	s.WaitFor(t, 15*time.Second, fmt.Sprintf("%d resume", n), func() bool { return s.Resumes() >= n })
}
