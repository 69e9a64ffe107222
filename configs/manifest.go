package configs

import (
	_ "embed"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed slack-app-manifest.yaml
var slackManifestYAML []byte

// manifestHost is the placeholder every request URL of the manifest file
// starts with; SlackManifest replaces it with the public URL.
const manifestHost = "https://YOUR-HOST"

// SlackManifest returns configs/slack-app-manifest.yaml for a server
// reachable at publicURL (server.public_url): every request URL filled in,
// and the file's opening instructions, which tell a reader of the file to
// replace YOUR-HOST, swapped for ones that fit the filled-in copy. Slack
// accepts only https request URLs, so anything else is an error saying
// what to write instead.
func SlackManifest(publicURL string) ([]byte, error) {
	base, err := manifestBase(publicURL)
	if err != nil {
		return nil, err
	}
	body := string(slackManifestYAML)
	// The file opens with a comment block for people editing it by hand;
	// the YAML proper starts at its first top-level key.
	start := strings.Index(body, "\n_metadata:")
	if start < 0 {
		return nil, fmt.Errorf("slack-app-manifest.yaml: no _metadata key")
	}
	header := "# Slack app manifest for switchboard at " + base + "\n" +
		"# (printed by `switchboard slack-manifest`).\n" +
		"#\n" +
		"# Use it at https://api.slack.com/apps → Create New App → From an app manifest\n" +
		"# → pick the workspace → paste this (YAML tab). The request URLs must answer\n" +
		"# before Slack accepts them: start switchboard before saving, or save now and\n" +
		"# click \"Retry\" under Event Subscriptions once it runs. Then install the app\n" +
		"# and check the setup with `switchboard doctor`. Step by step:\n" +
		"# docs/setup-slack.md.\n"
	return []byte(header + strings.ReplaceAll(body[start+1:], manifestHost, base)), nil
}

// manifestBase checks a public URL for Slack's request URLs and returns it
// without a trailing slash.
func manifestBase(publicURL string) (string, error) {
	const example = `write the https address Slack reaches this server at, e.g. "https://switchboard.example.com"`
	if strings.TrimSpace(publicURL) == "" {
		return "", fmt.Errorf("the public URL is not set; %s", example)
	}
	u, err := url.Parse(publicURL)
	switch {
	case err != nil || u.Host == "":
		return "", fmt.Errorf("%q is not a URL; %s", publicURL, example)
	case u.Scheme != "https":
		return "", fmt.Errorf("%q is not https (Slack accepts only https request URLs); %s", publicURL, example)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", fmt.Errorf("%q has a query, fragment or user name; %s", publicURL, example)
	}
	return strings.TrimRight(publicURL, "/"), nil
}

// SlackBotScopes are the bot token scopes the Slack app manifest asks for;
// `switchboard doctor` compares them with the scopes the token was granted.
func SlackBotScopes() []string { return slices.Clone(slackBotScopes()) }

// slackBotScopes parses the manifest once: the fake Slack answers every
// call with them (X-OAuth-Scopes), and parsing YAML per call was a tenth
// of the delivery benchmark's own CPU.
var slackBotScopes = sync.OnceValue(func() []string {
	var m struct {
		OAuthConfig struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(slackManifestYAML, &m); err != nil {
		// The file is embedded and tested: it cannot fail to parse.
		panic("configs: slack-app-manifest.yaml: " + err.Error())
	}
	return m.OAuthConfig.Scopes.Bot
})
