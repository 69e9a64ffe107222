package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// doctorSetup is a complete, healthy deployment made of fakes: WhatsApp,
// Slack and Discord fakes, a real database, and a TLS server standing for
// the public URL. A test breaks one part, runs the doctor and reads its
// report.
type doctorSetup struct {
	wa       *whatsapptest.Server
	slack    *slacktest.Server
	discord  *discordtest.Server
	public   *httptest.Server
	database string // database.url
	// discordChannel is the Discord team's home channel id.
	discordChannel string
	// Config values a test may change before run.
	waToken, slackToken, phoneNumberID, discordToken, publicURL string
	timeout                                                     string // -timeout
}

const (
	doctorPhoneID = "106540352242922"
	doctorWABA    = "102290129340398"
	doctorSlackCh = "C0SUPPORT1"
)

func newDoctorSetup(t *testing.T, dialect string) *doctorSetup {
	t.Helper()
	s := &doctorSetup{
		wa: whatsapptest.New(t), slack: slacktest.New(t), discord: discordtest.New(t),
		waToken: whatsapptest.DefaultToken, slackToken: slacktest.Token, phoneNumberID: doctorPhoneID,
		discordToken: strings.TrimPrefix(discordtest.Token, "Bot "), timeout: "5s",
	}
	s.public = httptest.NewTLSServer(deployProxy(switchboardWebhooks(t)))
	t.Cleanup(s.public.Close)
	s.publicURL = s.public.URL
	s.database = storagetest.URL(t, dialect)
	s.wa.AddPhoneNumber(whatsapptest.PhoneNumber{ID: doctorPhoneID, DisplayPhoneNumber: "+1 555-0100", VerifiedName: "Acme Support"})
	s.wa.SubscribeApp(doctorWABA, "switchboard")
	s.slack.AddChannel(doctorSlackCh, "support")
	s.discordChannel = s.discord.AddTextChannel("sales")
	migrateURL(t, s.database)
	return s
}

