package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/configs"
)

// Guide sections for Slack fixes.
const (
	docSlackToken    = "docs/setup-slack.md#2-install-it-and-copy-the-credentials"
	docSlackScopes   = "docs/setup-slack.md#1-create-the-app-from-the-manifest"
	docSlackChannels = "docs/setup-slack.md#3-create-the-team-channels-and-invite-the-bot"
)

// slack runs auth.test (which also brings the granted scopes, in the
// X-OAuth-Scopes header), compares the scopes with the manifest's, and
// checks that the bot is a member of every team channel.
func (c *checker) slack(ctx context.Context) {
	if c.cfg.Slack.BotToken == "" {
		return // listed by config as a missing credential
	}
	scopes := &scopeRecorder{next: c.opts.HTTPClient.Transport}
	hc := *c.opts.HTTPClient
	hc.Transport = scopes
	api := slackapi.New(c.cfg.Slack.BotToken, slackapi.OptionAPIURL(c.cfg.Slack.APIURL), slackapi.OptionHTTPClient(&hc))

	cctx, cancel := c.bounded(ctx)
	auth, err := api.AuthTestContext(cctx)
	cancel()
	if err != nil {
		var se slackapi.SlackErrorResponse
		if errors.As(err, &se) {
			c.fail("slack", "auth.test", fmt.Sprintf("the bot token was refused (%s)", se.Err),
				"copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN (slack.bot_token); reinstall the app if it was removed", docSlackToken)
		} else {
			c.fail("slack", "auth.test", fmt.Sprintf("Slack did not answer: %v", err),
				"check slack.api_url and this host's outgoing HTTPS", docSlackToken)
		}
		return
	}
	c.ok("slack", "auth.test", fmt.Sprintf("workspace %q (%s), bot @%s (%s)", auth.Team, auth.TeamID, auth.User, auth.UserID))
	c.slackScopes(scopes.granted)
	c.slackChannels(ctx, api, auth.User)
}

// slackScopes compares the granted scopes with the manifest's bot scopes.
func (c *checker) slackScopes(granted []string) {
	if granted == nil {
		c.hint("slack", "scopes", "Slack did not report the granted scopes (no X-OAuth-Scopes header)",
			"compare OAuth & Permissions → Scopes with `switchboard slack-manifest`", docSlackScopes)
		return
	}
	var missing []string
	for _, s := range configs.SlackBotScopes() {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		c.fail("slack", "scopes", "missing "+strings.Join(missing, ", "),
			"add them under OAuth & Permissions → Bot Token Scopes (or update the app from `switchboard slack-manifest`), then reinstall the app to the workspace", docSlackScopes)
		return
	}
	c.ok("slack", "scopes", fmt.Sprintf("all %d of the manifest's bot scopes granted", len(configs.SlackBotScopes())))
}

// slackChannels checks the bot's membership of every team's channels.
func (c *checker) slackChannels(ctx context.Context, api *slackapi.Client, bot string) {
	for _, t := range c.cfg.Teams {
		if t.Workspace() != "slack" {
			continue
		}
		for _, id := range append([]string{t.SlackChannel}, t.MoreSlackChannels...) {
			if id == "" {
				continue
			}
			name := fmt.Sprintf("team %q channel %s", t.Name, id)
			cctx, cancel := c.bounded(ctx)
			ch, err := api.GetConversationInfoContext(cctx, &slackapi.GetConversationInfoInput{ChannelID: id})
			cancel()
			var se slackapi.SlackErrorResponse
			switch {
			case errors.As(err, &se) && se.Err == "channel_not_found":
				c.fail("slack", name, "channel not found: a wrong id, or a private channel the bot is not in",
					fmt.Sprintf("check the id (channel → About → Channel ID); for a private channel type `/invite @%s` in it", bot), docSlackChannels)
			case err != nil:
				c.fail("slack", name, fmt.Sprintf("conversations.info failed: %v", err),
					"check the channel id and the app's channels:read and groups:read scopes", docSlackChannels)
			case !ch.IsMember:
				c.fail("slack", name, fmt.Sprintf("the bot is not in #%s: it can neither post cards nor see replies", ch.Name),
					fmt.Sprintf("type `/invite @%s` in #%s", bot, ch.Name), docSlackChannels)
			default:
				c.ok("slack", name, fmt.Sprintf("#%s, the bot is a member", ch.Name))
			}
		}
	}
}

// scopeRecorder keeps the X-OAuth-Scopes header of the answers it carries:
// Slack reports there the scopes granted to the token used, and slack-go
// does not expose response headers.
type scopeRecorder struct {
	next    http.RoundTripper
	granted []string // nil until a response carries the header
}

func (s *scopeRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := s.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if h, ok := resp.Header["X-Oauth-Scopes"]; ok {
		s.granted = []string{}
		for _, v := range strings.Split(strings.Join(h, ","), ",") {
			if v = strings.TrimSpace(v); v != "" {
				s.granted = append(s.granted, v)
			}
		}
	}
	return resp, nil
}
