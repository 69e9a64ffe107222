package configs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInstagramDefaultsAndModes(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal+`
instagram:
  app_secret: s3cret
  verify_token: tok
  inboxes:
    - account_id: "17841400000000001"
      access_token: IGAAT
      name: Shop
    - account_id: "17841400000000002"
      access_token: EAAP
      page_id: "102290129340398"
      team: support
`), "x.yaml", noEnv)
	require.NoError(t, err)
	ig := c.Instagram
	require.Equal(t, DefaultInstagramAPIURL, ig.GraphAPIURL)
	require.Equal(t, DefaultPageGraphAPIURL, ig.PageGraphAPIURL)
	require.Equal(t, DefaultAPIVersion, ig.APIVersion)
	require.False(t, ig.Inboxes[0].ThroughPage())
	require.True(t, ig.Inboxes[1].ThroughPage())
	require.True(t, c.HasPlatformCredentials(), "an Instagram token is a platform credential")
	sum := c.Summary()
	require.Contains(t, sum, `inbox 17841400000000001 "Shop" -> team support (default), Instagram Login, access token set`)
	require.Contains(t, sum, "through Page 102290129340398")
	require.NotContains(t, sum, "IGAAT", "secrets are never printed")
	require.NotContains(t, sum, "s3cret")
}

func TestInstagramErrorsNameTheFieldAndTheFix(t *testing.T) {
	t.Parallel()
	ok := "instagram:\n  app_secret: s\n  verify_token: v\n  inboxes:\n"
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"no account id", ok + "    - access_token: t\n",
			[]string{"instagram.inboxes[0].account_id: is required", DocInstagram}},
		{"a username for an account id", ok + "    - account_id: \"@shop\"\n      access_token: t\n",
			[]string{"instagram.inboxes[0].account_id", "looks like a username", "numeric id"}},
		{"no access token", ok + "    - account_id: \"178\"\n",
			[]string{"instagram.inboxes[0].access_token: is required", "instagram_business_manage_messages"}},
		{"no access token through a page", ok + "    - account_id: \"178\"\n      page_id: \"99\"\n",
			[]string{"instagram.inboxes[0].access_token: is required", "Page's access token"}},
		{"a page id that is not digits", ok + "    - account_id: \"178\"\n      access_token: t\n      page_id: my-page\n",
			[]string{"instagram.inboxes[0].page_id", "digits only", "remove it to use Instagram Login"}},
		{"the page id repeats the account id", ok + "    - account_id: \"178\"\n      access_token: t\n      page_id: \"178\"\n",
			[]string{"instagram.inboxes[0].page_id: is the same as account_id"}},
		{"an account listed twice", ok + "    - account_id: \"178\"\n      access_token: t\n    - account_id: \"178\"\n      access_token: t\n",
			[]string{"instagram.inboxes[1].account_id", "already used by instagram.inboxes[0]"}},
		{"an account id that is a whatsapp inbox's", "whatsapp:\n  inboxes:\n    - phone_number_id: \"178\"\n" + ok + "    - account_id: \"178\"\n      access_token: t\n",
			[]string{"instagram.inboxes[0].account_id", "whatsapp.inboxes[0].phone_number_id", "unique across channels"}},
		{"no app secret", "instagram:\n  verify_token: v\n  inboxes:\n    - account_id: \"178\"\n      access_token: t\n",
			[]string{"instagram.app_secret: is required", "webhooks come from Meta", "App settings"}},
		{"no verify token", "instagram:\n  app_secret: s\n  inboxes:\n    - account_id: \"178\"\n      access_token: t\n",
			[]string{"instagram.verify_token: is required"}},
		{"a bad api url", "instagram:\n  graph_api_url: graph.instagram.com\n",
			[]string{"instagram.graph_api_url", "not an http(s) URL", DefaultInstagramAPIURL}},
		{"a bad version", "instagram:\n  api_version: \"23\"\n",
			[]string{"instagram.api_version", "not a Graph API version"}},
		{"an unknown team", ok + "    - account_id: \"178\"\n      access_token: t\n      team: sales\n",
			[]string{"instagram.inboxes[0].team", `no team is called "sales"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", noEnv)
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
		})
	}
}
