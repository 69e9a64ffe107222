package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage/storagetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	storagetest.DropTemplate()
	os.Exit(code)
}

const (
	appSecret     = "wa-app-secret"
	signingSecret = "slack-signing-secret"
	phoneID       = "106540352242922"
	channel       = "C0SUPPORT01"
	waitLong      = 15 * time.Second
)

// soak is true when SWITCHBOARD_SOAK is set: fault tests then run their
// longer bench versions (make bench-faults) instead of the quick ones.
func soak() bool { return os.Getenv("SWITCHBOARD_SOAK") != "" }

// env is one running switchboard with its fake platforms.
type env struct {
	t        *testing.T
	dbURL    string
	wa       *whatsapptest.Server
	slack    *slacktest.Server
	cfg      *configs.Config
	tune     app.Tuning
	app      *app.App
	baseURL  string
	stopOnce sync.Once
	teams    string // the teams section of the config
	// slackYAML: extra lines of the slack section (indented two spaces).
	slackYAML string
	top       string // extra top-level sections
	// waYAML: extra lines of the whatsapp section (indented two spaces).
	waYAML string
	// inboxYAML: extra lines of the test inbox (indented six spaces).
	inboxYAML string
}

type option func(*env, *strings.Builder)

// withOptions appends YAML lines to the options section.
func withReopenWindow(d string) option {
	return func(_ *env, yaml *strings.Builder) { fmt.Fprintf(yaml, "  reopen_window: %s\n", d) }
}

// withTeams replaces the default single team (support, in channel).
func withTeams(yaml string) option {
	return func(e *env, _ *strings.Builder) { e.teams = yaml }
}

// withTopLevel adds top-level config sections (routing, classifier).
func withTopLevel(yaml string) option {
	return func(e *env, _ *strings.Builder) { e.top += yaml }
}

// channelAgents are the people every test channel of the fake Slack lists
// as members (conversations.members): membership follows the channel, so
// these are the agents of a team without a members list.
var channelAgents = []string{"UAGENT1", "UAGENT2", "U0AGENTA01", "U0AGENTB01", "U0AGENTB02", "U0AGENTC01",
	"U0SALES001", "U0SUPERV01", "U0RR000001", "U0RR000002", "U0RR000003", "U0RR000004", "U0RR000005",
	"U0RR000006", "U0RR000007"}

// withInbox adds lines to the test inbox (indented six spaces), e.g.
// "      country: ES\n".
func withInbox(yaml string) option {
	return func(e *env, _ *strings.Builder) { e.inboxYAML += yaml }
}

// withWhatsApp adds lines to the whatsapp section (indented two spaces),
// e.g. "  business_account_id: \"1\"\n".
func withWhatsApp(yaml string) option {
	return func(e *env, _ *strings.Builder) { e.waYAML += yaml }
}

// withSlack prepares the fake Slack before switchboard starts (e.g. to
// make conversations.members fail or list other people).
func withSlack(fn func(*slacktest.Server)) option {
	return func(e *env, _ *strings.Builder) { fn(e.slack) }
}

func withOrderWindow(d time.Duration) option {
	return func(e *env, _ *strings.Builder) { e.tune.OrderWindow = d }
}

func withReplyOrderWindow(d time.Duration) option {
	return func(e *env, _ *strings.Builder) { e.tune.ReplyOrderWindow = d }
}

func withTransport(rt http.RoundTripper) option {
	return func(e *env, _ *strings.Builder) {
		e.tune.HTTPClient = &http.Client{Transport: rt, Timeout: 30 * time.Second}
	}
}

// setup starts switchboard on a fresh database of dialect, against fresh
// fake Graph and Slack servers.
func setup(t *testing.T, dialect string, opts ...option) *env {
	t.Helper()
	e := &env{t: t, dbURL: storagetest.URL(t, dialect), wa: whatsapptest.New(t), slack: slacktest.New(t)}
	e.tune = app.Tuning{PollInterval: 10 * time.Millisecond, Log: testLogger(t)}
	e.teams = "teams:\n  - name: support\n    slack_channel: " + channel + "\n"
	e.slack.DefaultChannelMembers(channelAgents...)
	var extra strings.Builder
	for _, o := range opts {
		o(e, &extra)
	}
	yaml := fmt.Sprintf(`
database:
  url: %q
  # Many tests share the machine's server: keep each one's pool small.
  max_open_conns: 6
whatsapp:
  graph_api_url: %q
  access_token: %q
  app_secret: %q
  verify_token: verify-me
%s  inboxes:
    - phone_number_id: %q
      name: Support line
%sslack:
  api_url: %q
  bot_token: %q
  signing_secret: %q
  posts_per_minute: 0
%s%s%s
options:
  auto_claim_on_reply: true
%s`, e.dbURL, e.wa.URL, e.wa.Token, appSecret, e.waYAML, phoneID, e.inboxYAML, e.slack.URL(), slacktest.Token, signingSecret, e.slackYAML, e.teams, e.top, extra.String())
	cfg, err := configs.Parse([]byte(yaml), "e2e.yaml", func(string) string { return "" })
	require.NoError(t, err)
	e.cfg = cfg
	e.start()
	t.Cleanup(e.stop)
	return e
}

