package slack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// FuzzEventParse feeds arbitrary bodies to the Events API parser and
// message filter: they may refuse, never panic, and never forward a
// message without a thread.
func FuzzEventParse(f *testing.F) {
	for _, path := range fixtures.Files(f, "slack", ".json") {
		raw, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add(slacktest.ThreadReply("Ev1", "C1", "1.000001", "1.000002", "U1", "<@U1> <https://a|b> &amp;"))
	h := &Handler{BotUserID: "UB", BotID: "BB", AppID: "AA",
		ResolveUser: func(context.Context, string) string { return "x" }}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := parseEnvelope(body)
		if err != nil {
			return
		}
		msg, _, ok := h.agentMessage(context.Background(), env)
		if ok && (msg.ThreadKey == "" || msg.MessageKey == "" || msg.ChannelID == "" || msg.AuthorID == "") {
			t.Fatalf("forwarded a message outside a thread: %+v", msg)
		}
	})
}

// FuzzInteractionParse feeds arbitrary form bodies to the interactivity
// parser.
func FuzzInteractionParse(f *testing.F) {
	dir := fixtures.Dir(f, "slack")
	for _, path := range fixtures.Files(f, "slack", ".txt") {
		if !strings.HasSuffix(path, ".form.txt") {
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, name := range []string{"block_actions_button.json", "block_actions_button_minimal.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(slacktest.InteractionBody(raw)))
	}
	f.Add([]byte(slacktest.InteractionBody(slacktest.ButtonClick("t", "U1", "C1", "1.000001", "sb:claim", "9"))))
	f.Fuzz(func(t *testing.T, body []byte) {
		acts, err := parseInteraction(body)
		if err != nil {
			return
		}
		for _, a := range acts {
			if a.Verb == "" {
				t.Fatalf("action without a verb: %+v", a)
			}
		}
	})
}

// FuzzVerify: the signature check never panics, rejects anything not
// signed with the secret, and accepts what is.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_750_000_000, 0)
	sig, ts := slacktest.Sign("secret", now, []byte(`{"type":"event_callback"}`))
	f.Add("secret", sig, ts, []byte(`{"type":"event_callback"}`))
	f.Add("secret", "v0=00", "1750000000", []byte("x"))
	f.Add("", "", "", []byte(nil))
	f.Add("secret", "v1=abc", "not-a-number", []byte("{}"))
	f.Fuzz(func(t *testing.T, secret, sigHeader, tsHeader string, body []byte) {
		err := Verify(secret, sigHeader, tsHeader, body, now)
		good, goodTS := slacktest.Sign(secret, now, body)
		// Hex digits may come in either case: the same MAC, the same secret.
		if err == nil && (secret == "" || (!strings.EqualFold(sigHeader, good) && tsHeader == goodTS)) {
			t.Fatalf("accepted a request not signed with the secret: sig %q", sigHeader)
		}
		if secret != "" {
			if err := Verify(secret, good, goodTS, body, now); err != nil {
				t.Fatalf("rejected a correctly signed request: %v", err)
			}
		}
	})
}
