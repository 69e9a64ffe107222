package slack

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// recorder is a bridge.AgentInbound that remembers what it was given.
type recorder struct {
	mu       sync.Mutex
	messages []bridge.AgentMessage
	actions  []bridge.AgentAction
	commands []bridge.AgentCommand
	members  []bridge.MembershipChange
	edits    []bridge.AgentEdit
	deletes  []bridge.AgentDelete
	reacts   []bridge.AgentReaction
	err      error
}

func (r *recorder) HandleAgentEdit(_ context.Context, e bridge.AgentEdit) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.edits = append(r.edits, e)
	return nil
}

func (r *recorder) HandleAgentDelete(_ context.Context, d bridge.AgentDelete) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.deletes = append(r.deletes, d)
	return nil
}

func (r *recorder) HandleAgentReaction(_ context.Context, x bridge.AgentReaction) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.reacts = append(r.reacts, x)
	return nil
}

func (r *recorder) HandleMembershipChange(_ context.Context, c bridge.MembershipChange) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.members = append(r.members, c)
	return nil
}

func (r *recorder) HandleAgentMessage(_ context.Context, m bridge.AgentMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.messages = append(r.messages, m)
	return nil
}

func (r *recorder) HandleAgentAction(_ context.Context, a bridge.AgentAction) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.actions = append(r.actions, a)
	return nil
}

func (r *recorder) HandleAgentCommand(_ context.Context, c bridge.AgentCommand) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commands = append(r.commands, c)
	if r.err != nil {
		return "", r.err
	}
	return "Queue: *3* waiting <b>", nil
}

func (r *recorder) Messages() []bridge.AgentMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bridge.AgentMessage(nil), r.messages...)
}

func (r *recorder) Actions() []bridge.AgentAction {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bridge.AgentAction(nil), r.actions...)
}

type bundle struct {
	base    string // http://127.0.0.1:port
	inbound *recorder
	handler *Handler
}

func (b bundle) events() string        { return b.base + "/slack/events" }
func (b bundle) interactivity() string { return b.base + "/slack/interactivity" }
func (b bundle) commands() string      { return b.base + "/slack/commands" }