// switchboardWebhooks serves switchboard's own WhatsApp webhook handler
// (enough to answer as switchboard does on that path) and returns its
// address.
func switchboardWebhooks(t *testing.T) *url.URL {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	(&whatsapp.Webhook{VerifyToken: "doctor-verify-token"}).Register(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return &url.URL{Scheme: "http", Host: ln.Addr().String()}
}

// deployProxy is the TLS proxy of docs/deploy.md: the four platform paths
// go to switchboard, everything else (/healthz included) is 404.
func deployProxy(upstream *url.URL) http.Handler {
	forward := httputil.NewSingleHostReverseProxy(upstream)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/webhooks/whatsapp", "/slack/events", "/slack/interactivity", "/slack/commands":
			forward.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// migrateURL migrates the database at url: storagetest.URL's SQLite file
// starts empty (its PostgreSQL clones are migrated already).
func migrateURL(t *testing.T, url string) {
	t.Helper()
	db, err := storage.Open(t.Context(), url, 1)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Migrate(t.Context()))
}

// config writes the setup's configuration file and returns its path.
func (s *doctorSetup) config(t *testing.T) string {
	t.Helper()
	yaml := fmt.Sprintf(`server:
  public_url: %s
database:
  url: %q
whatsapp:
  graph_api_url: %s
  access_token: %s
  app_secret: doctor-app-secret
  verify_token: doctor-verify-token
  business_account_id: "%s"
  inboxes:
    - phone_number_id: "%s"
      name: Main line
slack:
  api_url: %s
  bot_token: %s
  signing_secret: doctor-signing-secret
discord:
  api_url: %s
  bot_token: %s
  guild_id: "%s"
teams:
  - name: support
    slack_channel: %s
  - name: sales
    discord_channel: "%s"
    discord_kind: text
`, s.publicURL, s.database, s.wa.URL, s.waToken, doctorWABA, s.phoneNumberID, s.slack.URL(), s.slackToken,
		s.discord.URL(), s.discordToken, discordtest.GuildID, doctorSlackCh, s.discordChannel)
	path := filepath.Join(t.TempDir(), "switchboard.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
	_, err := configs.Load(path, func(string) string { return "" })
	require.NoError(t, err, "the test's configuration loads")
	return path
}

// run runs `switchboard doctor` on the setup and returns its output and
// error (non-nil: exit 1).
func (s *doctorSetup) run(t *testing.T) (string, error) {
	t.Helper()
	var out strings.Builder
	err := (&doctorOptions{timeout: &s.timeout, httpClient: s.public.Client()}).run(s.config(t), &out)
	return out.String(), err
}

var markLine = regexp.MustCompile(`(?m)^(✔|✘|hint) `)

func TestDoctorPassesAGoodSetup(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			s := newDoctorSetup(t, dialect)
			out, err := s.run(t)
			require.NoError(t, err, "exit 0:\n%s", out)
			lines := markLine.FindAllString(out, -1)
			require.Len(t, lines, 13, out)
			for _, l := range lines {
				require.Equal(t, "✔ ", l, out)
			}
			for _, want := range []string{
				"✔ database: reachable: " + dialect + " answers",
				"✔ database: migrations: all applied",
				`✔ whatsapp: inbox "Main line" (phone_number_id 106540352242922): +1 555-0100, verified name "Acme Support"`,
				`✔ whatsapp: webhook subscription of WABA 102290129340398: subscribed: "switchboard"`,
				"✔ whatsapp: webhook verify token: set",
				`✔ slack: auth.test: workspace "Fake" (TFAKE), bot @switchboard (UFAKEBOT)`,
				"✔ slack: scopes: all 12 of the manifest's bot scopes granted",
				`✔ slack: team "support" channel C0SUPPORT1: #support, the bot is a member`,
				"✔ discord: bot token: bot switchboard (100000000000000001)",
				"✔ discord: Message Content intent: enabled",
				`✔ discord: team "sales" channel ` + s.discordChannel + `: #sales, the bot has the 9 permissions it needs`,
				"✔ public url: " + s.public.URL + "/webhooks/whatsapp: reaches switchboard over https",
				"doctor: all 13 checks passed\n",
			} {
				require.Contains(t, out, want)
			}
			require.NotContains(t, out, whatsapptest.DefaultToken, "never prints a token")
			require.NotContains(t, out, slacktest.Token)
			require.NotContains(t, out, strings.TrimPrefix(discordtest.Token, "Bot "))
		})
	}
}

