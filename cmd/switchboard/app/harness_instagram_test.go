package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/instagram/instagramtest"
)

// Instagram test accounts: one connected with Instagram Login, one through
// its Facebook Page.
const (
	igAccount     = "17841405822304914"
	igPageAccount = "17841405822300001"
	igPageID      = "102290129340398"
	igAppSecret   = "ig-app-secret"
	igToken       = "IGAA-test-token"
	igPageToken   = "EAA-page-test-token"
)

// withInstagram configures both Instagram accounts against fake (both API
// roots point at it) and registers their tokens there.
func withInstagram(fake *instagramtest.Server) option {
	fake.AddAccount(igAccount, igToken)
	fake.AddAccount(igPageID, igPageToken)
	return withTopLevel(fmt.Sprintf(`instagram:
  graph_api_url: %q
  page_graph_api_url: %q
  app_secret: %q
  verify_token: ig-verify
  inboxes:
    - account_id: %q
      access_token: %q
      name: Shop Instagram
    - account_id: %q
      access_token: %q
      page_id: %q
      name: Brand Instagram
`, fake.URL, fake.URL, igAppSecret, igAccount, igToken, igPageAccount, igPageToken, igPageID))
}

// igEnv is a running switchboard with Instagram configured against a fake.
type igEnv struct {
	*env
	ig *instagramtest.Server
}

// setupInstagram starts switchboard on dialect with both Instagram
// accounts configured against a fresh fake.
func setupInstagram(t *testing.T, dialect string, opts ...option) *igEnv {
	t.Helper()
	fake := instagramtest.New(t)
	return &igEnv{env: setup(t, dialect, append([]option{withInstagram(fake)}, opts...)...), ig: fake}
}

// igMessages are the fake's recorded messages, sender actions (mark_seen,
// typing, reactions) aside.
func igMessages(sends []instagramtest.Send) []instagramtest.Send {
	var out []instagramtest.Send
	for _, s := range sends {
		if s.SenderAction == "" {
			out = append(out, s)
		}
	}
	return out
}

// waitIGMessages waits until n messages reached the fake.
func (e *igEnv) waitIGMessages(n int) []instagramtest.Send {
	e.t.Helper()
	var got []instagramtest.Send
	require.Eventually(e.t, func() bool {
		got = igMessages(e.ig.Sends())
		return len(got) >= n
	}, waitLong, 10*time.Millisecond, "%d messages reach Instagram", n)
	return got
}

// instagramPosts delivers a signed Instagram webhook body and returns the
// status.
func (e *env) instagramPosts(body []byte) int {
	e.t.Helper()
	code, err := instagramtest.Post(e.baseURL+"/webhooks/instagram", igAppSecret, body)
	require.NoError(e.t, err)
	return code
}

// instagramWrites delivers a customer's text to account and requires 200;
// the fake then knows the message's sender (for mark_seen).
func (e *igEnv) instagramWrites(account, igsid, mid, text string, at time.Time) {
	e.t.Helper()
	e.ig.AddMessage(mid, igsid)
	e.ig.CustomerWrote(igsid, at)
	require.Equal(e.t, http.StatusOK, e.instagramPosts(instagramtest.Text(account, igsid, mid, text, at)))
}

// hasAll reports whether s contains every one of subs.
func hasAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// storedPayload is the stored payload of the message with externalID.
func (e *env) storedPayload(externalID string) string {
	e.t.Helper()
	var payload string
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &payload,
		e.app.DB.Rebind(`SELECT payload FROM messages WHERE external_id = ?`), externalID))
	return payload
}
