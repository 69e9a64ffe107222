package configs

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Secret values of the fake environment: no error or summary may show them.
const (
	fakeAccessToken   = "EAAG-fake-access-token-Zx9"
	fakeAppSecret     = "fake-app-secret-0f3a"
	fakeVerifyToken   = "fake-verify-token-77"
	fakeBotToken      = "xoxb-fake-bot-token-123"
	fakeSigningSecret = "fake-signing-secret-8e1"
)

var secretValues = []string{fakeAccessToken, fakeAppSecret, fakeVerifyToken, fakeBotToken, fakeSigningSecret}

func fakeEnv(overrides map[string]string) func(string) string {
	env := map[string]string{
		"WHATSAPP_ACCESS_TOKEN":    fakeAccessToken,
		"WHATSAPP_APP_SECRET":      fakeAppSecret,
		"WHATSAPP_VERIFY_TOKEN":    fakeVerifyToken,
		"WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
		"SLACK_BOT_TOKEN":          fakeBotToken,
		"SLACK_SIGNING_SECRET":     fakeSigningSecret,
		"SLACK_CHANNEL_ID":         "C0123456789",
		"DISCORD_BOT_TOKEN":        "discord-bot-token-fake",
		"DISCORD_GUILD_ID":         "1000000000000000001",
	}
	for k, v := range overrides {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func noEnv(string) string { return "" }

func TestExampleFileIsValid(t *testing.T) {
	t.Parallel()
	c, err := Load("switchboard.example.yaml", fakeEnv(nil))
	require.NoError(t, err)

	require.Empty(t, c.Missing(), "the example with a full environment lacks nothing")
	require.Equal(t, fakeAccessToken, c.WhatsApp.AccessToken)
	require.Equal(t, fakeBotToken, c.Slack.BotToken)
	require.Len(t, c.WhatsApp.Inboxes, 2)
	require.Equal(t, "106540352242922", c.WhatsApp.Inboxes[0].PhoneNumberID)
	require.Equal(t, []string{"support", "sales"}, []string{c.Teams[0].Name, c.Teams[1].Name})
	require.Equal(t, "support", c.DefaultTeam)
	require.Equal(t, "es", c.Teams[1].Language)
	require.Equal(t, ":8080", c.Server.Listen)
	require.Equal(t, ByteSize(1<<20), c.Server.BodyLimitBytes)
	require.Equal(t, 24*time.Hour, c.Options.ReopenWindow.D())
	require.Equal(t, ByteSize(100<<20), c.Options.MaxAttachmentBytes)
	require.Equal(t, "sqlite", c.Database.Dialect())
	require.Equal(t, "./data/switchboard.db", c.Database.DSN())
}

func TestExampleFileWithoutEnvironmentReportsMissingCredentials(t *testing.T) {
	t.Parallel()
	c, err := Load("switchboard.example.yaml", noEnv)
	require.NoError(t, err, "unset variables are not errors")

	var fields []string
	for _, m := range c.Missing() {
		fields = append(fields, m.Field+"="+m.EnvVar)
	}
	require.Equal(t, []string{
		"whatsapp.access_token=WHATSAPP_ACCESS_TOKEN",
		"whatsapp.app_secret=WHATSAPP_APP_SECRET",
		"whatsapp.verify_token=WHATSAPP_VERIFY_TOKEN",
		"whatsapp.inboxes[0].phone_number_id=WHATSAPP_PHONE_NUMBER_ID",
		"slack.bot_token=SLACK_BOT_TOKEN",
		"slack.signing_secret=SLACK_SIGNING_SECRET",
		"discord.bot_token=DISCORD_BOT_TOKEN",
		"discord.guild_id=DISCORD_GUILD_ID",
	}, fields)
	require.Len(t, c.WhatsApp.Inboxes, 1, "the inbox whose id is unset is not served")
	require.Equal(t, "C0123456789", c.Teams[0].SlackChannel, "${SLACK_CHANNEL_ID:-C0123456789} fell back to its default")
}

func TestDefaultWithFullEnvironment(t *testing.T) {
	t.Parallel()
	c, err := Default(fakeEnv(map[string]string{
		"SWITCHBOARD_DATABASE_URL":     "postgres://sb:pw@db:5432/sb?sslmode=disable",
		"SLACK_API_URL":                "http://127.0.0.1:9999/api",
		"WHATSAPP_GRAPH_API_URL":       "http://127.0.0.1:9998",
		"WHATSAPP_BUSINESS_ACCOUNT_ID": "102290129340398",
	}))
	require.NoError(t, err)
	require.Equal(t, "102290129340398", c.WhatsApp.AccountOf(c.WhatsApp.Inboxes[0]), "templates of this account are synced")

	require.Empty(t, c.Missing())
	require.Equal(t, DefaultSource, c.Source())
	require.Equal(t, []Inbox{{PhoneNumberID: "106540352242922", Name: "WhatsApp"}}, c.WhatsApp.Inboxes)
	require.Equal(t, []Team{{Name: "support", SlackChannel: "C0123456789", Language: "en",
		CSAT: CSAT{Enabled: true}, SLA: SLA{WarnAt: DefaultSLAWarnAt}, Digest: Digest{At: DefaultDigestAt}}}, c.Teams)
	require.Equal(t, "support", c.DefaultTeam)
	require.Equal(t, "postgres", c.Database.Dialect())
	require.Equal(t, "postgres://sb:pw@db:5432/sb?sslmode=disable", c.Database.DSN())
	require.Equal(t, "http://127.0.0.1:9999/api/", c.Slack.APIURL, "a trailing slash is added")
	require.Equal(t, "http://127.0.0.1:9998", c.WhatsApp.GraphAPIURL)
	require.Equal(t, []string{"note:", "notes:", ";;"}, c.Options.NotePrefixes)
	require.Equal(t, []string{"reply:"}, c.Options.ReplyPrefixes)
	require.True(t, c.Options.AutoClaimOnReply)
	require.Equal(t, 30*time.Second, c.Server.ShutdownTimeout.D())
	require.NotContains(t, c.Summary(), ":pw@", "the database password is not printed")
}

func TestDefaultWithEmptyEnvironment(t *testing.T) {
	t.Parallel()
	c, err := Default(noEnv)
	require.NoError(t, err)

	require.Empty(t, c.WhatsApp.Inboxes, "no inbox without WHATSAPP_PHONE_NUMBER_ID")
	require.Equal(t, "support", c.Teams[0].Name)
	require.Equal(t, DefaultSlackAPIURL, c.Slack.APIURL)
	require.Equal(t, "sqlite", c.Database.Dialect())
	require.Contains(t, c.Missing(), MissingCredential{"teams[0].slack_channel", "SLACK_CHANNEL_ID", "docs/setup-slack.md"})
	require.Contains(t, c.Missing(), MissingCredential{"whatsapp.access_token", "WHATSAPP_ACCESS_TOKEN", "docs/setup-whatsapp.md"})
	require.Contains(t, c.Missing(), MissingCredential{"whatsapp.inboxes[0].phone_number_id", "WHATSAPP_PHONE_NUMBER_ID", "docs/setup-whatsapp.md"})
	require.Len(t, c.Missing(), 7)
}

func TestDefaultRejectsABadTokenAndNamesTheVariable(t *testing.T) {
	t.Parallel()
	_, err := Default(fakeEnv(map[string]string{"SLACK_BOT_TOKEN": "xoxp-user-token-SECRET"}))
	require.Error(t, err)
	require.Contains(t, err.Error(), "slack.bot_token (from $SLACK_BOT_TOKEN)")
	require.Contains(t, err.Error(), "user token")
	require.NotContains(t, err.Error(), "SECRET")
}

func TestSummaryNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	c, err := Load("switchboard.example.yaml", fakeEnv(nil))
	require.NoError(t, err)
	s := c.Summary()
	for _, secret := range secretValues {
		require.NotContains(t, s, secret)
	}
	require.Contains(t, s, "access token set")
	require.Contains(t, s, "support (default): slack channel C0123456789")
	require.Contains(t, s, "inbox 106540352242922 \"Main line\" -> team support")
	require.Contains(t, s, "database: sqlite")
	require.Contains(t, s, "missing credentials: none")
	require.Contains(t, s, "Meta webhook callback URL: https://switchboard.example.com/webhooks/whatsapp", "public_url gives the URLs to paste")
	require.Contains(t, s, "Slack interactivity: https://switchboard.example.com/slack/interactivity")
	require.Contains(t, s, "pricing: USD per billable message: authentication 0.0035, marketing 0.025, utility 0.004; in BR: marketing 0.0625")

	c, err = Default(noEnv)
	require.NoError(t, err)
	require.Contains(t, c.Summary(), "bot token missing")
	require.Contains(t, c.Summary(), "teams[0].slack_channel (set SLACK_CHANNEL_ID; see docs/setup-slack.md)")
	require.NotContains(t, c.Summary(), "callback URL", "no public_url, no URLs")
	require.Contains(t, c.Summary(), "pricing: no rates")
}

const minimal = `
teams:
  - name: support
    slack_channel: C0123456789
`

func TestMinimalFileGetsDefaults(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal), "min.yaml", noEnv)
	require.NoError(t, err)
	require.Equal(t, DefaultListen, c.Server.Listen)
	require.Equal(t, ByteSize(DefaultBodyLimitBytes), c.Server.BodyLimitBytes)
	require.Equal(t, DefaultLogLevel, c.Server.LogLevel)
	require.Equal(t, DefaultDatabaseURL, c.Database.URL)
	require.Equal(t, DefaultMaxOpenConns, c.Database.MaxOpenConns)
	require.Equal(t, DefaultGraphAPIURL, c.WhatsApp.GraphAPIURL)
	require.Equal(t, DefaultAPIVersion, c.WhatsApp.APIVersion)
	require.Equal(t, DefaultReopenWindow, c.Options.ReopenWindow)
	require.Equal(t, DefaultJobTimeout, c.Delivery.Lease, "the lane lease defaults to the job timeout")
	require.Equal(t, DefaultRetention, c.Delivery.Retention)
	require.Equal(t, DefaultTemplateSyncInterval, c.WhatsApp.TemplateSyncInterval)
	require.Equal(t, "en", c.Teams[0].Language)
	require.Equal(t, "support", c.DefaultTeam)
	require.Contains(t, c.Missing(), MissingCredential{"whatsapp.inboxes", "WHATSAPP_PHONE_NUMBER_ID", DocWhatsApp})
}