func TestDoctorNamesEachBrokenSetupAndItsFix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		dialect string
		breakIt func(t *testing.T, s *doctorSetup)
		// want are the lines of the single failure, fix and guide included.
		want []string
	}{
		{
			name: "a WhatsApp token Meta refuses", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.waToken = "EAAG-expired" },
			want: []string{
				"✘ whatsapp: access token: invalid or expired (Graph API error 190: Invalid OAuth access token - Cannot parse access token)",
				"    fix: create a permanent System User token and set WHATSAPP_ACCESS_TOKEN (whatsapp.access_token)",
				"    see: docs/setup-whatsapp.md#4-create-a-permanent-access-token-system-user",
			},
		},
		{
			name: "a Slack token Slack refuses", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.slackToken = "xoxb-revoked" },
			want: []string{
				"✘ slack: auth.test: the bot token was refused (invalid_auth)",
				"    fix: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN (slack.bot_token); reinstall the app if it was removed",
				"    see: docs/setup-slack.md#2-install-it-and-copy-the-credentials",
			},
		},
		{
			name: "a Slack app installed without two of the manifest's scopes", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) {
				var granted []string
				for _, sc := range configs.SlackBotScopes() {
					if sc != "reactions:read" && sc != "files:read" {
						granted = append(granted, sc)
					}
				}
				s.slack.SetScopes(granted...)
			},
			want: []string{
				"✘ slack: scopes: missing reactions:read, files:read",
				"    fix: add them under OAuth & Permissions → Bot Token Scopes (or update the app from `switchboard slack-manifest`), then reinstall the app to the workspace",
				"    see: docs/setup-slack.md#1-create-the-app-from-the-manifest",
			},
		},
		{
			name: "the Slack bot not in a team channel", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.slack.RemoveBot(doctorSlackCh) },
			want: []string{
				`✘ slack: team "support" channel C0SUPPORT1: the bot is not in #support: it can neither post cards nor see replies`,
				"    fix: type `/invite @switchboard` in #support",
				"    see: docs/setup-slack.md#3-create-the-team-channels-and-invite-the-bot",
			},
		},
		{
			name: "the Message Content intent off", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.discord.SetApplicationFlags(1 << 15) },
			want: []string{
				"✘ discord: Message Content intent: off: agents' replies would reach switchboard empty (Discord refuses the connection with 4014)",
				"    fix: Developer Portal → your application → Bot → Privileged Gateway Intents → turn on Message Content intent",
				"    see: docs/setup-discord.md#2-turn-on-the-privileged-intents",
			},
		},
		{
			name: "the bot denied two permissions in the Discord home channel", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) {
				s.discord.SetOverwrites(s.discordChannel, discordtest.Overwrite{ID: discordtest.BotRoleID, Type: 0,
					Deny: 1<<15 | 1<<6}) // Attach Files, Add Reactions
			},
			want: []string{
				`✘ discord: team "sales" channel {channel}: #sales: the bot lacks Attach Files, Add Reactions`,
				"    fix: give the bot's role these permissions on #sales (Edit Channel → Permissions), or invite it again with the guide's URL",
				"    see: docs/setup-discord.md#3-invite-the-bot-to-your-server",
			},
		},
		{
			name: "the database down", dialect: storage.Postgres,
			breakIt: func(t *testing.T, s *doctorSetup) {
				s.database = "postgres://postgres@127.0.0.1:1/switchboard?sslmode=disable"
			},
			want: []string{
				"✘ database: reachable: postgres: connect to postgres (database.url): dial tcp 127.0.0.1:1: connect: connection refused",
				"    fix: start the database or correct database.url (SWITCHBOARD_DATABASE_URL), then run `switchboard migrate`",
				"    see: docs/doctor.md#database",
			},
		},
		{
			name: "a PostgreSQL database never migrated", dialect: storage.Postgres,
			breakIt: func(t *testing.T, s *doctorSetup) { s.database = storagetest.EmptyURL(t, storage.Postgres) },
			want: []string{
				"✘ database: migrations: {pending}",
				"    fix: run `switchboard migrate` (serve also migrates at start-up)",
				"    see: docs/doctor.md#database",
			},
		},
		{
			name: "a SQLite database never migrated", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) {
				url := storagetest.EmptyURL(t, storage.SQLite)
				db, err := storage.Open(t.Context(), url, 1) // creates the empty file
				require.NoError(t, err)
				require.NoError(t, db.Close())
				s.database = url
			},
			want: []string{
				"✘ database: migrations: {pending}",
				"    fix: run `switchboard migrate` (serve also migrates at start-up)",
				"    see: docs/doctor.md#database",
			},
		},
		{
			name: "a phone number id Meta does not know", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.phoneNumberID = "106540352242999" },
			want: []string{
				`✘ whatsapp: inbox "Main line" (phone_number_id 106540352242999): unknown id, or not reachable with this token (Graph API error 100/33: Unsupported get request. Object with ID '106540352242999' does not exist)`,
				"    fix: correct whatsapp.inboxes[0].phone_number_id: copy it from WhatsApp → API Setup (an id, not the phone number)",
				"    see: docs/setup-whatsapp.md#2-add-the-whatsapp-product",
			},
		},
		{
			name: "a WhatsApp Business Account no app is subscribed to", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) {
				s.wa = whatsapptest.New(t)
				s.wa.AddPhoneNumber(whatsapptest.PhoneNumber{ID: doctorPhoneID})
			},
			want: []string{
				"✘ whatsapp: webhook subscription of WABA 102290129340398: no app is subscribed to this account's webhooks: Meta delivers no customer message",
				"    fix: subscribe your app: POST /{waba-id}/subscribed_apps with the access token (the curl command in the guide)",
				"    see: docs/setup-whatsapp.md#6-configure-the-webhook",
			},
		},
		{
			name: "a Discord token Discord refuses", dialect: storage.SQLite,
			breakIt: func(t *testing.T, s *doctorSetup) { s.discordToken = "reset-since" },
			want: []string{
				"✘ discord: bot token: refused (401 Unauthorized)",
				"    fix: Developer Portal → your application → Bot → Reset Token, then set DISCORD_BOT_TOKEN (discord.bot_token)",
				"    see: docs/setup-discord.md#1-create-the-application-and-its-bot",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newDoctorSetup(t, tc.dialect)
			tc.breakIt(t, s)
			out, err := s.run(t)
			require.EqualError(t, err, "doctor: 1 check failed", "exit 1:\n%s", out)
			require.Equal(t, 1, strings.Count(out, "\n✘ ")+boolInt(strings.HasPrefix(out, "✘ ")), "exactly one failure:\n%s", out)
			block := failureBlock(out)
			require.Len(t, block, 3, out)
			for i, want := range tc.want {
				switch {
				case strings.Contains(want, "{channel}"):
					want = strings.ReplaceAll(want, "{channel}", s.discordChannel)
				case strings.Contains(want, "{pending}"):
					require.Regexp(t, `^✘ database: migrations: \d+ pending: 0001_core\.sql, 0002_report\.sql, .*, job queue tables \(.+\)$`, block[i])
					continue
				}
				require.Equal(t, want, block[i], out)
			}
			require.Contains(t, out, "doctor: 1 of ")
			requireGuideSectionsExist(t, out)
			// A refused token (EAAG-expired, xoxb-revoked, reset-since) is
			// the one most tempting to quote back: it must not be either.
			for _, token := range []string{s.waToken, s.slackToken, s.discordToken} {
				require.NotContains(t, out, token, "never prints a token")
			}
		})
	}
}

