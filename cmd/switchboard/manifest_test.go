package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestSlackManifestCommandUsesTheConfiguredPublicURL(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	require.NoError(t, runWith([]string{"slack-manifest", "-config", "../../configs/switchboard.example.yaml"}, &out, &errOut))
	var m struct {
		Settings struct {
			EventSubscriptions struct {
				RequestURL string `yaml:"request_url"`
			} `yaml:"event_subscriptions"`
		} `yaml:"settings"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(out.String()), &m))
	require.Equal(t, "https://switchboard.example.com/slack/events", m.Settings.EventSubscriptions.RequestURL, "server.public_url of the example")

	out.Reset()
	require.NoError(t, runWith([]string{"slack-manifest", "-config", "../../configs/switchboard.example.yaml", "-public-url", "https://sb.test.example"}, &out, &errOut))
	require.Contains(t, out.String(), "request_url: https://sb.test.example/slack/interactivity", "-public-url wins")
}

func TestSlackManifestCommandExplainsABadPublicURL(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	err := runWith([]string{"slack-manifest", "-config", "../../configs/switchboard.example.yaml", "-public-url", "http://sb.test.example"}, &out, &errOut)
	require.EqualError(t, err, `slack-manifest: -public-url: "http://sb.test.example" is not https (Slack accepts only https request URLs); `+
		`write the https address Slack reaches this server at, e.g. "https://switchboard.example.com" `+
		`(set server.public_url, or SWITCHBOARD_PUBLIC_URL with the built-in configuration, or pass -public-url)`)
	require.Empty(t, out.String())
}
