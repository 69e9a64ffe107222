package configs

import (
	"fmt"
	"net/url"
	"strings"
)

// MissingCredential is a credential left empty: the field, the environment
// variable that fills it, and the guide that explains how to obtain it.
type MissingCredential struct {
	Field  string // e.g. "whatsapp.access_token"
	EnvVar string // e.g. "WHATSAPP_ACCESS_TOKEN"
	Doc    string // e.g. "docs/setup-whatsapp.md"
}

func (m MissingCredential) String() string {
	return fmt.Sprintf("%s (set %s; see %s)", m.Field, m.EnvVar, m.Doc)
}

// Missing lists the credentials that are empty, in a stable order. The
// environment variable named is the one the file references for that field,
// or the conventional one (the built-in configuration's) when it names none.
// A Config with nothing missing can talk to both platforms.
func (c *Config) Missing() []MissingCredential {
	var out []MissingCredential
	need := func(empty bool, path, env, doc string) {
		if !empty {
			return
		}
		if e := c.env[path]; e != "" {
			env = e
		}
		out = append(out, MissingCredential{Field: path, EnvVar: env, Doc: doc})
	}
	w := c.WhatsApp
	need(w.AccessToken == "", "whatsapp.access_token", "WHATSAPP_ACCESS_TOKEN", DocWhatsApp)
	need(w.AppSecret == "", "whatsapp.app_secret", "WHATSAPP_APP_SECRET", DocWhatsApp)
	need(w.VerifyToken == "", "whatsapp.verify_token", "WHATSAPP_VERIFY_TOKEN", DocWhatsApp)
	out = append(out, c.missing...)
	if len(w.Inboxes) == 0 && len(c.missing) == 0 {
		need(true, "whatsapp.inboxes", "WHATSAPP_PHONE_NUMBER_ID", DocWhatsApp)
	}
	need(c.Slack.BotToken == "", "slack.bot_token", "SLACK_BOT_TOKEN", DocSlack)
	need(c.Slack.SigningSecret == "", "slack.signing_secret", "SLACK_SIGNING_SECRET", DocSlack)
	usesDiscord := false
	for i, t := range c.Teams {
		need(t.SlackChannel == "" && t.DiscordChannel == "", fmt.Sprintf("teams[%d].slack_channel", i), "SLACK_CHANNEL_ID", DocSlack)
		usesDiscord = usesDiscord || t.DiscordChannel != ""
	}
	if usesDiscord {
		need(c.Discord.BotToken == "", "discord.bot_token", "DISCORD_BOT_TOKEN", DocDiscord)
		need(c.Discord.GuildID == "", "discord.guild_id", "DISCORD_GUILD_ID", DocDiscord)
	}
	return out
}

// HasPlatformCredentials reports whether any WhatsApp, Slack or Discord
// secret, or an e-mail inbox reaching a real mail server, is configured. Without one, `make run` starts the sandbox, and
// with one, `switchboard sandbox` refuses to start: a sandbox must never
// talk to a real platform with a real token.
func (c *Config) HasPlatformCredentials() bool {
	if c.messengerCredentials() { // messenger.go
		return true
	}
	w := c.WhatsApp
	for _, v := range append([]string{w.AccessToken, w.AppSecret, c.Slack.BotToken, c.Slack.SigningSecret, c.Discord.BotToken}, c.instagramCredentials()...) {
		if v != "" {
			return true
		}
	}
	return c.hasEmailCredentials() // email.go
}

