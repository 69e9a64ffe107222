package app_test

import (
	"fmt"
	"net/http"
	"strings"
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

// instagramPosts delivers a signed Instagram webhook body and returns the
// status.
func (e *env) instagramPosts(body []byte) int {
	e.t.Helper()
	code, err := instagramtest.Post(e.baseURL+"/webhooks/instagram", igAppSecret, body)
	require.NoError(e.t, err)
	return code
}

// instagramWrites delivers a customer's text to account and requires 200.
func (e *env) instagramWrites(account, igsid, mid, text string, at time.Time) {
	e.t.Helper()
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
