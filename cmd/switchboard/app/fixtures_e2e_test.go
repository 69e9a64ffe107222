package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
)

// expectedInThread says what an agent must see in the thread for one
// customer message, whatever its kind.
func expectedInThread(m bridge.InboundMessage) string {
	switch m.Kind {
	case bridge.KindText:
		return firstLine(m.Text)
	case bridge.KindLocation:
		return "google.com/maps"
	case bridge.KindContacts:
		return m.Contacts[0].Name
	case bridge.KindInteractive, bridge.KindButton:
		return m.Text
	case bridge.KindUnsupported:
		return "cannot deliver"
	case bridge.KindSystem:
		return "WhatsApp notice"
	case bridge.KindOrder:
		return "Order"
	case bridge.KindRevoke:
		return "deleted a message"
	case bridge.KindReaction:
		if m.Reaction != nil && m.Reaction.Emoji != "" {
			return "Reacted"
		}
		return "Removed a reaction"
	}
	return ""
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// mediaIDs finds the media ids a fixture refers to, so the fake Graph API
// can serve them.
func mediaIDs(m bridge.InboundMessage) []string {
	if m.Media != nil && m.Media.ID != "" {
		return []string{m.Media.ID}
	}
	return nil
}

// Every real WhatsApp payload, signed and posted to the running server, is
// accepted and shown in the thread as the customer sent it; statuses are
// accepted without a post; nothing is answered 5xx.
func TestEveryWhatsAppFixtureIsShownInTheThread(t *testing.T) {
	t.Parallel()
	files := fixtures.Files(t, "whatsapp", ".json")
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, file := range files {
			name := filepath.Base(file)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				body := fixtures.Read(t, "whatsapp", name)
				hook, err := whatsapp.Parse(body)
				require.NoError(t, err)
				e := setup(t, dialect)
				for _, m := range hook.Messages {
					for _, id := range mediaIDs(m) {
						e.wa.AddMedia(id, firstNonEmpty(m.Media.MimeType, "application/octet-stream"), []byte("media bytes of "+id))
					}
				}
				resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				if len(hook.Messages) == 0 {
					require.Empty(t, e.slack.Posts(), "a status alone opens no thread")
					return
				}
				seen := map[string]bool{}
				for _, m := range hook.Messages {
					if seen[m.ExternalID] {
						continue // the same wamid twice in one delivery is one message
					}
					seen[m.ExternalID] = true
					if m.Kind == bridge.KindReaction && m.Reaction != nil && seen[m.Reaction.TargetExternalID] {
						// A reaction to a message in the thread shows as a reaction on it.
						e.slack.WaitForReactions(t, func(r []slacktest.Reaction) bool { return len(r) > 0 }, waitLong)
						continue
					}
					if m.Media != nil && m.Media.ID != "" {
						uploads := e.slack.WaitForUploads(t, func(u []slacktest.Upload) bool { return len(u) > 0 }, waitLong)
						require.Equal(t, "media bytes of "+m.Media.ID, string(uploads[0].Data), "the customer's file, as sent")
						require.NotEmpty(t, uploads[0].ThreadTS, "in the thread")
						continue
					}
					want := expectedInThread(m)
					require.NotEmpty(t, want, "an expectation for kind %s", m.Kind)
					e.waitCardAndThread(want)
				}
			})
		}
	})
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// Every real Slack payload, signed and posted to its endpoint, is answered
// without a server error, and none of them sends anything to a customer.
func TestEverySlackFixtureIsAccepted(t *testing.T) {
	t.Parallel()
	dir := fixtures.Dir(t, "slack")
	e := setup(t, "sqlite")
	matches, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, matches)
	for _, file := range matches {
		name := filepath.Base(file)
		if name == "SOURCES.md" {
			continue
		}
		body := fixtures.Read(t, "slack", name)
		endpoint, contentType := "/slack/events", "application/json"
		switch {
		case strings.HasSuffix(name, ".form.txt"):
			endpoint, contentType = "/slack/interactivity", "application/x-www-form-urlencoded"
		case strings.HasPrefix(name, "slash_command"):
			endpoint, contentType = "/slack/commands", "application/x-www-form-urlencoded"
		case !json.Valid(body):
			continue
		}
		resp := slacktest.PostSigned(t, e.baseURL+endpoint, signingSecret, contentType, bytes.TrimSpace(body))
		require.Less(t, resp.StatusCode, 500, "%s answered %d", name, resp.StatusCode)
		require.NotEqual(t, http.StatusUnauthorized, resp.StatusCode, "%s: signed correctly", name)
	}
	require.Empty(t, e.wa.Sends(), "fixture threads are not ours: nothing goes to a customer")
}

// A file an agent attaches in the thread reaches the customer as WhatsApp
// media (uploaded, then sent by id).
func TestAgentAttachmentReachesCustomerAsMedia(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.f1", time.Now(), "Send me the invoice")
		card := e.waitCardAndThread("Send me the invoice")
		pdf := []byte("%PDF-1.4 invoice")
		fileURL := e.slack.AddFile("invoice.pdf", pdf)
		event := map[string]any{
			"type": "event_callback", "event_id": "EvFile", "team_id": slacktest.TeamID,
			"event": map[string]any{
				"type": "message", "subtype": "file_share", "user": "UAGENT1", "text": "Here it is",
				"ts": "1700000050.000100", "thread_ts": card.TS, "channel": channel,
				"files": []map[string]any{{"id": "F1", "name": "invoice.pdf", "mimetype": "application/pdf",
					"size": len(pdf), "url_private": fileURL, "url_private_download": fileURL}},
			},
		}
		raw, err := json.Marshal(event)
		require.NoError(t, err)
		resp := slacktest.PostEvent(t, e.baseURL+"/slack/events", signingSecret, raw)
		require.Equal(t, http.StatusOK, resp.StatusCode)

		sends := e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "text", sends[0].Type)
		require.Equal(t, "Here it is", sends[0].Text)
		require.Equal(t, "document", sends[1].Type)
		uploads := e.wa.Uploads()
		require.Len(t, uploads, 1)
		require.Equal(t, pdf, uploads[0].Data)
		require.Equal(t, uploads[0].ID, sends[1].MediaID, "sent by the uploaded id")
	})
}
