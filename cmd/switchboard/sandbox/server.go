package sandbox

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// web is the page (cmd/switchboard/sandbox/web): plain HTML, CSS and
// JavaScript, no build step.
//
//go:embed web
var web embed.FS

// longPoll is the longest GET /sandbox/api/state waits for a change.
const longPoll = 20 * time.Second

// sandbox is the page's side of a running sandbox: the phones, and the
// hands of the people in the workspace.
type sandbox struct {
	wa     *whatsapptest.Server
	slack  *slacktest.Server
	appURL string // switchboard's own listener
	keys   secrets
	log    *slog.Logger
	client *http.Client
	done   chan struct{}

	mu        sync.Mutex
	version   int64
	notify    chan struct{}
	seq       int64
	start     int64
	customers []*customer
}

// customer is one phone: who they are and what they wrote (what the
// business sent them is read from the Graph simulator).
type customer struct {
	Customer
	wrote []PhoneMessage
}

func newSandbox(wa *whatsapptest.Server, slack *slacktest.Server, appURL string, keys secrets, log *slog.Logger) *sandbox {
	sb := &sandbox{wa: wa, slack: slack, appURL: appURL, keys: keys, log: log, done: make(chan struct{}),
		notify: make(chan struct{}), start: time.Now().Unix(), client: &http.Client{Timeout: 30 * time.Second}}
	for _, c := range seedCustomers {
		sb.customers = append(sb.customers, &customer{Customer: c})
	}
	return sb
}

// stop ends the long polls in flight.
func (sb *sandbox) stop() { close(sb.done) }

// changedLocked records a change of the sandbox's own state; mu is held.
func (sb *sandbox) changedLocked() {
	sb.version++
	close(sb.notify)
	sb.notify = make(chan struct{})
}

// nextLocked is a number unique in this run; mu is held.
func (sb *sandbox) nextLocked() int64 { sb.seq++; return sb.seq }

// routes is everything the front listener serves; listen is its address
// (host:port), the only Host the sandbox answers (see sameMachineOnly).
func (sb *sandbox) routes(listen string, app http.Handler) http.Handler {
	page, _ := fs.Sub(web, "web") // "web" is embedded above: cannot fail
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFileFS(w, r, page, "index.html")
	})
	mux.Handle("GET /sandbox/web/", http.StripPrefix("/sandbox/web/", http.FileServerFS(page)))
	mux.HandleFunc("GET /sandbox/api/state", sb.getState)
	mux.HandleFunc("GET /sandbox/media/{id}", sb.getMedia)
	mux.HandleFunc("POST /sandbox/api/customer/send", handle(sb.customerSend))
	mux.HandleFunc("POST /sandbox/api/customer/view", handle(sb.customerView))
	mux.HandleFunc("POST /sandbox/api/agent/message", handle(sb.agentMessage))
	mux.HandleFunc("POST /sandbox/api/agent/click", handle(sb.agentClick))
	mux.HandleFunc("POST /sandbox/api/agent/command", handle(sb.agentCommand))
	mux.HandleFunc("POST /sandbox/api/agent/shortcut", handle(sb.agentShortcut))
	mux.HandleFunc("POST /sandbox/api/agent/view", handle(sb.agentViewSubmit))
	mux.HandleFunc("POST /sandbox/api/agent/view/close", handle(sb.agentViewClose))
	mux.HandleFunc("POST /sandbox/api/agent/react", handle(sb.agentReact))
	mux.Handle("/sandbox/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, ErrorReply{Error: r.Method + " " + r.URL.Path + " is not part of the sandbox API (see cmd/switchboard/sandbox/api.go)"})
	}))
	mux.Handle("/", app)
	return sameMachineOnly(listen, mux)
}