func TestInboxBusinessAccount(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal+`
whatsapp:
  business_account_id: "102290129340398"
  template_sync_interval: 30m
  inboxes:
    - phone_number_id: "1065"
    - phone_number_id: "1066"
      business_account_id: "999"
`), "x.yaml", noEnv)
	require.NoError(t, err)
	require.Equal(t, "102290129340398", c.WhatsApp.AccountOf(c.WhatsApp.Inboxes[0]), "the default account")
	require.Equal(t, "999", c.WhatsApp.AccountOf(c.WhatsApp.Inboxes[1]), "an inbox's own")
	require.Equal(t, 30*time.Minute, c.WhatsApp.TemplateSyncInterval.D())
	require.Equal(t, "", WhatsApp{}.AccountOf(Inbox{}), "none: templates are not synced")
}

func TestExplicitZeroAndFalseAreKept(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal+`
options:
  reopen_window: 0
  auto_claim_on_reply: false
  language: pt
`), "x.yaml", noEnv)
	require.NoError(t, err)
	require.Zero(t, c.Options.ReopenWindow, "0 means always a new conversation")
	require.False(t, c.Options.AutoClaimOnReply)
	require.Equal(t, "pt", c.Teams[0].Language, "a team inherits options.language")
}

func TestSecretsWithSpecialCharactersSurviveExpansion(t *testing.T) {
	t.Parallel()
	tricky := `a: b # c "d' {e} [f] - ${NOT_EXPANDED_AGAIN} true`
	c, err := Parse([]byte(minimal+`
slack:
  signing_secret: ${SIGNING}
  customize_identity: ${CUSTOMIZE:-true}
`), "x.yaml", func(k string) string {
		if k == "SIGNING" {
			return tricky
		}
		return ""
	})
	require.NoError(t, err)
	require.Equal(t, tricky, c.Slack.SigningSecret)
	require.True(t, c.Slack.CustomizeIdentity)
}