func (e *env) start() {
	e.t.Helper()
	a, err := app.Build(context.Background(), e.cfg, e.tune)
	require.NoError(e.t, err)
	require.NoError(e.t, a.Start(context.Background()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(e.t, err)
	go func() { _ = a.Serve(ln) }()
	e.app, e.baseURL, e.stopOnce = a, "http://"+ln.Addr().String(), sync.Once{}
}

// stop shuts the running app down, giving in-flight work `grace`.
func (e *env) stopWithin(grace time.Duration) {
	e.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		_ = e.app.Shutdown(ctx)
	})
}

func (e *env) stop() { e.stopWithin(5 * time.Second) }

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	// Quiet unless the test fails: then its warnings and errors are what
	// explains a rare failure seen only under CI's load.
	kept := &lastLines{max: 300}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("switchboard's warnings and errors during this test:\n%s", kept.String())
		}
	})
	return slog.New(slog.NewTextHandler(kept, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// lastLines keeps the last max log lines written to it.
type lastLines struct {
	mu    sync.Mutex
	max   int
	lines []string
	lost  int
}

func (l *lastLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(p))
	if len(l.lines) > l.max {
		l.lost += len(l.lines) - l.max
		l.lines = l.lines[len(l.lines)-l.max:]
	}
	return len(p), nil
}

func (l *lastLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	head := ""
	if l.lost > 0 {
		head = fmt.Sprintf("(%d earlier lines left out)\n", l.lost)
	}
	return head + strings.Join(l.lines, "")
}

// customerWrites posts a signed text webhook as Meta would.
func (e *env) customerWrites(from, name, wamid string, at time.Time, text string) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.TextMessage(phoneID, from, name, wamid, at, text))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// agentReplies posts a signed Slack thread reply event.
func (e *env) agentReplies(eventID, threadTS, ts, user, text string) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret,
		slacktest.ThreadReply(eventID, channel, threadTS, ts, user, text))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// memberJoins posts a signed member_joined_channel event: user (of
// workspace team) joined ch.
func (e *env) memberJoins(eventID, ch, user, team string) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret, slacktest.MemberJoined(eventID, ch, user, team))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// memberLeaves posts a signed member_left_channel event.
func (e *env) memberLeaves(eventID, ch, user, team string) {
	e.t.Helper()
	resp := slacktest.PostEvent(e.t, e.baseURL+"/slack/events", signingSecret, slacktest.MemberLeft(eventID, ch, user, team))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// clicks presses a card button.
func (e *env) clicks(triggerID, user, cardTS, verb string, conversation string) {
	e.t.Helper()
	resp := slacktest.PostInteraction(e.t, e.baseURL+"/slack/interactivity", signingSecret,
		slacktest.ButtonClick(triggerID, user, channel, cardTS, "sb:"+verb, conversation))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// cards returns the top-level posts (status cards) in the channel.
func cards(posts []slacktest.Message) []slacktest.Message {
	var out []slacktest.Message
	for _, p := range posts {
		if p.ThreadTS == "" {
			out = append(out, p)
		}
	}
	return out
}

// inThread returns the texts posted in the thread under ts, in order.
func inThread(posts []slacktest.Message, ts string) []string {
	var out []string
	for _, p := range posts {
		if p.ThreadTS == ts {
			out = append(out, p.Text)
		}
	}
	return out
}

func containsText(texts []string, sub string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

// waitThread waits until the thread under the first card holds a post
// containing each of subs, and returns the card.
func (e *env) waitCardAndThread(subs ...string) slacktest.Message {
	e.t.Helper()
	var card slacktest.Message
	e.slack.WaitForPosts(e.t, func(posts []slacktest.Message) bool {
		cs := cards(posts)
		if len(cs) == 0 {
			return false
		}
		card = cs[0]
		texts := inThread(posts, card.TS)
		for _, s := range subs {
			if containsText(texts, s) == 0 {
				return false
			}
		}
		return true
	}, waitLong)
	return card
}

// conversationID reads the conversation id from the card's Claim/Resolve
// button value.
func conversationID(t *testing.T, card slacktest.Message) string {
	t.Helper()
	const marker = `"value":"`
	blocks := string(card.Blocks)
	i := strings.Index(blocks, `"action_id":"sb:`)
	require.NotEqual(t, -1, i, "the card has buttons")
	j := strings.Index(blocks[i:], marker)
	require.NotEqual(t, -1, j)
	rest := blocks[i+j+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}
