package configs

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Guides that explain how to obtain each credential.
const (
	DocWhatsApp = "docs/setup-whatsapp.md"
	DocSlack    = "docs/setup-slack.md"
	DocDiscord  = "docs/setup-discord.md"
)

var (
	digitsRE       = regexp.MustCompile(`^[0-9]+$`)
	apiVersionRE   = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)
	teamNameRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	slackChannelRE = regexp.MustCompile(`^[CG][A-Z0-9]{6,}$`)
	slackUserRE    = regexp.MustCompile(`^[UW][A-Z0-9]{6,}$`)
	slackAppRE     = regexp.MustCompile(`^A[A-Z0-9]{6,}$`)
	snowflakeRE    = regexp.MustCompile(`^[0-9]{15,21}$`)
)

// validate checks each field's local rules (after defaults).
func (c *Config) validate(d *decoder) {
	bad := func(path, format string, args ...any) {
		d.fail(d.lineOf(path), path, format, args...)
	}
	q := d.quote
	suggestSlug := func(path, name string) string {
		if d.env[path] != "" {
			return "support"
		}
		return slug(name)
	}

	// server
	s := c.Server
	if _, port, err := net.SplitHostPort(s.Listen); err != nil || port == "" {
		bad("server.listen", "%s is not host:port; write \":8080\" (all interfaces) or \"127.0.0.1:8080\"", q("server.listen", s.Listen))
	}
	if s.MetricsListen != "" {
		if _, port, err := net.SplitHostPort(s.MetricsListen); err != nil || port == "" {
			bad("server.metrics_listen", "%s is not host:port; write \"127.0.0.1:9090\", or remove it to serve /metrics on server.listen", q("server.metrics_listen", s.MetricsListen))
		} else if s.MetricsListen == s.Listen {
			bad("server.metrics_listen", "is the same address as server.listen; choose another port (e.g. \"127.0.0.1:9090\") or remove it")
		}
	}
	if s.PublicURL != "" {
		checkHTTPURL(bad, q, "server.public_url", s.PublicURL, "the https address Slack and Meta reach this server at, e.g. \"https://switchboard.example.com\"")
	}
	if s.BodyLimitBytes <= 0 {
		bad("server.body_limit_bytes", "must be more than 0; remove it for the default of 1 MiB")
	}
	if s.ShutdownTimeout <= 0 {
		bad("server.shutdown_timeout", "must be more than 0; remove it for the default of 30s")
	} else if s.DrainDelay >= s.ShutdownTimeout {
		bad("server.drain_delay", "%s is not shorter than server.shutdown_timeout (%s), which it is part of: in-flight work needs the rest; shorten it (5s is usual) or lengthen the timeout", s.DrainDelay, s.ShutdownTimeout)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, s.LogLevel) {
		bad("server.log_level", "%s is not a log level; use debug, info, warn or error", q("server.log_level", s.LogLevel))
	}

	// database
	db := c.Database
	switch u := db.URL; {
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		if _, err := url.Parse(u); err != nil {
			// Do not print the URL: it usually holds a password.
			bad("database.url", "is not a valid PostgreSQL URL; write postgres://user:password@host:5432/dbname?sslmode=require (percent-encode special characters in the password)")
		}
	case strings.HasPrefix(u, "sqlite:"):
		if strings.TrimPrefix(u, "sqlite:") == "" {
			bad("database.url", "names no file; write \"sqlite:./data/switchboard.db\" or \"sqlite::memory:\"")
		}
	default:
		bad("database.url", "must start with postgres://, postgresql:// or sqlite: (e.g. \"sqlite:./data/switchboard.db\"); leave it empty for the embedded SQLite default")
	}
	if db.MaxOpenConns < 0 {
		bad("database.max_open_conns", "must be 0 or more; remove it for the default of %d", DefaultMaxOpenConns)
	}

	// whatsapp
	w := c.WhatsApp
	checkHTTPURL(bad, q, "whatsapp.graph_api_url", w.GraphAPIURL, "remove it for "+DefaultGraphAPIURL)
	if !apiVersionRE.MatchString(w.APIVersion) {
		bad("whatsapp.api_version", "%s is not a Graph API version; write it like %q", q("whatsapp.api_version", w.APIVersion), DefaultAPIVersion)
	}
	checkAccount := func(path, id string) {
		if id != "" && !digitsRE.MatchString(id) {
			bad(path, "%s must be digits only: the WhatsApp Business Account ID shown in WhatsApp Manager → Account tools, or in the Meta app under WhatsApp → API Setup (see %s)", q(path, id), DocWhatsApp)
		}
	}
	checkAccount("whatsapp.business_account_id", w.BusinessAccountID)
	if every := w.TemplateSyncInterval.D(); every < time.Minute || every > 7*24*time.Hour {
		bad("whatsapp.template_sync_interval", "must be between 1m and 168h (webhooks keep templates current in between); remove it for the default of 1h")
	}
	seenInbox := map[string]int{}
	for i, in := range w.Inboxes {
		p := fmt.Sprintf("whatsapp.inboxes[%d]", i)
		checkAccount(p+".business_account_id", in.BusinessAccountID)
		id := in.PhoneNumberID
		switch {
		case c.unsetInbox(i):
			// reported by Missing
		case id == "":
			bad(p+".phone_number_id", "is required: the Phone number ID shown in the Meta app under WhatsApp → API Setup (see %s)", DocWhatsApp)
		case !digitsRE.MatchString(id):
			msg := "must be digits only"
			if strings.HasPrefix(id, "+") || digitsRE.MatchString(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(id)) {
				msg = "looks like a phone number; use the Phone number ID (a long number) shown under WhatsApp → API Setup, not the number itself"
			}
			bad(p+".phone_number_id", "%s %s (see %s)", q(p+".phone_number_id", id), msg, DocWhatsApp)
		default:
			if j, dup := seenInbox[id]; dup {
				bad(p+".phone_number_id", "%s is already used by whatsapp.inboxes[%d]; list each number once", q(p+".phone_number_id", id), j)
			}
			seenInbox[id] = i
		}
		if in.Country != "" && !phonenumbers.GetSupportedRegions()[in.Country] {
			hint := "an ISO 3166 alpha-2 country code in capitals, like \"ES\", \"BR\" or \"US\""
			if up := strings.ToUpper(strings.TrimSpace(in.Country)); phonenumbers.GetSupportedRegions()[up] {
				hint = fmt.Sprintf("write it in capitals: %q", up)
			}
			bad(p+".country", "%s is not a country agents' phone numbers can be read in; %s, or remove it so numbers must carry their country code (+34 …)", q(p+".country", in.Country), hint)
		}
	}

	// slack
	sl := c.Slack
	checkHTTPURL(bad, q, "slack.api_url", sl.APIURL, "remove it for "+DefaultSlackAPIURL)
	if t := sl.BotToken; t != "" && !strings.HasPrefix(t, "xoxb-") {
		hint := "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions"
		switch {
		case strings.HasPrefix(t, "xoxp-"):
			hint = "this is a user token (xoxp-); " + hint
		case strings.HasPrefix(t, "xapp-"):
			hint = "this is an app-level token (xapp-) for Socket Mode; " + hint
		}
		bad("slack.bot_token", "must start with \"xoxb-\": %s (see %s)", hint, DocSlack)
	}
	if sl.AppID != "" && !slackAppRE.MatchString(sl.AppID) {
		bad("slack.app_id", "%s is not a Slack app id (like A0123456789); remove it to learn it from auth.test", q("slack.app_id", sl.AppID))
	}
	if sl.BotUserID != "" && !slackUserRE.MatchString(sl.BotUserID) {
		bad("slack.bot_user_id", "%s is not a Slack user id (like U0123456789); remove it to learn it from auth.test", q("slack.bot_user_id", sl.BotUserID))
	}

	// teams
	if len(c.Teams) == 0 {
		d.fail(d.lineOf("teams"), "teams", "at least one team is required, e.g.\n  teams:\n    - name: support\n      slack_channel: C0123456789")
	}
	seenTeam := map[string]int{}
	for i, t := range c.Teams {
		p := fmt.Sprintf("teams[%d]", i)
		switch {
		case t.Name == "":
			bad(p+".name", "is required: a short lowercase name such as \"support\"")
		case !teamNameRE.MatchString(t.Name):
			bad(p+".name", "%s must be a lowercase slug (a-z, 0-9 and single dashes), e.g. %q", q(p+".name", t.Name), suggestSlug(p+".name", t.Name))
		default:
			if j, dup := seenTeam[t.Name]; dup {
				bad(p+".name", "%s is already the name of teams[%d]; team names must be unique", q(p+".name", t.Name), j)
			}
			seenTeam[t.Name] = i
		}
		if t.SlackChannel != "" && t.DiscordChannel != "" {
			bad(p+".discord_channel", "a team lives in one workspace: set slack_channel or discord_channel, not both")
		}
		if k := t.DiscordKind; k != "" && k != "text" && k != "forum" {
			bad(p+".discord_kind", "%s must be \"text\" or \"forum\"", q(p+".discord_kind", k))
		}
		if r := t.ReadReceipts; r != "" && r != "on_reply" && r != "on_claim" && r != "never" {
			bad(p+".read_receipts", "%s must be \"on_reply\", \"on_claim\" or \"never\"", q(p+".read_receipts", r))
		}
		if n := t.AgentName; n != "" && n != "none" && n != "first_line" {
			bad(p+".agent_name", "%s must be \"none\" or \"first_line\"", q(p+".agent_name", n))
		}
		for j, ch := range t.MoreSlackChannels {
			if !slackChannelRE.MatchString(ch) {
				bad(fmt.Sprintf("%s.more_slack_channels[%d]", p, j), "%s is not a Slack channel id (like C0123456789)", q(fmt.Sprintf("%s.more_slack_channels[%d]", p, j), ch))
			}
		}
		if ch := t.SlackChannel; ch != "" && !slackChannelRE.MatchString(ch) {
			hint := "a Slack channel id looks like C0123456789"
			if strings.HasPrefix(ch, "#") || strings.ToLower(ch) == ch {
				hint = "this looks like a channel name; use the channel id (like C0123456789): in Slack open the channel, click its name, the id is at the bottom of the About tab"
			}
			bad(p+".slack_channel", "%s: %s (see %s)", q(p+".slack_channel", ch), hint, DocSlack)
		}
		// An inherited language is checked once, as options.language.
		if d.set[p+".language"] && !slices.Contains(Languages, t.Language) {
			bad(p+".language", "%s is not supported; use one of %s", q(p+".language", t.Language), strings.Join(Languages, ", "))
		}
		if r := t.DiscordRole; r != "" {
			switch {
			case t.DiscordChannel == "":
				bad(p+".discord_role", "only a team with discord_channel can name a Discord role")
			case len(t.Members) > 0:
				bad(p+".discord_role", "set members or discord_role, not both: members are the agents, listed by user id; a role makes its holders the agents, assigned conversations with discord.members (the Server Members intent) and claiming them without")
			case !snowflakeRE.MatchString(r):
				bad(p+".discord_role", "%s: a Discord role id is a number like 1100000000000000001 (Server Settings → Roles → ⋯ → Copy Role ID, with Developer Mode on; see %s)", q(p+".discord_role", r), DocDiscord)
			}
		}
		for j, u := range t.Exclude {
			if slices.Contains(t.Members, u) {
				ep := fmt.Sprintf("%s.exclude[%d]", p, j)
				bad(ep, "%s is also in members: a person is pinned (members) or excluded (exclude), not both; remove them from one list", q(ep, u))
			}
		}
		for j, u := range t.Supervisors {
			if t.DiscordChannel != "" {
				if !snowflakeRE.MatchString(u) {
					sp := fmt.Sprintf("%s.supervisors[%d]", p, j)
					bad(sp, "%s: a Discord user id is a number like 200000000000000001 (right-click the person → Copy User ID, with Developer Mode on; see %s)", q(sp, u), DocDiscord)
				}
				continue
			}
			if !slackUserRE.MatchString(u) {
				hint := "a Slack user id looks like U0123456789"
				if strings.HasPrefix(u, "@") {
					hint = "this is a display name; use the member id: open the person's profile, ⋮ → Copy member ID"
				}
				sp := fmt.Sprintf("%s.supervisors[%d]", p, j)
				bad(sp, "%s: %s", q(sp, u), hint)
			}
		}
	}
	c.validateSupervision(d)
	c.validatePricing(d)
	c.validateCanned(d)
	c.validateAssistant(d)
	c.validateMessenger(d)  // messenger.go
	c.validateInstagram(d)  // instagram.go
	c.validateEmail(d)      // email.go
	c.validateContacts(d)   // contacts.go
	c.validateCRMWebhook(d) // crmwebhook.go
	c.validateLLMRouting(d) // llmroute.go
	if len(c.Teams) > 0 && c.DefaultTeam == "" {
		bad("default_team", "is empty; name one of the teams or remove the key to use the first team")
	}

	// options
	o := c.Options
	if len(o.NotePrefixes) == 0 {
		bad("options.note_prefixes", "is empty, so agents could not write notes; remove the key for the defaults \"note:\", \"notes:\" and \";;\"")
	}
	if len(o.ReplyPrefixes) == 0 {
		bad("options.reply_prefixes", "is empty, so agents of a note_by_default team could not reply; remove the key for the default \"reply:\"")
	}
	for _, list := range []struct {
		field, example string
		prefixes       []string
	}{{"note_prefixes", "\"note:\" or \";;\"", o.NotePrefixes}, {"reply_prefixes", "\"reply:\"", o.ReplyPrefixes}} {
		for i, pre := range list.prefixes {
			p := fmt.Sprintf("options.%s[%d]", list.field, i)
			switch {
			case strings.TrimSpace(pre) == "":
				bad(p, "is blank; a prefix must contain visible characters, e.g. %s", list.example)
			case strings.HasPrefix(pre, "/"):
				bad(p, "%s starts with \"/\", which Slack reserves for slash commands (the message would never reach switchboard); use e.g. %s", q(p, pre), list.example)
			case strings.HasPrefix(pre, "!"):
				bad(p, "%s starts with \"!\", which switchboard uses for thread commands (!claim, !resolve); use e.g. %s", q(p, pre), list.example)
			case list.field == "reply_prefixes" && slices.ContainsFunc(o.NotePrefixes, func(n string) bool { return strings.EqualFold(n, pre) }):
				bad(p, "%s is also a note prefix, so it could not tell a reply from a note; choose another, e.g. %s", q(p, pre), list.example)
			}
		}
	}
	if !slices.Contains(Languages, o.Language) {
		bad("options.language", "%s is not supported; use one of %s", q("options.language", o.Language), strings.Join(Languages, ", "))
	}
	if o.MaxAttachmentBytes <= 0 {
		bad("options.max_attachment_bytes", "must be more than 0; remove it for the default of 100 MiB")
	}
	dl := c.Delivery
	if dl.PollInterval.D() <= 0 {
		bad("delivery.poll_interval", "must be more than 0; e.g. 50ms")
	}
	if dl.Workers < 1 {
		bad("delivery.workers", "must be 1 or more; remove it for the default of %d", DefaultDeliveryWorkers)
	}
	if dl.MaxAttempts < 1 {
		bad("delivery.max_attempts", "must be 1 or more; remove it for the default of 12")
	}
	if dl.JobTimeout.D() <= 0 {
		bad("delivery.job_timeout", "must be more than 0; e.g. 1m")
	}
	if dl.RescueAfter.D() <= dl.JobTimeout.D() {
		bad("delivery.rescue_after", "must be longer than delivery.job_timeout (%s), or a job could be run twice at once", dl.JobTimeout)
	}
	if dl.Lease.D() < dl.JobTimeout.D() {
		bad("delivery.lease", "must be at least delivery.job_timeout (%s), or a job could lose its conversation's lane while it runs and two jobs post at once; raise it or remove it to use job_timeout", dl.JobTimeout)
	}
	if dl.Retention.D() < time.Hour {
		bad("delivery.retention", "must be at least 1h, or a platform's retry of a webhook could be taken for a new one; remove it for the default of 7d")
	}
}

func checkHTTPURL(bad func(string, string, ...any), q func(string, string) string, path, raw, fix string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(path, "%s is not an http(s) URL; %s", q(path, raw), fix)
	}
}

// slug suggests a valid team name for s.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "support"
	}
	return b.String()
}