// Summary is what `switchboard check-config` prints: what the configuration
// says, with every secret shown only as "set" or "missing".
func (c *Config) Summary() string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	secret := func(v string) string {
		if v == "" {
			return "missing"
		}
		return "set"
	}
	or := func(v, alt string) string {
		if v == "" {
			return alt
		}
		return v
	}

	line("configuration: %s", c.source)
	s := c.Server
	line("server: listen %s, public url %s, body limit %s, shutdown timeout %s (draining %s first), log level %s, metrics on %s",
		s.Listen, or(s.PublicURL, "(not set)"), s.BodyLimitBytes, s.ShutdownTimeout, s.DrainDelay, s.LogLevel, or(s.MetricsListen, "the main listener"))
	for _, u := range c.CallbackURLs() {
		line("  %s", u)
	}
	line("database: %s %s, max open connections %d", c.Database.Dialect(), redactDSN(c.Database), c.Database.MaxOpenConns)

	w := c.WhatsApp
	line("whatsapp: %s/%s, access token %s, app secret %s, verify token %s, templates synced every %s",
		w.GraphAPIURL, w.APIVersion, secret(w.AccessToken), secret(w.AppSecret), secret(w.VerifyToken), w.TemplateSyncInterval)
	if len(w.Inboxes) == 0 {
		line("  inboxes: none")
	}
	for _, in := range w.Inboxes {
		team := in.Team
		if team == "" {
			team = c.DefaultTeam + " (default)"
		}
		account := w.AccountOf(in)
		if account == "" {
			account = "none (templates not synced: set whatsapp.business_account_id)"
		}
		country := ""
		if in.Country != "" {
			country = ", numbers typed without a country code read in " + in.Country
		}
		line("  inbox %s %q -> team %s, business account %s%s", in.PhoneNumberID, in.Name, team, account, country)
	}
	c.instagramSummary(line, secret) // instagram.go

	sl := c.Slack
	identity := "off"
	if sl.CustomizeIdentity {
		identity = "on (needs chat:write.customize)"
	}
	line("slack: %s, bot token %s, signing secret %s, app id %s, bot user %s, customer names as sender %s",
		sl.APIURL, secret(sl.BotToken), secret(sl.SigningSecret),
		or(sl.AppID, "(from auth.test)"), or(sl.BotUserID, "(from auth.test)"), identity)
	if c.usesDiscord() {
		line("%s", c.Discord.presenceSummary())
	}

	c.messengerSummary(line, secret) // messenger.go
	line("teams:")
	for _, t := range c.Teams {
		extra := ""
		if t.Name == c.DefaultTeam {
			extra = " (default)"
		}
		sup := "none"
		if len(t.Supervisors) > 0 {
			sup = strings.Join(t.Supervisors, ", ")
		}
		home := "slack channel " + or(t.SlackChannel, "missing")
		if t.DiscordChannel != "" {
			home = fmt.Sprintf("discord %s channel %s", or(t.DiscordKind, "text"), t.DiscordChannel)
			if t.DiscordRole != "" {
				home += ", role " + t.DiscordRole + c.Discord.roleAssignment()
			}
		}
		line("  %s%s: %s, language %s, supervisors %s", t.Name, extra, home, t.Language, sup)
		line("    %s", t.supervisionSummary())
		if t.NoteByDefault {
			line("    note by default: only messages starting with a reply prefix are sent")
		}
		if len(t.Canned) > 0 {
			line("    canned responses: %s", cannedSummary(t.Canned))
		}
	}
	line("canned responses for every team: %s", cannedSummary(c.Canned))
	if d := c.Discord; d.BotToken != "" || d.GuildID != "" {
		line("discord: %s, bot token %s, guild %s, application id %s", or(d.APIURL, "https://discord.com"),
			secret(d.BotToken), or(d.GuildID, "missing"), or(d.ApplicationID, "(from the gateway's READY)"))
	}

	o := c.Options
	quoted := make([]string, len(o.NotePrefixes))
	for i, p := range o.NotePrefixes {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	reopen := o.ReopenWindow.String()
	if o.ReopenWindow == 0 {
		reopen = "0 (always a new conversation)"
	}
	replies := make([]string, len(o.ReplyPrefixes))
	for i, p := range o.ReplyPrefixes {
		replies[i] = fmt.Sprintf("%q", p)
	}
	line("options: note prefixes %s, reply prefixes %s, language %s, reopen window %s, auto-claim on reply %t, max attachment %s",
		strings.Join(quoted, " "), strings.Join(replies, " "), o.Language, reopen, o.AutoClaimOnReply, o.MaxAttachmentBytes)

	if s := c.emailSummary(secret); s != "" {
		line("%s", s) // email.go
	}
	line("%s", c.Pricing.pricingSummary())
	line("%s", c.Assistant.providerSummary()) // assistant_provider.go
	if s := c.llmRoutingSummary(); s != "" {
		line("%s", s) // llmroute.go
	}

	if m := c.Missing(); len(m) > 0 {
		line("missing credentials:")
		for _, mc := range m {
			line("  %s", mc)
		}
	} else {
		line("missing credentials: none")
	}
	return b.String()
}

// redactDSN shows where the database is without its password.
func redactDSN(db Database) string {
	if db.Dialect() == "sqlite" {
		return db.DSN()
	}
	u, err := url.Parse(db.URL)
	if err != nil {
		return "(unparsable URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// CallbackURLs are the addresses to paste into Meta's and Slack's consoles,
// built from server.public_url; none when it is not set.
func (c *Config) CallbackURLs() []string {
	base := strings.TrimSuffix(c.Server.PublicURL, "/")
	if base == "" {
		return nil
	}
	return []string{
		"Meta webhook callback URL: " + base + "/webhooks/whatsapp",
		"Slack event subscriptions: " + base + "/slack/events",
		"Slack interactivity: " + base + "/slack/interactivity",
		"Slack slash command /switchboard: " + base + "/slack/commands",
	}
}