func TestKeysAreNotExpanded(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte("${KEY}: 1\n"+minimal), "x.yaml", func(string) string { return "server" })
	require.ErrorContains(t, err, `x.yaml line 1: unknown field "${KEY}" in the top level`)
}

func TestErrorsNameTheFieldAndTheFix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		yaml string
		env  map[string]string
		want []string // substrings of the error
	}{
		{
			name: "a typo in a key names the line and suggests the key",
			yaml: "teams:\n  - name: support\n    slak: C0123456789\n",
			want: []string{`x.yaml line 3: unknown field "slak" in teams[0]; did you mean "slack_channel"?`},
		},
		{
			name: "a misspelt section is suggested",
			yaml: minimal + "slak:\n  bot_token: xoxb-1\n",
			want: []string{`line 5: unknown field "slak" in the top level; did you mean "slack"?`},
		},
		{
			name: "a camel-case key is suggested in snake case",
			yaml: minimal + "server:\n  publicUrl: https://x.example\n",
			want: []string{`unknown field "publicUrl" in server; did you mean "public_url"?`},
		},
		{
			name: "a channel name instead of an id",
			yaml: "teams:\n  - name: support\n    slack_channel: \"#support\"\n",
			want: []string{`x.yaml line 3: teams[0].slack_channel: "#support"`, "channel id", "docs/setup-slack.md"},
		},
		{
			name: "a business account written as a phone number",
			yaml: minimal + "whatsapp:\n  business_account_id: \"+34 600 111 222\"\n",
			want: []string{`line 6: whatsapp.business_account_id: "+34 600 111 222" must be digits only`, "WhatsApp Manager", "docs/setup-whatsapp.md"},
		},
		{
			name: "an inbox's business account names its index",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: \"1065\"\n      business_account_id: waba-1\n",
			want: []string{`line 8: whatsapp.inboxes[0].business_account_id: "waba-1" must be digits only`},
		},
		{
			name: "a template sync interval too short",
			yaml: minimal + "whatsapp:\n  template_sync_interval: 10s\n",
			want: []string{"whatsapp.template_sync_interval: must be between 1m and 168h", "default of 1h"},
		},
		{
			name: "an unknown default team",
			yaml: minimal + "default_team: suport\n",
			want: []string{`line 5: default_team: no team is called "suport"; did you mean "support"?`},
		},
		{
			name: "a lane lease shorter than the job timeout",
			yaml: minimal + "delivery:\n  job_timeout: 2m\n  lease: 30s\n",
			want: []string{"delivery.lease: must be at least delivery.job_timeout (2m", "remove it to use job_timeout"},
		},
		{
			name: "a retention too short to recognise retries",
			yaml: minimal + "delivery:\n  retention: 10m\n",
			want: []string{"delivery.retention: must be at least 1h", "default of 7d"},
		},
		{
			name: "an inbox naming an unknown team",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: \"123\"\n      team: billing\n",
			want: []string{`line 8: whatsapp.inboxes[0].team: no team is called "billing"; teams are: support`},
		},
		{
			name: "a note prefix starting with a slash",
			yaml: minimal + "options:\n  note_prefixes: [\"/note\"]\n",
			want: []string{`line 6: options.note_prefixes[0]: "/note" starts with "/"`, "Slack reserves", "slash commands"},
		},
		{
			name: "an empty list of note prefixes",
			yaml: minimal + "options:\n  note_prefixes: []\n",
			want: []string{"options.note_prefixes: is empty"},
		},
		{
			name: "a reply prefix that is also a note prefix",
			yaml: minimal + "options:\n  reply_prefixes: [\"NOTE:\"]\n",
			want: []string{`line 6: options.reply_prefixes[0]: "NOTE:" is also a note prefix`},
		},
		{
			name: "an empty list of reply prefixes",
			yaml: minimal + "options:\n  reply_prefixes: []\n",
			want: []string{"options.reply_prefixes: is empty", `"reply:"`},
		},
		{
			name: "a bad duration",
			yaml: minimal + "options:\n  reopen_window: 2 days\n",
			want: []string{`line 6: options.reopen_window: "2 days" is not a duration`, `"7d"`},
		},
		{
			name: "a duration without a unit",
			yaml: minimal + "server:\n  shutdown_timeout: 30\n",
			want: []string{`server.shutdown_timeout: "30" has no unit`},
		},
		{
			name: "a drain delay that takes the whole shutdown",
			yaml: minimal + "server:\n  shutdown_timeout: 10s\n  drain_delay: 10s\n",
			want: []string{"server.drain_delay: 10s is not shorter than server.shutdown_timeout (10s)", "5s is usual"},
		},
		{
			name: "a bot token with the wrong prefix",
			yaml: minimal + "slack:\n  bot_token: ${TOKEN}\n",
			env:  map[string]string{"TOKEN": "xapp-1-SECRETVALUE"},
			want: []string{`line 6: slack.bot_token (from $TOKEN): must start with "xoxb-"`, "app-level token"},
		},
		{
			name: "a value from the environment is never quoted, whatever the field",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: ${SLACK_BOT_TOKEN}\n      team: ${WHATSAPP_APP_SECRET}\noptions:\n  reopen_window: ${WHATSAPP_ACCESS_TOKEN}\n  language: ${SLACK_SIGNING_SECRET}\n",
			want: []string{
				"whatsapp.inboxes[0].phone_number_id (from $SLACK_BOT_TOKEN): the value of $SLACK_BOT_TOKEN must be digits only",
				"whatsapp.inboxes[0].team (from $WHATSAPP_APP_SECRET): no team is called the value of $WHATSAPP_APP_SECRET",
				"options.reopen_window (from $WHATSAPP_ACCESS_TOKEN): the value of $WHATSAPP_ACCESS_TOKEN is not valid: expected a duration",
				"options.language (from $SLACK_SIGNING_SECRET): the value of $SLACK_SIGNING_SECRET is not supported",
			},
		},
		{
			name: "duplicate team names",
			yaml: minimal + "  - name: support\n    slack_channel: C0987654321\n",
			want: []string{`line 5: teams[1].name: "support" is already the name of teams[0]`},
		},
		{
			name: "a team name that is not a slug",
			yaml: "teams:\n  - name: Customer Care\n",
			want: []string{`teams[0].name: "Customer Care" must be a lowercase slug`, `"customer-care"`},
		},
		{
			name: "no teams at all",
			yaml: "server:\n  listen: \":8080\"\n",
			want: []string{"teams: at least one team is required"},
		},
		{
			name: "a phone number instead of a phone number id",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: \"+1 555 0100\"\n",
			want: []string{"whatsapp.inboxes[0].phone_number_id", "looks like a phone number", "API Setup"},
		},
		{
			name: "an inbox country in lower case",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: \"106540352242922\"\n      country: es\n",
			want: []string{`line 8: whatsapp.inboxes[0].country: "es" is not a country`, `write it in capitals: "ES"`},
		},
		{
			name: "an inbox country that is a name",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - phone_number_id: \"106540352242922\"\n      country: Spain\n",
			want: []string{`whatsapp.inboxes[0].country: "Spain" is not a country`, `ISO 3166 alpha-2`, `"ES"`},
		},
		{
			name: "an inbox without a phone number id",
			yaml: minimal + "whatsapp:\n  inboxes:\n    - name: Main\n",
			want: []string{"line 7: whatsapp.inboxes[0].phone_number_id: is required"},
		},
		{
			name: "an unknown log level",
			yaml: minimal + "server:\n  log_level: verbose\n",
			want: []string{`server.log_level: "verbose" is not a log level; use debug, info, warn or error`},
		},
		{
			name: "a metrics address that is not host:port",
			yaml: minimal + "server:\n  metrics_listen: \"9090\"\n",
			want: []string{`server.metrics_listen: "9090" is not host:port; write "127.0.0.1:9090"`},
		},
		{
			name: "a metrics address equal to the main one",
			yaml: minimal + "server:\n  listen: \"127.0.0.1:8080\"\n  metrics_listen: \"127.0.0.1:8080\"\n",
			want: []string{"server.metrics_listen: is the same address as server.listen"},
		},
		{
			name: "an unsupported database without printing it",
			yaml: minimal + "database:\n  url: mysql://root:hunter2@db/sb\n",
			want: []string{"database.url: must start with postgres://, postgresql:// or sqlite:"},
		},
		{
			name: "an unsupported language",
			yaml: minimal + "    language: fr\n",
			want: []string{`line 5: teams[0].language: "fr" is not supported; use one of en, es, pt`},
		},
		{
			name: "a supervisor written as a display name",
			yaml: minimal + "    supervisors: [\"@maria\"]\n",
			want: []string{`teams[0].supervisors[0]: "@maria"`, "Copy member ID"},
		},
		{
			name: "a Slack supervisor id in a Discord team",
			yaml: "teams:\n  - name: gaming\n    discord_channel: \"1100000000000000001\"\n    supervisors: [U0123456789]\n",
			want: []string{`teams[0].supervisors[0]: "U0123456789": a Discord user id is a number`, "Copy User ID"},
		},
		{
			name: "a Discord role in a Slack team",
			yaml: minimal + "    discord_role: \"1100000000000000099\"\n",
			want: []string{"teams[0].discord_role: only a team with discord_channel can name a Discord role"},
		},
		{
			name: "a Discord role and members together",
			yaml: "teams:\n  - name: gaming\n    discord_channel: \"1100000000000000001\"\n    discord_role: \"1100000000000000099\"\n    members: [\"200000000000000001\"]\n",
			want: []string{"teams[0].discord_role: set members or discord_role, not both"},
		},
		{
			name: "a person both pinned and excluded",
			yaml: minimal + "    members: [U0123456789]\n    exclude: [U0123456789]\n",
			want: []string{`teams[0].exclude[0]: "U0123456789" is also in members`},
		},
		{
			name: "a Discord role written as a name",
			yaml: "teams:\n  - name: gaming\n    discord_channel: \"1100000000000000001\"\n    discord_role: \"@agents\"\n",
			want: []string{`teams[0].discord_role: "@agents": a Discord role id is a number`},
		},
		{
			name: "a key set twice",
			yaml: minimal + "server:\n  listen: \":1\"\n  listen: \":2\"\n",
			want: []string{"line 7: server.listen: set twice (first at line 6)"},
		},
		{
			name: "a list where a mapping belongs",
			yaml: minimal + "server: [1, 2]\n",
			want: []string{"line 5: server: expected a mapping of keys to values in server, found a list"},
		},
		{
			name: "a word where a boolean belongs",
			yaml: minimal + "options:\n  auto_claim_on_reply: yes\n",
			want: []string{`options.auto_claim_on_reply: expected true or false, found "yes"`},
		},
		{
			name: "a word where a number belongs",
			yaml: minimal + "database:\n  max_open_conns: many\n",
			want: []string{`database.max_open_conns: expected a whole number, found "many"`},
		},
		{
			name: "an unterminated variable reference",
			yaml: minimal + "slack:\n  signing_secret: ${SIGNING\n",
			want: []string{"slack.signing_secret: unterminated ${"},
		},
		{
			name: "a bad api version",
			yaml: minimal + "whatsapp:\n  api_version: \"23\"\n",
			want: []string{`whatsapp.api_version: "23" is not a Graph API version; write it like "v23.0"`},
		},
		{
			name: "a second document",
			yaml: minimal + "---\nserver: {}\n",
			want: []string{"a second YAML document"},
		},
		{
			name: "an empty file",
			yaml: "# nothing here\n",
			want: []string{"x.yaml: the configuration is empty"},
		},
		{
			name: "broken YAML",
			yaml: "teams:\n  - name: support\n   slack_channel: [\n",
			want: []string{"x.yaml: yaml:"},
		},
		{
			name: "rates without a currency",
			yaml: minimal + "pricing:\n  rates: {marketing: 0.025}\n",
			want: []string{"line 6: pricing.currency: is required with rates", `"USD"`},
		},
		{
			name: "a currency that is not a code",
			yaml: minimal + "pricing:\n  currency: dollars\n  rates: {marketing: 0.025}\n",
			want: []string{`line 6: pricing.currency: "dollars" is not an ISO 4217 currency code`},
		},
		{
			name: "a misspelt pricing category",
			yaml: minimal + "pricing:\n  currency: USD\n  rates: {marketting: 0.025}\n",
			want: []string{`pricing.rates.marketting: "marketting" is not a pricing category Meta reports; did you mean "marketing"?`},
		},
		{
			name: "an unknown pricing category lists the known ones",
			yaml: minimal + "pricing:\n  currency: USD\n  rates: {promo: 0.025}\n",
			want: []string{`pricing.rates.promo: "promo" is not a pricing category Meta reports; use one of marketing, marketing_lite, utility, authentication`},
		},
		{
			name: "a negative rate",
			yaml: minimal + "pricing:\n  currency: USD\n  rates: {utility: -0.004}\n",
			want: []string{"pricing.rates.utility: -0.004 is not a price", "0 or more"},
		},
		{
			name: "a rate that is not a number",
			yaml: minimal + "pricing:\n  currency: USD\n  rates: {utility: cheap}\n",
			want: []string{"line 7: pricing.rates", "cheap"},
		},
		{
			name: "a country rate in lower case",
			yaml: minimal + "pricing:\n  currency: USD\n  countries: {br: {marketing: 0.0625}}\n",
			want: []string{`pricing.countries.br: "br" is not a country; write it in capitals: "BR"`},
		},
		{
			name: "a negative country rate",
			yaml: minimal + "pricing:\n  currency: USD\n  countries: {BR: {marketing: -1}}\n",
			want: []string{"pricing.countries.BR.marketing: -1 is not a price"},
		},
		{
			name: "every problem is reported at once",
			yaml: "teams:\n  - name: support\n    slack_channel: support\n  - name: support\ndefault_team: nobody\nslack:\n  bot_token: abc\n",
			want: []string{"teams[0].slack_channel", "teams[1].name", "slack.bot_token", "default_team"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte(tc.yaml), "x.yaml", fakeEnv(tc.env))
			require.Error(t, err)
			require.Nil(t, c)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			for _, secret := range append(secretValues, "SECRETVALUE", "hunter2") {
				require.NotContains(t, err.Error(), secret)
			}
		})
	}
}

