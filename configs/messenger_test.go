package configs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMessengerSection(t *testing.T) {
	t.Parallel()
	t.Run("a Page gets the defaults and shows in the summary without its token", func(t *testing.T) {
		t.Parallel()
		c, err := Parse([]byte(minimal+`
messenger:
  app_secret: s3cret
  verify_token: v
  inboxes:
    - page_id: "104510918123456"
      access_token: EAAG-page-token
      name: Shop
`), "x.yaml", noEnv)
		require.NoError(t, err)
		require.Equal(t, DefaultGraphAPIURL, c.Messenger.GraphAPIURL)
		require.Equal(t, DefaultAPIVersion, c.Messenger.APIVersion)
		require.True(t, c.HasPlatformCredentials())
		require.Contains(t, c.Summary(), `page 104510918123456 "Shop" -> team support (default), access token set`)
		require.NotContains(t, c.Summary(), "EAAG-page-token")
	})
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"a Page name where the id belongs", "messenger:\n  app_secret: s\n  verify_token: v\n  inboxes:\n    - page_id: my-shop\n      access_token: t\n",
			[]string{`messenger.inboxes[0].page_id: "my-shop" must be digits only`, DocMessenger}},
		{"a Page without a token", "messenger:\n  app_secret: s\n  verify_token: v\n  inboxes:\n    - page_id: \"1\"\n",
			[]string{"messenger.inboxes[0].access_token: is required", "pages_messaging"}},
		{"Pages without an app secret or verify token", "messenger:\n  inboxes:\n    - page_id: \"1\"\n      access_token: t\n",
			[]string{"messenger.app_secret: is required", "messenger.verify_token: is required"}},
		{"a Page id that is also a WhatsApp number id", "whatsapp:\n  inboxes:\n    - phone_number_id: \"1065\"\nmessenger:\n  app_secret: s\n  verify_token: v\n  inboxes:\n    - page_id: \"1065\"\n      access_token: t\n",
			[]string{`messenger.inboxes[0].page_id: "1065" is already used by whatsapp.inboxes[0]`}},
		{"an unknown team", "messenger:\n  app_secret: s\n  verify_token: v\n  inboxes:\n    - page_id: \"1\"\n      access_token: t\n      team: sales\n",
			[]string{`messenger.inboxes[0].team: no team is called "sales"`}},
		{"a bad version", "messenger:\n  api_version: \"23\"\n", []string{`messenger.api_version: "23" is not a Graph API version`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(minimal+tt.yaml), "x.yaml", noEnv)
			require.Error(t, err)
			for _, w := range tt.want {
				require.True(t, strings.Contains(err.Error(), w), "%q not in\n%s", w, err)
			}
		})
	}
}
