package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
)

// Messenger test identities: the Page (the inbox) and a customer's PSID.
const (
	pageID          = "104510918123456"
	customerPSID    = "1254459154682919"
	messengerSecret = "messenger-app-secret"
)

// messengerFakes is the fake Graph server of each env with Messenger, so
// the webhook helpers can tell it which messages customers sent (the
// client reads a message's sender before mark_seen).
var messengerFakes sync.Map // *env → *messengertest.Server

// withMessenger serves pageID through fake, on team (empty: default).
func withMessenger(fake *messengertest.Server, team string) option {
	teamLine := ""
	if team != "" {
		teamLine = "      team: " + team + "\n"
	}
	top := withTopLevel(fmt.Sprintf(`messenger:
  graph_api_url: %q
  app_secret: %q
  verify_token: verify-me
  inboxes:
    - page_id: %q
      access_token: %q
      name: Facebook Shop
%s`, fake.URL, messengerSecret, pageID, messengertest.DefaultToken, teamLine))
	return func(e *env, b *strings.Builder) {
		messengerFakes.Store(e, fake)
		e.t.Cleanup(func() { messengerFakes.Delete(e) })
		top(e, b)
	}
}

// messengerURL is the app's Messenger webhook.
func (e *env) messengerURL() string { return e.baseURL + "/webhooks/messenger" }

// customerMessages posts a signed Page webhook with items and requires 200.
func (e *env) customerMessages(items ...messengertest.Item) {
	e.t.Helper()
	if fake, ok := messengerFakes.Load(e); ok {
		for _, it := range items {
			msg, _ := it["message"].(map[string]any)
			sender, _ := it["sender"].(map[string]any)
			if mid, _ := msg["mid"].(string); mid != "" && msg["is_echo"] == nil {
				fake.(*messengertest.Server).AddMessage(mid, sender["id"].(string))
			}
		}
	}
	resp := messengertest.PostWebhook(e.t, e.messengerURL(), messengerSecret, messengertest.Envelope(pageID, items...))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// messengerWrites posts a customer's text, as Meta would.
func (e *env) messengerWrites(mid string, at time.Time, text string) {
	e.t.Helper()
	e.customerMessages(messengertest.TextItem(pageID, customerPSID, mid, text, at))
}

// threadHas reports whether some post in the thread under ts contains sub.
func threadHasNot(t *testing.T, texts []string, sub string) {
	t.Helper()
	for _, s := range texts {
		require.False(t, strings.Contains(s, sub), "the thread shows %q: %q", sub, s)
	}
}