// sameMachineOnly answers 403 to a request whose Host is not the sandbox's
// own address. Listening on loopback keeps other machines out but not the
// user's own browser: a site that rebinds its DNS name to 127.0.0.1 could
// otherwise read the state and /metrics through it, as same-origin.
func sameMachineOnly(listen string, next http.Handler) http.Handler {
	allowed := map[string]bool{strings.ToLower(listen): true}
	if _, port, err := net.SplitHostPort(listen); err == nil {
		for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
			allowed[net.JoinHostPort(host, port)] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed[strings.ToLower(r.Host)] {
			writeJSON(w, http.StatusForbidden, ErrorReply{Error: "the sandbox answers only requests addressed to " + listen + " (Host " + strconv.Quote(r.Host) + ")"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiError is a mistake of the caller (400, or status when set).
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

// handle decodes a JSON request strictly, runs fn and answers its result
// or its error in plain words: a caller's mistake is 4xx, a platform or
// switchboard refusing is 502.
func handle[Req, Resp any](fn func(context.Context, Req) (Resp, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Only the page may act: a JSON content type makes a browser ask
		// (preflight) before another site's script can send it, and a
		// browser names the page that sends it in Origin.
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeJSON(w, http.StatusUnsupportedMediaType, ErrorReply{Error: "the sandbox API takes Content-Type: application/json, got " + strconv.Quote(r.Header.Get("Content-Type"))})
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !strings.EqualFold(origin, "http://"+r.Host) {
			writeJSON(w, http.StatusForbidden, ErrorReply{Error: "the sandbox API answers only its own page (http://" + r.Host + "), not " + strconv.Quote(origin)})
			return
		}
		var req Req
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, ErrorReply{Error: "the request body is not the expected JSON: " + err.Error()})
			return
		}
		resp, err := fn(r.Context(), req)
		var ae *apiError
		switch {
		case errors.As(err, &ae):
			writeJSON(w, ae.status, ErrorReply{Error: ae.msg})
		case err != nil:
			writeJSON(w, http.StatusBadGateway, ErrorReply{Error: err.Error()})
		default:
			writeJSON(w, http.StatusOK, resp)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // JSON read by script, never inlined in HTML: keep "<@U…>" readable
	_ = enc.Encode(v)
}

// getState answers GET /sandbox/api/state, waiting for a version newer
// than ?after= for up to longPoll.
func (sb *sandbox) getState(w http.ResponseWriter, r *http.Request) {
	after := int64(0)
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			writeJSON(w, http.StatusBadRequest, ErrorReply{Error: "after must be a version number (0 or more), got " + strconv.Quote(a)})
			return
		}
		after = n
	}
	if after > 0 {
		sb.waitNewer(r.Context(), after)
	}
	writeJSON(w, http.StatusOK, sb.state())
}

// waitNewer returns once the version (the sum of the simulators' and the
// sandbox's own, each only growing) is not after any more, after longPoll,
// or when the caller goes away.
func (sb *sandbox) waitNewer(ctx context.Context, after int64) {
	deadline := time.NewTimer(longPoll)
	defer deadline.Stop()
	for {
		v1, c1 := sb.wa.Changes()
		v2, c2 := sb.slack.Changes()
		sb.mu.Lock()
		v3, c3 := sb.version, sb.notify
		sb.mu.Unlock()
		// A version behind the page's is a restarted sandbox: answer at
		// once so the page starts over instead of waiting for it to catch up.
		if v1+v2+v3 != after {
			return
		}
		select {
		case <-c1:
		case <-c2:
		case <-c3:
		case <-deadline.C:
			return
		case <-ctx.Done():
			return
		case <-sb.done:
			return
		}
	}
}

// state is the whole sandbox now; its version is read first, so the
// state is at least that new.
func (sb *sandbox) state() State {
	v1, _ := sb.wa.Changes()
	v2, _ := sb.slack.Changes()
	sb.mu.Lock()
	v3 := sb.version
	customers := make([]Customer, 0, len(sb.customers))
	for _, c := range sb.customers {
		cc := c.Customer
		cc.Messages = slices.Clone(c.wrote)
		customers = append(customers, cc)
	}
	sb.mu.Unlock()

	read := map[string]bool{}
	for _, r := range sb.wa.Reads() {
		read[r.MessageID] = true
	}
	sends := sb.wa.Sends()
	for i := range customers {
		c := &customers[i]
		for j := range c.Messages {
			if read[c.Messages[j].ID] {
				c.Messages[j].Status = "read"
			}
		}
		for _, s := range sends {
			if s.To == c.WaID {
				c.Messages = append(c.Messages, sb.phoneMessage(s))
			}
		}
		slices.SortStableFunc(c.Messages, func(a, b PhoneMessage) int { return a.At.Compare(b.At) })
	}
	return State{
		Version:   v1 + v2 + v3,
		Label:     Label,
		Business:  Business{Name: businessName, Phone: "+1 555 078 3881"},
		Customers: customers,
		Workspace: sb.workspace(),
		Script:    script,
	}
}

// phoneMessage is a message the business sent, as the phone shows it.
func (sb *sandbox) phoneMessage(s whatsapptest.Send) PhoneMessage {
	m := PhoneMessage{ID: s.WAMID, From: "business", Kind: s.Type, Text: s.Text, Caption: s.Caption, Filename: s.Filename,
		QuotedID: s.ReplyTo, Status: sb.wa.MessageStatus(s.WAMID), At: sb.wa.SentAt(s.WAMID)}
	for _, r := range sb.wa.Receipts(s.WAMID) {
		m.Receipts = append(m.Receipts, Receipt{Status: r.Status, At: r.At})
	}
	if s.MediaID != "" {
		m.MediaURL = "/sandbox/media/" + s.MediaID
	}
	switch {
	case s.Template != nil:
		m.Template = s.Template.Name + "@" + s.Template.Language
		m.Text = renderTemplate(s.Template.Name, s.Template.Language, s.Template.BodyParams)
	case s.Interactive != nil:
		m.Text = s.Interactive.Body
		for _, b := range s.Interactive.Buttons {
			m.Buttons = append(m.Buttons, Button{ID: b.ID, Title: b.Title})
		}
	case s.Reaction != nil:
		m.Text, m.QuotedID = s.Reaction.Emoji, s.Reaction.MessageID
	}
	return m
}

// renderTemplate is a template's body with its values, as the phone shows
// it (the sandbox knows its own templates' texts).
func renderTemplate(name, language string, params []string) string {
	for _, t := range seedTemplates() {
		if t.Name != name || t.Language != language {
			continue
		}
		for _, c := range t.Components {
			if c.Type == "BODY" {
				text := c.Text
				for i, p := range params {
					text = strings.ReplaceAll(text, "{{"+strconv.Itoa(i+1)+"}}", p)
				}
				return text
			}
		}
	}
	return name + " " + strings.Join(params, " · ")
}

// workspace is the Slack side of the state.
func (sb *sandbox) workspace() Workspace {
	ws := Workspace{Name: workspaceName, Users: seedUsers, Channels: seedChannels, Messages: []SlackMessage{}, Views: []OpenView{}}
	for _, m := range sb.slack.History() {
		sm := SlackMessage{Channel: m.Channel, TS: m.TS, ThreadTS: m.ThreadTS, User: m.User, Bot: m.Bot, Username: m.Username,
			Text: m.Text, Blocks: m.Blocks, EphemeralTo: m.EphemeralTo}
		for _, r := range m.Reactions {
			sm.Reactions = append(sm.Reactions, Reaction{Name: r.Name, Count: len(r.Users), Users: r.Users})
		}
		for _, f := range m.Files {
			sm.Files = append(sm.Files, File{ID: f.FileID, Name: f.Filename, Mimetype: f.Mimetype(), URL: "/sandbox/media/slack-" + f.FileID})
		}
		ws.Messages = append(ws.Messages, sm)
	}
	for _, v := range sb.slack.OpenViews() {
		ws.Views = append(ws.Views, OpenView{ID: v.ID, User: v.User, View: v.JSON, Errors: v.Errors})
	}
	return ws
}

// getMedia serves a picture either way: "slack-F…" a file switchboard
// uploaded to the workspace, anything else a WhatsApp media id.
func (sb *sandbox) getMedia(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var data []byte
	var mime string
	var ok bool
	if file, isSlack := strings.CutPrefix(id, "slack-"); isSlack {
		data, ok = sb.slack.UploadData(file)
	} else {
		mime, data, ok = sb.wa.Media(id)
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, ErrorReply{Error: "no media " + strconv.Quote(id)})
		return
	}
	if mime == "" {
		mime = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = io.Copy(w, bytes.NewReader(data))
}