// requireGuideSectionsExist checks that every "see:" line of a report
// names a guide in docs/ and, after #, one of its headings' anchors (as
// GitHub makes them), so a renamed section cannot leave a dead pointer.
func requireGuideSectionsExist(t *testing.T, out string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(?m)^    see: (docs/[\w-]+\.md)(?:#([\w-]+))?$`).FindAllStringSubmatch(out, -1) {
		body, err := os.ReadFile(filepath.Join("..", "..", m[1]))
		require.NoError(t, err, m[0])
		if m[2] == "" {
			continue
		}
		var anchors []string
		for _, h := range regexp.MustCompile(`(?m)^#+ (.+)$`).FindAllStringSubmatch(string(body), -1) {
			a := strings.Map(func(r rune) rune {
				switch {
				case r == ' ':
					return '-'
				case r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
					return r
				case r >= 'A' && r <= 'Z':
					return r + 'a' - 'A'
				}
				return -1
			}, h[1])
			anchors = append(anchors, a)
		}
		require.Contains(t, anchors, m[2], "%s has a heading for #%s", m[1], m[2])
	}
}

func TestDoctorOnlyHintsAtAPublicURLItCannotReach(t *testing.T) {
	t.Parallel()
	s := newDoctorSetup(t, storage.SQLite)
	gone := httptest.NewTLSServer(http.NotFoundHandler())
	s.publicURL = gone.URL
	gone.Close()
	out, err := s.run(t)
	require.NoError(t, err, "a hint never fails the run:\n%s", out)
	require.Regexp(t, `(?m)^hint public url: `+regexp.QuoteMeta(s.publicURL)+`/webhooks/whatsapp: does not answer from here: .*connection refused$`, out)
	require.Contains(t, out, "    fix: make sure the TLS proxy runs and the DNS name is right")
	require.Contains(t, out, "    see: docs/doctor.md#public-url")
	requireGuideSectionsExist(t, out)
	require.Contains(t, out, "doctor: all 12 checks passed, 1 hint\n")

	stalled := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(stalled.Close)
	s.publicURL, s.timeout = stalled.URL, "300ms"
	started := time.Now()
	out, err = s.run(t)
	require.NoError(t, err)
	require.Regexp(t, `(?m)^hint public url: .*/webhooks/whatsapp: does not answer from here: .*context deadline exceeded`, out, "-timeout bounds the call")
	require.Less(t, time.Since(started), 5*time.Second)

	s.publicURL, s.timeout = "http://switchboard.invalid", "5s"
	out, err = s.run(t)
	require.NoError(t, err)
	require.Contains(t, out, "hint public url: http://switchboard.invalid: not https: Meta and Slack call only https URLs\n", "no call is made to it")
}