// setup serves a Handler on a real port so requests go through fasthttp
// exactly as Slack's would.
func setup(t *testing.T, configure ...func(*Handler)) bundle {
	t.Helper()
	rec := &recorder{}
	h := &Handler{SigningSecret: testSecret, BotUserID: slacktest.BotUserID, BotID: slacktest.BotID, AppID: "AFAKEAPP",
		TeamID: slacktest.TeamID, Inbound: rec}
	for _, c := range configure {
		c(h)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	h.Register(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return bundle{base: "http://" + ln.Addr().String(), inbound: rec, handler: h}
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func TestEventsRefuseUnsignedAndStaleRequests(t *testing.T) {
	t.Parallel()
	b := setup(t)
	reply := slacktest.ThreadReply("Ev1", "C1", "100.000001", "100.000002", "U1", "hi")
	post := func(sig, ts string) int {
		req, err := http.NewRequest(http.MethodPost, b.events(), strings.NewReader(string(reply)))
		require.NoError(t, err)
		if sig != "" {
			req.Header.Set("X-Slack-Signature", sig)
		}
		if ts != "" {
			req.Header.Set("X-Slack-Request-Timestamp", ts)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	goodSig, goodTS := slacktest.Sign(testSecret, time.Now(), reply)
	badSig, _ := slacktest.Sign("other-secret", time.Now(), reply)
	staleSig, staleTS := slacktest.Sign(testSecret, time.Now().Add(-6*time.Minute), reply)

	require.Equal(t, http.StatusUnauthorized, post("", ""), "no headers")
	require.Equal(t, http.StatusUnauthorized, post(badSig, goodTS), "wrong secret")
	require.Equal(t, http.StatusUnauthorized, post(staleSig, staleTS), "stale timestamp")
	require.Empty(t, b.inbound.Messages())
	require.Equal(t, http.StatusOK, post(goodSig, goodTS))
	require.Len(t, b.inbound.Messages(), 1)
}

func TestURLVerificationEchoesChallengeAfterSignature(t *testing.T) {
	t.Parallel()
	b := setup(t)
	raw := fixtures.Read(t, "slack", "url_verification.json")
	resp := slacktest.PostEvent(t, b.events(), testSecret, raw)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct{ Challenge string }
	require.NoError(t, json.Unmarshal([]byte(body(t, resp)), &got))
	require.Equal(t, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", got.Challenge)

	resp = slacktest.PostEvent(t, b.events(), "wrong", raw)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestMalformedEventIsBadRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, raw := range []string{`{`, `[]`, `{"event":{}}`, ``} {
		resp := slacktest.PostEvent(t, b.events(), testSecret, []byte(raw))
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, raw)
	}
}

// TestEveryFixtureIsAccepted signs each shared fixture's exact bytes and
// posts it where Slack would: none may get a 5xx, bots are ignored and
// thread replies reach the bridge.
func TestEveryFixtureIsAccepted(t *testing.T) {
	t.Parallel()
	dir := fixtures.Dir(t, "slack")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	forwarded := map[string]bool{"message_thread_reply_user.json": true, "message_thread_broadcast.json": true}
	for _, e := range entries {
		name := e.Name()
		if name == "SOURCES.md" || e.IsDir() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			raw := fixtures.Read(t, "slack", name)
			var resp *http.Response
			switch {
			case strings.HasSuffix(name, ".form.txt"):
				resp = slacktest.PostSigned(t, b.interactivity(), testSecret, "application/x-www-form-urlencoded", raw)
			case strings.HasPrefix(name, "slash_command"):
				resp = slacktest.PostSigned(t, b.commands(), testSecret, "application/x-www-form-urlencoded", raw)
			case isInteractionJSON(raw):
				// The decoded twin of a .form.txt: post it as Slack would,
				// and also to the events endpoint, which must not choke.
				resp = slacktest.PostInteraction(t, b.interactivity(), testSecret, raw)
				ev := slacktest.PostEvent(t, b.events(), testSecret, raw)
				require.Less(t, ev.StatusCode, 500)
			case filepath.Ext(name) == ".json":
				resp = slacktest.PostEvent(t, b.events(), testSecret, raw)
			default:
				t.Skipf("unknown fixture kind %s", name)
			}
			require.Equal(t, http.StatusOK, resp.StatusCode, body(t, resp))
			msgs := b.inbound.Messages()
			if forwarded[name] {
				require.Len(t, msgs, 1)
				require.NotEmpty(t, msgs[0].EventID)
				require.NotEmpty(t, msgs[0].ThreadKey)
				require.NotEqual(t, msgs[0].ThreadKey, msgs[0].MessageKey)
			} else {
				require.Empty(t, msgs, "only thread replies by people are forwarded")
			}
			require.Empty(t, b.inbound.Actions(), "fixtures carry no sb: buttons")
		})
	}
}

func isInteractionJSON(raw []byte) bool {
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &p)
	return p.Type == "block_actions" || p.Type == "view_submission"
}

func TestThreadReplyBecomesAgentMessage(t *testing.T) {
	t.Parallel()
	b := setup(t, func(h *Handler) {
		h.ResolveUser = func(_ context.Context, id string) string {
			if id == "U42" {
				return "Ana"
			}
			return ""
		}
	})
	raw := slacktest.ThreadReply("Ev9", "C9", "1700000000.000100", "1700000000.000200", "U7",
		"hi <@U42> and <@U99>, see <https://x.example/a?b=1&amp;c=2|the docs> in <#C1|general> &lt;3")
	resp := slacktest.PostEvent(t, b.events(), testSecret, raw)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, []bridge.AgentMessage{{
		Workspace: bridge.WorkspaceSlack, EventID: "Ev9", ChannelID: "C9",
		ThreadKey: "1700000000.000100", ThreadAt: time.Unix(1700000000, 0), MessageKey: "1700000000.000200", AuthorID: "U7",
		SentAt:   time.Unix(1700000000, 200_000),
		Text:     "hi @Ana and, see the docs (https://x.example/a?b=1&c=2) in #general <3",
		Mentions: []string{"U42", "U99"},
	}}, b.inbound.Messages())
}

func TestFileShareCarriesFiles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var env map[string]any
	require.NoError(t, json.Unmarshal(fixtures.Read(t, "slack", "message_file_share.json"), &env))
	env["event"].(map[string]any)["thread_ts"] = "1652227600.000001" // put the fixture in a thread
	raw, err := json.Marshal(env)
	require.NoError(t, err)
	resp := slacktest.PostEvent(t, b.events(), testSecret, raw)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	msgs := b.inbound.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, []bridge.AgentFile{{ID: "F111", Name: "file.png", MimeType: "image/png",
		URL: "https://files.slack.com/files-pri/T111-F111/download/file.png", Size: 92582}}, msgs[0].Files)
}