func TestErrorsAreFieldErrors(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte("teams:\n  - name: support\n    slack_channel: general\n"), "x.yaml", noEnv)
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "teams[0].slack_channel", fe.Field)
	require.Equal(t, 3, fe.Line)
	require.Equal(t, "x.yaml", fe.Source)
}

func TestLoadNamesAMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load("does-not-exist.yaml", noEnv)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.ErrorContains(t, err, "switchboard.example.yaml")
}

func TestDatabaseDialectAndDSN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, dialect, dsn string }{
		{"", "sqlite", "./data/switchboard.db"},
		{"sqlite::memory:", "sqlite", ":memory:"},
		{"sqlite:/var/lib/sb.db", "sqlite", "/var/lib/sb.db"},
		{"postgres://u:p@h/db", "postgres", "postgres://u:p@h/db"},
		{"postgresql://h/db?sslmode=require", "postgres", "postgresql://h/db?sslmode=require"},
	} {
		db := Database{URL: tc.url}
		require.Equal(t, tc.dialect, db.Dialect(), tc.url)
		require.Equal(t, tc.dsn, db.DSN(), tc.url)
	}
	require.Equal(t, "postgres://u:xxxxx@h/db?password=xxxxx",
		redactDSN(Database{URL: "postgres://u:p@h/db?password=p2"}))
}

func TestExampleDocumentsEveryField(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("switchboard.example.yaml")
	require.NoError(t, err)
	text := string(data)
	for _, section := range []any{Server{}, Database{}, WhatsApp{}, Inbox{}, Slack{}, Team{}, Options{}, Config{}, CSAT{}, SLA{}, Digest{}, Pricing{},
		Assistant{}, AIPrices{}, Knowledge{}, KnowledgeSource{}, FirstLine{},
		Messenger{}, MessengerInbox{}, Instagram{}, InstagramInbox{}, Email{}, EmailInbox{}, MailServer{}, Contacts{}, ContactAttribute{}, CRMWebhook{}} {
		for _, name := range fieldNames(typeOf(section)) {
			require.True(t, strings.Contains(text, " "+name+":") || strings.Contains(text, "\n"+name+":"),
				"the example sets %s", name)
		}
	}
}

func TestAliasBlowUpIsRejectedQuickly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("x: &s [")
	for i := range 2000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("U0123456789")
	}
	b.WriteString("]\nteams:\n")
	for range 2000 {
		b.WriteString("  - {name: a, supervisors: *s}\n")
	}
	_, err := Parse([]byte(b.String()), "x.yaml", noEnv)
	require.ErrorContains(t, err, "too many values")
}