// What answers at the public URL tells which part is wrong: a proxy that
// does not forward the webhook path, a proxy whose switchboard is down,
// or something that is not switchboard at all. Each is a hint naming it.
func TestDoctorTellsWhichPartOfThePublicPathIsWrong(t *testing.T) {
	t.Parallel()
	down := &url.URL{Scheme: "http", Host: "127.0.0.1:1"} // nothing listens on port 1
	for _, tc := range []struct {
		name    string
		handler http.Handler
		want    []string
	}{
		{
			name: "a proxy forwarding only /healthz",
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/healthz" {
					_, _ = w.Write([]byte("ok"))
					return
				}
				http.NotFound(w, r)
			}),
			want: []string{
				"hint public url: {url}/webhooks/whatsapp: HTTP 404: the proxy does not forward /webhooks/whatsapp to switchboard",
				"    fix: forward the four platform paths to server.listen as in the guide's Caddy or nginx configuration",
				"    see: docs/deploy.md#tls-a-reverse-proxy",
			},
		},
		{
			name:    "the guide's proxy with switchboard not running",
			handler: deployProxy(down),
			want: []string{
				"hint public url: {url}/webhooks/whatsapp: HTTP 502: the proxy answers but switchboard behind it does not",
				"    fix: make sure switchboard runs and the proxy's upstream is its server.listen address",
				"    see: docs/deploy.md#tls-a-reverse-proxy",
			},
		},
		{
			name: "another site at the public URL",
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte("<html>welcome</html>"))
			}),
			want: []string{
				"hint public url: {url}/webhooks/whatsapp: HTTP 200: not switchboard's answer (a GET without Meta's parameters is refused with 403)",
				"    fix: make sure server.public_url is this switchboard's address and the proxy forwards /webhooks/whatsapp to server.listen unchanged",
				"    see: docs/deploy.md#tls-a-reverse-proxy",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newDoctorSetup(t, storage.SQLite)
			public := httptest.NewTLSServer(tc.handler)
			t.Cleanup(public.Close)
			s.publicURL = public.URL
			out, err := s.run(t)
			require.NoError(t, err, "a hint never fails the run:\n%s", out)
			want := strings.ReplaceAll(strings.Join(tc.want, "\n"), "{url}", public.URL)
			require.Contains(t, out, want+"\n")
			require.Contains(t, out, "doctor: all 12 checks passed, 1 hint\n")
			requireGuideSectionsExist(t, out)
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// failureBlock returns the ✘ line and the indented lines under it.
func failureBlock(out string) []string {
	var block []string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "✘ "):
			block = append(block, l)
		case len(block) > 0 && strings.HasPrefix(l, "    "):
			block = append(block, l)
		case len(block) > 0:
			return block
		}
	}
	return block
}

func TestDoctorReportsAConfigurationThatDoesNotLoadAsItsFirstFailure(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte("teams:\n  - name: support\n    slak_channel: C0123456789\n"), 0o600))
	var out, errOut strings.Builder
	err := runWith([]string{"doctor", "-config", path}, &out, &errOut)
	require.EqualError(t, err, "doctor: 1 check failed", "main exits 1")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Regexp(t, `^✘ config: load: .*line 3.*"slak_channel"`, lines[0], "the loader's message")
	require.Equal(t, "    fix: correct the configuration (`switchboard check-config` shows the same message), start from configs/switchboard.example.yaml", lines[1])
	require.Equal(t, "doctor: 1 of 1 checks failed", lines[len(lines)-1])
}

func TestDoctorRefusesABadTimeout(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	err := runWith([]string{"doctor", "-timeout", "soon"}, &out, &errOut)
	require.ErrorIs(t, err, errUsage)
	require.ErrorContains(t, err, `-timeout "soon"`)
}