func TestOwnAndBotMessagesAreDropped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mk := func(mut func(ev map[string]any)) []byte {
		var env map[string]any
		require.NoError(t, json.Unmarshal(slacktest.ThreadReply("Ev", "C1", "1.000001", "1.000002", "U1", "x"), &env))
		mut(env["event"].(map[string]any))
		raw, err := json.Marshal(env)
		require.NoError(t, err)
		return raw
	}
	for name, mut := range map[string]func(map[string]any){
		"our bot user":      func(ev map[string]any) { ev["user"] = slacktest.BotUserID },
		"any bot_id":        func(ev map[string]any) { ev["bot_id"] = "B999" },
		"a bot_profile":     func(ev map[string]any) { ev["bot_profile"] = map[string]any{"app_id": "A9"} },
		"our app":           func(ev map[string]any) { ev["app_id"] = "AFAKEAPP" },
		"top level":         func(ev map[string]any) { delete(ev, "thread_ts") },
		"the thread root":   func(ev map[string]any) { ev["ts"] = "1.000001" },
		"an edit":           func(ev map[string]any) { ev["subtype"] = "message_changed" },
		"a channel join":    func(ev map[string]any) { ev["subtype"] = "channel_join" },
		"an app_mention":    func(ev map[string]any) { ev["type"] = "app_mention" },
		"a classic bot msg": func(ev map[string]any) { ev["subtype"] = "bot_message"; delete(ev, "user") },
	} {
		resp := slacktest.PostEvent(t, b.events(), testSecret, mk(mut))
		require.Equal(t, http.StatusOK, resp.StatusCode, name)
	}
	require.Empty(t, b.inbound.Messages())
}

func TestBridgeFailureAsksSlackToRetry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.inbound.err = context.DeadlineExceeded
	resp := slacktest.PostEvent(t, b.events(), testSecret, slacktest.ThreadReply("Ev1", "C1", "1.000001", "1.000002", "U1", "x"))
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
}

