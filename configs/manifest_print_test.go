package configs

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestSlackManifestFillsEveryRequestURLWithThePublicURL(t *testing.T) {
	t.Parallel()
	for _, publicURL := range []string{"https://sb.example.com", "https://sb.example.com/", "https://example.com/switchboard"} {
		out, err := SlackManifest(publicURL)
		require.NoError(t, err, publicURL)
		var m slackManifest
		require.NoError(t, yaml.Unmarshal(out, &m), "the output parses as YAML")
		base := strings.TrimRight(publicURL, "/")
		require.Equal(t, base+"/slack/commands", m.Features.SlashCommands[0].URL)
		require.Equal(t, base+"/slack/events", m.Settings.EventSubscriptions.RequestURL)
		require.Equal(t, base+"/slack/interactivity", m.Settings.Interactivity.RequestURL)
		require.NotContains(t, string(out), "YOUR-HOST", "no placeholder (nor the instruction to replace it) remains")
		require.Contains(t, string(out), "# Slack app manifest for switchboard at "+base)
		require.Contains(t, string(out), "# post customer messages under the customer's name", "the scopes keep their comments")
		require.Equal(t, SlackBotScopes(), m.OAuthConfig.Scopes.Bot, "scopes unchanged")
		// Every URL the manifest holds points at the configured host.
		var doc any
		require.NoError(t, yaml.Unmarshal(out, &doc))
		urls := collectURLs(doc)
		require.Len(t, urls, 3)
		for _, raw := range urls {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			require.Equal(t, "https", u.Scheme, raw)
			require.True(t, strings.HasPrefix(raw, base+"/slack/"), raw)
			require.Contains(t, []string{"sb.example.com", "example.com"}, u.Host, raw)
		}
	}
}

func TestSlackManifestRefusesAPublicURLSlackWouldNot(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ publicURL, want string }{
		{"", "the public URL is not set; write the https address Slack reaches this server at"},
		{"http://sb.example.com", `"http://sb.example.com" is not https (Slack accepts only https request URLs)`},
		{"sb.example.com", `"sb.example.com" is not a URL`},
		{"https://sb.example.com/?a=b", `has a query, fragment or user name`},
	} {
		_, err := SlackManifest(tc.publicURL)
		require.ErrorContains(t, err, tc.want, tc.publicURL)
		require.ErrorContains(t, err, `e.g. "https://switchboard.example.com"`, tc.publicURL)
	}
}

func TestSlackBotScopesAreTheManifests(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"chat:write", "chat:write.customize", "channels:history", "groups:history", "channels:read",
		"groups:read", "reactions:write", "reactions:read", "files:write", "files:read", "users:read", "commands"}, SlackBotScopes())
}

// collectURLs returns every string value of a decoded YAML document that
// is an http(s) URL other than Slack's own (the comments are not values).
func collectURLs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			out = append(out, collectURLs(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, collectURLs(e)...)
		}
	case string:
		if strings.HasPrefix(x, "http://") || strings.HasPrefix(x, "https://") {
			out = append(out, x)
		}
	}
	return out
}