func TestButtonClickBecomesAgentAction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	resp := slacktest.PostInteraction(t, b.interactivity(), testSecret,
		slacktest.ButtonClick("trig.1", "U5", "C5", "1700000000.000100", ActionID(bridge.VerbClaim), "42"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, []bridge.AgentAction{{
		Workspace: bridge.WorkspaceSlack, EventID: "trig.1", ConversationID: 42, Verb: bridge.VerbClaim,
		ActorID: "U5", ChannelID: "C5", ThreadKey: "1700000000.000100",
	}}, b.inbound.Actions())

	// Foreign buttons and values we did not write are ignored.
	for _, p := range [][]byte{
		slacktest.ButtonClick("trig.2", "U5", "C5", "1.1", "confirm", "42"),
		slacktest.ButtonClick("trig.3", "U5", "C5", "1.1", "sb:claim", "not-a-number"),
	} {
		resp = slacktest.PostInteraction(t, b.interactivity(), testSecret, p)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	require.Len(t, b.inbound.Actions(), 1)

	resp = slacktest.PostSigned(t, b.interactivity(), testSecret, "application/x-www-form-urlencoded", []byte("payload=%7B"))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestSlashCommandAnswersEphemerally(t *testing.T) {
	t.Parallel()
	b := setup(t)
	resp := slacktest.PostSlashCommand(t, b.commands(), testSecret, url.Values{
		"command": {"/switchboard"}, "text": {" queue "}, "user_id": {"U1"}, "channel_id": {"C1"},
	})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, `{"response_type":"ephemeral","text":"Queue: *3* waiting &lt;b&gt;"}`, body(t, resp))
	require.Equal(t, []bridge.AgentCommand{{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", UserID: "U1", Text: "queue"}},
		b.inbound.Commands())

	b.inbound.mu.Lock()
	b.inbound.err = context.Canceled
	b.inbound.mu.Unlock()
	resp = slacktest.PostSlashCommand(t, b.commands(), testSecret, url.Values{"command": {"/switchboard"}, "text": {"status"}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body(t, resp), "did not work")
}

func (r *recorder) Commands() []bridge.AgentCommand {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bridge.AgentCommand(nil), r.commands...)
}

func TestWebhookResultsAreCounted(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	b := setup(t, func(h *Handler) { h.Metrics = bridge.NewMetrics(reg, nil) })
	slacktest.PostEvent(t, b.events(), testSecret, fixtures.Read(t, "slack", "bot_message.json"))
	slacktest.PostEvent(t, b.events(), testSecret, slacktest.ThreadReply("Ev1", "C1", "1.000001", "1.000002", "U1", "x"))
	slacktest.PostEvent(t, b.events(), "wrong", []byte(`{}`))

	families, err := reg.Gather()
	require.NoError(t, err)
	got := map[string]float64{}
	for _, fam := range families {
		if fam.GetName() != "switchboard_webhooks_received_total" {
			continue
		}
		for _, m := range fam.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			require.Equal(t, "slack", labels["platform"])
			got[labels["result"]] = m.GetCounter().GetValue()
		}
	}
	require.Equal(t, map[string]float64{bridge.ResultIgnored: 1, bridge.ResultAccepted: 1, bridge.ResultUnauthorized: 1}, got)
}

// Who is a guest is read from the event's team ids, and while our own
// team id is unknown everyone naming a team is one (fail closed).
func TestGuestsOfOtherWorkspacesAreMarked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		ourTeam  string
		userTeam string
		guest    bool
	}{
		{"a colleague of our workspace", slacktest.TeamID, slacktest.TeamID, false},
		{"a Slack Connect guest", slacktest.TeamID, "T0OTHERORG", true},
		{"anyone while our workspace is unknown", "", slacktest.TeamID, true},
		{"a colleague named by our Enterprise Grid organisation", slacktest.TeamID, "E0OURORG01", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(h *Handler) { h.TeamID, h.EnterpriseID = tc.ourTeam, "E0OURORG01" })
			resp := slacktest.PostEvent(t, b.events(), testSecret,
				slacktest.ThreadReplyFrom("EvG", "C9", "1700000000.000100", "1700000000.000200", "U7", tc.userTeam, "hi"))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			resp = slacktest.PostEvent(t, b.events(), testSecret, slacktest.MemberJoined("EvJ", "C9", "U7", tc.userTeam))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			b.inbound.mu.Lock()
			defer b.inbound.mu.Unlock()
			require.Len(t, b.inbound.messages, 1)
			require.Equal(t, tc.guest, b.inbound.messages[0].Guest)
			require.Equal(t, []bridge.MembershipChange{{Workspace: bridge.WorkspaceSlack, EventID: "EvJ", ChannelID: "C9",
				UserID: "U7", Joined: true, Guest: tc.guest}}, b.inbound.members)
		})
	}
}

func TestGuestClickOnACardIsMarked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		userTeam string
		guest    bool
	}{{slacktest.TeamID, false}, {"T0OTHERORG", true}, {"E0OURORG01", false}} {
		t.Run(tc.userTeam, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(h *Handler) { h.TeamID, h.EnterpriseID = slacktest.TeamID, "E0OURORG01" })
			var p map[string]any
			require.NoError(t, json.Unmarshal(slacktest.ButtonClick("trig.g", "U7", "C5", "1700000000.000100",
				ActionID(bridge.VerbClaim), "42"), &p))
			p["user"].(map[string]any)["team_id"] = tc.userTeam
			raw, err := json.Marshal(p)
			require.NoError(t, err)
			resp := slacktest.PostInteraction(t, b.interactivity(), testSecret, raw)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			acts := b.inbound.Actions()
			require.Len(t, acts, 1)
			require.Equal(t, tc.guest, acts[0].Guest, "a Slack Connect guest's click is a guest's, so the bridge refuses it")
		})
	}
}
