// Package configs loads switchboard's configuration: one strict YAML file
// (unknown keys are errors) with ${ENV} expansion for secrets, or, when no
// file is given, a built-in configuration read from environment variables.
//
// Parse decodes, applies defaults, checks every field's local rules and then
// the cross-references (an inbox's team, default_team). It reports every
// problem at once, each naming the file, line, field path and the fix.
// Credentials that are empty are not errors: Missing lists them, so
// `switchboard check-config` can say which setup guide to follow.
//
// The schema is documented field by field in configs/switchboard.example.yaml.
package configs

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/switchboard/switchboard/routing"
)

// Config is switchboard's whole configuration, after defaults.
type Config struct {
	Server   Server   `yaml:"server"`
	Database Database `yaml:"database"`
	WhatsApp WhatsApp `yaml:"whatsapp"`
	Slack    Slack    `yaml:"slack"`
	Teams    []Team   `yaml:"teams"`
	// DefaultTeam receives conversations no other rule places; it defaults
	// to the first team.
	DefaultTeam string   `yaml:"default_team"`
	Options     Options  `yaml:"options"`
	Delivery    Delivery `yaml:"delivery"`
	Discord     Discord  `yaml:"discord"`
	// Routing is the rule tree choosing a team for each new conversation
	// (first match wins; the root is the fallback). Empty: every
	// conversation goes to its inbox's team or DefaultTeam.
	Routing *routing.Route `yaml:"routing"`
	// Classifier trains the built-in message classifier from examples.
	Classifier *routing.ClassifierConfig `yaml:"classifier"`
	// Canned are the canned responses every team may use (see
	// CannedResponse); teams add their own.
	Canned []CannedResponse `yaml:"canned_responses"`
	// Pricing prices the billable messages in reports (pricing.go).
	Pricing Pricing `yaml:"pricing"`
	// Assistant is the AI section (assistant.go, docs/ai.md).
	Assistant Assistant `yaml:"assistant"`
	// Messenger, Instagram and Email are the customer channels beside
	// WhatsApp (messenger.go, instagram.go, email.go).
	Messenger Messenger `yaml:"messenger"`
	Instagram Instagram `yaml:"instagram"`
	Email     Email     `yaml:"email"`
	// Contacts is the light CRM (contacts.go, docs/crm.md).
	Contacts Contacts `yaml:"contacts"`

	router  *routing.Router
	source  string
	env     map[string]string   // field path -> environment variable it came from
	missing []MissingCredential // credentials dropped during parsing (empty inbox ids)
}

// Server configures the HTTP listener that receives the platforms' webhooks.
type Server struct {
	Listen          string   `yaml:"listen"`
	PublicURL       string   `yaml:"public_url"`
	BodyLimitBytes  ByteSize `yaml:"body_limit_bytes"`
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	LogLevel        string   `yaml:"log_level"`
	// MetricsListen, when set, serves /metrics on this address only (e.g.
	// "127.0.0.1:9090"), away from the listener Meta and Slack reach.
	MetricsListen string `yaml:"metrics_listen"`
	// DrainDelay is how long a stop (SIGTERM) first keeps serving while
	// /readyz answers 503, so a load balancer that probes readiness
	// (Kubernetes) stops sending before the listener closes. Part of
	// ShutdownTimeout. Default 0.
	DrainDelay Duration `yaml:"drain_delay"`
}

// Database says where conversations and jobs are stored.
type Database struct {
	// URL is "postgres://…", "postgresql://…", "sqlite:<path>" or
	// "sqlite::memory:".
	URL          string `yaml:"url"`
	MaxOpenConns int    `yaml:"max_open_conns"`
}

// WhatsApp holds the Cloud API credentials and the business numbers served.
type WhatsApp struct {
	GraphAPIURL string `yaml:"graph_api_url"`
	APIVersion  string `yaml:"api_version"`
	AccessToken string `yaml:"access_token"`
	AppSecret   string `yaml:"app_secret"`
	VerifyToken string `yaml:"verify_token"`
	// BusinessAccountID is the WhatsApp Business Account (WABA) id whose
	// message templates the inboxes send; an inbox may name its own.
	BusinessAccountID string `yaml:"business_account_id"`
	// TemplateSyncInterval is how often templates are read again from the
	// Graph API (webhooks keep them current in between).
	TemplateSyncInterval Duration `yaml:"template_sync_interval"`
	Inboxes              []Inbox  `yaml:"inboxes"`
}

// Inbox is one WhatsApp business number.
type Inbox struct {
	PhoneNumberID string `yaml:"phone_number_id"`
	Name          string `yaml:"name"`
	// Team owns new conversations on this number; empty means DefaultTeam.
	Team string `yaml:"team"`
	// BusinessAccountID overrides whatsapp.business_account_id for this
	// number (a number of another WhatsApp Business Account).
	BusinessAccountID string `yaml:"business_account_id"`
	// Country is the ISO 3166 alpha-2 region ("ES", "BR") in which numbers
	// agents type without a country code are read when they start a
	// conversation ("612 34 56 78" → +34 612 34 56 78). Empty: agents must
	// write numbers with their country code.
	Country string `yaml:"country"`
}

// AccountOf is the WhatsApp Business Account of inbox in: its own, else
// the default; "" when neither is set (its templates are not synced).
func (w WhatsApp) AccountOf(in Inbox) string {
	if in.BusinessAccountID != "" {
		return in.BusinessAccountID
	}
	return w.BusinessAccountID
}

// Slack holds the Slack app's credentials and API location.
type Slack struct {
	APIURL        string `yaml:"api_url"`
	BotToken      string `yaml:"bot_token"`
	SigningSecret string `yaml:"signing_secret"`
	AppID         string `yaml:"app_id"`
	BotUserID     string `yaml:"bot_user_id"`
	// BotID ("B…") and TeamID ("T…") pin the rest of the bot's identity.
	// With bot_user_id and bot_id set, Slack's events are accepted even
	// while auth.test cannot be reached (otherwise they are refused until
	// it answers, since our own posts could not be recognised); team_id
	// tells guests of other workspaces apart meanwhile.
	BotID  string `yaml:"bot_id"`
	TeamID string `yaml:"team_id"`
	// CustomizeIdentity posts customer messages under the customer's name
	// (needs the chat:write.customize scope).
	CustomizeIdentity bool `yaml:"customize_identity"`
	// PostsPerMinute paces posts per channel under Slack's limit (about one
	// message per second per channel, short bursts of PostBurst); 0 turns
	// pacing off.
	PostsPerMinute int `yaml:"posts_per_minute"`
	PostBurst      int `yaml:"post_burst"`
}

// Team is a group of agents sharing one Slack channel.
type Team struct {
	Name         string `yaml:"name"`
	SlackChannel string `yaml:"slack_channel"`
	// MoreSlackChannels spread a busy team's new conversations over
	// several channels (Slack allows about one post per second per channel).
	MoreSlackChannels []string `yaml:"more_slack_channels"`
	// DiscordChannel makes the team's home a Discord channel instead;
	// DiscordKind says whether it is a "text" or a "forum" channel.
	DiscordChannel string `yaml:"discord_channel"`
	DiscordKind    string `yaml:"discord_kind"`
	// DiscordRole, for a Discord team, makes the holders of this role its
	// agents (reply, claim, transfer, commands), instead of a Members
	// list. With discord.members (the Server Members intent) the holders
	// are read and assigned conversations by Strategy; without it Discord
	// does not tell a bot who holds a role, and conversations wait to be
	// claimed. Supervisors are still listed by user id.
	DiscordRole string   `yaml:"discord_role"`
	Language    string   `yaml:"language"`
	Supervisors []string `yaml:"supervisors"`
	// Members are pinned agents: always agents of the team, and the ones
	// conversations are assigned to. Besides them the members of the
	// team's Slack channels (or the holders of DiscordRole) are its
	// agents; with no members, conversations wait to be claimed.
	Members []string `yaml:"members"`
	// Exclude are never agents of the team, even in its channel (a bot,
	// an observer, someone who left the team but stays in the channel).
	Exclude []string `yaml:"exclude"`
	// Strategy assigns new conversations: round_robin, least_busy,
	// sticky or manual (default manual).
	Strategy       routing.Strategy `yaml:"strategy"`
	StickyFallback routing.Strategy `yaml:"sticky_fallback"`
	StickyDays     int              `yaml:"sticky_days"`
	// Capacity is the most open conversations an agent holds (0: no limit).
	Capacity int `yaml:"capacity"`
	// Hours are the team's business hours; outside them AwayMessage (per
	// language) is sent and the conversation goes to OnCall if set.
	Hours *routing.Hours `yaml:"hours"`
	// Shifts are agents' working hours (time zone aware); an agent with
	// shifts takes new conversations only while on shift.
	Shifts []Shift `yaml:"shifts"`
	// RemindAfter: a conversation waiting this long (unassigned, or the
	// customer's message unanswered) gets a reminder in its thread
	// mentioning the assignee or the team; after EscalateAfter the
	// supervisors are mentioned. 0 (the default) turns each off.
	RemindAfter   Duration `yaml:"remind_after"`
	EscalateAfter Duration `yaml:"escalate_after"`
	OnCall        string   `yaml:"on_call"`
	// NoteByDefault keeps every thread message as an internal note unless
	// it starts with one of options.reply_prefixes (default false).
	NoteByDefault bool              `yaml:"note_by_default"`
	AwayMessage   map[string]string `yaml:"away_message"`
	// SupervisorsChannel receives SLA alerts and (unless digest.channel
	// says otherwise) digests: a channel of the team's workspace. Optional.
	SupervisorsChannel string `yaml:"supervisors_channel"`
	// CSAT, SLA and Digest are described in supervision.go.
	CSAT   CSAT   `yaml:"csat"`
	SLA    SLA    `yaml:"sla_targets"`
	Digest Digest `yaml:"digest"`
	// Canned are the team's own canned responses, besides the global
	// ones; a name here shadows the global one in the same language.
	Canned []CannedResponse `yaml:"canned_responses"`

	// ReadReceipts says when the customer's messages are marked read
	// (blue ticks): "on_reply" (default: when an agent first replies),
	// "on_claim" (when an agent claims or replies) or "never".
	ReadReceipts string `yaml:"read_receipts"`
	// AgentName says whether the customer sees who answers: "none"
	// (default) or "first_line" (the agent's display name in bold on the
	// first line of each reply).
	AgentName string `yaml:"agent_name"`
	// SendCorrections sends an agent's edit of a reply already delivered
	// as a new message marked as a correction (WhatsApp cannot edit a
	// sent message); default false: the thread only says so.
	SendCorrections bool `yaml:"send_corrections"`
	// KeepDeletedMessages keeps the text of a message the customer
	// deleted in switchboard's database (default false: it is erased).
	KeepDeletedMessages bool `yaml:"keep_deleted_messages"`
	// FirstLine lets the AI assistant answer this team's customers first
	// (assistant.go); off unless its mode says otherwise.
	FirstLine FirstLine `yaml:"first_line"`
}

// Shift is an agent's working hours: agent plus the fields of
// routing.Hours written inline (time_zone, weekly, holidays).
type Shift struct{ routing.Shift }

// UnmarshalYAML decodes the inline hours strictly (unknown keys are errors).
func (s *Shift) UnmarshalYAML(n *yaml.Node) error { return strictDecode(n, &s.Shift) }

func shifts(in []Shift) []routing.Shift {
	out := make([]routing.Shift, len(in))
	for i, s := range in {
		out[i] = s.Shift
	}
	return out
}

// Workspace names the team's home workspace: "slack" or "discord".
func (t Team) Workspace() string {
	if t.DiscordChannel != "" {
		return "discord"
	}
	return "slack"
}

// Options tune how the bridge behaves for agents.
type Options struct {
	NotePrefixes []string `yaml:"note_prefixes"`
	// ReplyPrefixes mark the messages that are sent in a team with
	// note_by_default; the prefix is removed before sending.
	ReplyPrefixes      []string `yaml:"reply_prefixes"`
	Language           string   `yaml:"language"`
	ReopenWindow       Duration `yaml:"reopen_window"`
	AutoClaimOnReply   bool     `yaml:"auto_claim_on_reply"`
	MaxAttachmentBytes ByteSize `yaml:"max_attachment_bytes"`
}

// Discord holds the Discord bot's credentials.
type Discord struct {
	BotToken      string `yaml:"bot_token"`
	ApplicationID string `yaml:"application_id"`
	GuildID       string `yaml:"guild_id"`
	APIURL        string `yaml:"api_url"`
	// Presence asks for the privileged Presence intent: agents are
	// available while online and away while idle, do-not-disturb or
	// offline (a manual /available or /away wins). Off: /available and
	// /away only.
	Presence bool `yaml:"presence"`
	// Members asks for the privileged Server Members intent: the holders
	// of each team's discord_role are read, and conversations are assigned
	// among them by the team's strategy. Off: role teams' conversations
	// wait to be claimed.
	Members bool `yaml:"members"`
}

// Router is the compiled routing tree and assignment strategies.
func (c *Config) Router() *routing.Router { return c.router }

// Delivery tunes the durable delivery jobs. The defaults suit production;
// tests and benchmarks shorten them.
type Delivery struct {
	// PollInterval is how often a replica looks for new delivery jobs; it
	// bounds the delivery latency (River's database/sql and SQLite drivers
	// cannot LISTEN).
	PollInterval Duration `yaml:"poll_interval"`
	// Workers is how many delivery jobs one replica runs at once (posts
	// into Slack and Discord, and other work of the bridge's); replies to
	// customers get half as many more, on their own queue. A job mostly
	// waits on the database and the platform, so it is far more than the
	// cores.
	Workers int `yaml:"workers"`
	// OrderWindow holds each customer message this long before posting it,
	// so webhooks Meta delivers out of order are still posted in the order
	// the customer wrote them.
	OrderWindow Duration `yaml:"order_window"`
	// ReplyOrderWindow holds each agent reply this long before sending it,
	// so a reply Slack or Discord delivers late (a retry) still reaches the
	// customer before newer ones; replies are ordered by the platform's
	// timestamp either way. Adds that much latency to every reply.
	ReplyOrderWindow Duration `yaml:"reply_order_window"`
	// MaxAttempts is how many transient failures a delivery survives
	// before it is reported as failed in the thread.
	MaxAttempts int `yaml:"max_attempts"`
	// JobTimeout bounds one delivery job; RescueAfter is when a job left
	// running by a crashed replica runs again (must exceed JobTimeout).
	JobTimeout  Duration `yaml:"job_timeout"`
	RescueAfter Duration `yaml:"rescue_after"`
	// Lease is how long a job holds its conversation's delivery lane
	// without renewing it, so a crashed replica blocks a lane for at most
	// this long. At least JobTimeout, which is its default.
	Lease Duration `yaml:"lease"`
	// Retention is how long processed webhook keys (which recognise
	// platform retries) and finished deliveries are kept.
	Retention Duration `yaml:"retention"`
}

// Defaults applied to fields left out or empty.
const (
	DefaultListen             = ":8080"
	DefaultBodyLimitBytes     = 1 << 20
	DefaultShutdownTimeout    = Duration(30_000_000_000) // 30s
	DefaultLogLevel           = "info"
	DefaultDatabaseURL        = "sqlite:./data/switchboard.db"
	DefaultMaxOpenConns       = 20
	DefaultGraphAPIURL        = "https://graph.facebook.com"
	DefaultAPIVersion         = "v23.0"
	DefaultSlackAPIURL        = "https://slack.com/api/"
	DefaultLanguage           = "en"
	DefaultReopenWindow       = Duration(24 * 3_600_000_000_000) // 24h
	DefaultMaxAttachmentBytes = 100 << 20
	DefaultPollInterval       = Duration(50_000_000) // 50ms
	DefaultDeliveryWorkers    = 40
	DefaultMaxAttempts        = 12
	DefaultJobTimeout         = Duration(60_000_000_000)  // 1m
	DefaultRescueAfter        = Duration(120_000_000_000) // 2m
)

// DefaultTemplateSyncInterval reads each account's templates again hourly;
// Meta's webhooks bring status changes in between.
const DefaultTemplateSyncInterval = Duration(3_600_000_000_000) // 1h

// DefaultRetention keeps processed webhook ids and finished deliveries a
// week: longer than any platform retries a webhook.
const DefaultRetention = Duration(7 * 24 * 3_600_000_000_000) // 7d

// DefaultNotePrefixes mark an agent's thread message as an internal note.
var DefaultNotePrefixes = []string{"note:", "notes:", ";;"}

// DefaultReplyPrefixes mark a message to send in a note_by_default team.
var DefaultReplyPrefixes = []string{"reply:"}

// Languages are the languages of the texts agents read.
var Languages = []string{"en", "es", "pt"}

//go:embed default.yaml
var defaultYAML []byte

// DefaultSource names the built-in configuration in errors.
const DefaultSource = "built-in configuration (environment variables)"

// Load reads and parses the configuration file at path. getenv resolves
// ${VAR} references; nil means os.Getenv.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w (start from configs/switchboard.example.yaml)", err)
	}
	return Parse(data, path, getenv)
}

// Default returns the built-in configuration used when no file is given:
// everything comes from environment variables (see docs/configuration.md).
// It is parsed from the embedded configs/default.yaml by the same loader.
func Default(getenv func(string) string) (*Config, error) {
	return Parse(defaultYAML, DefaultSource, getenv)
}

// Parse decodes a configuration from data; source names it in errors (a
// file name). getenv resolves ${VAR} references; nil means os.Getenv. On
// error the Config is nil and the error joins every problem found.
func Parse(data []byte, source string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FieldError{Source: source, Msg: "the configuration is empty; start from configs/switchboard.example.yaml"}
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &FieldError{Source: source, Line: extra.Line, Msg: "a second YAML document (---) follows; keep the configuration in one document"}
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", source, err)
	}

	d := newDecoder(source, getenv)
	c := &Config{source: source}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if isNull(root) {
		return nil, &FieldError{Source: source, Msg: "the configuration is empty; start from configs/switchboard.example.yaml"}
	}
	d.decode(root, reflect.ValueOf(c).Elem(), "")
	if d.failed[""] {
		return nil, errors.Join(d.errs...)
	}
	// Validate even after decoding errors, so one run reports everything.
	d.validating = true
	c.env = d.env
	c.applyDefaults(d)
	c.validate(d)
	c.crossCheck(d)
	if len(d.errs) > 0 {
		// Report in file order.
		slices.SortStableFunc(d.errs, func(a, b error) int { return errLine(a) - errLine(b) })
		return nil, errors.Join(d.errs...)
	}
	c.dropUnsetInboxes()
	return c, nil
}

func errLine(err error) int {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Line
	}
	return 0
}

// unsetInbox reports whether inbox i's phone_number_id is an unset ${VAR}:
// such an inbox is not served, and Missing reports the variable.
func (c *Config) unsetInbox(i int) bool {
	return c.WhatsApp.Inboxes[i].PhoneNumberID == "" && c.env[inboxIDPath(i)] != ""
}

func inboxIDPath(i int) string { return fmt.Sprintf("whatsapp.inboxes[%d].phone_number_id", i) }

func (c *Config) dropUnsetInboxes() {
	var kept []Inbox
	for i, in := range c.WhatsApp.Inboxes {
		if c.unsetInbox(i) {
			c.missing = append(c.missing, MissingCredential{Field: inboxIDPath(i), EnvVar: c.env[inboxIDPath(i)], Doc: DocWhatsApp})
			continue
		}
		kept = append(kept, in)
	}
	c.WhatsApp.Inboxes = kept
}

// Source is the file the configuration came from, or DefaultSource.
func (c *Config) Source() string { return c.source }

// Team returns the team called name.
func (c *Config) Team(name string) (Team, bool) {
	for _, t := range c.Teams {
		if t.Name == name {
			return t, true
		}
	}
	return Team{}, false
}

// Dialect is "postgres" or "sqlite".
func (db Database) Dialect() string {
	if strings.HasPrefix(db.url(), "sqlite:") {
		return "sqlite"
	}
	return "postgres"
}

// DSN is what the database driver opens: the URL itself for PostgreSQL
// (lib/pq accepts it), the file path (or ":memory:") for SQLite.
func (db Database) DSN() string {
	u := db.url()
	if p, ok := strings.CutPrefix(u, "sqlite:"); ok {
		return p
	}
	return u
}

func (db Database) url() string {
	if db.URL == "" {
		return DefaultDatabaseURL
	}
	return db.URL
}

func (c *Config) applyDefaults(d *decoder) {
	c.supervisionDefaults(d)
	c.providerDefaults(d) // assistant_provider.go
	s := &c.Server
	if s.Listen == "" {
		s.Listen = DefaultListen
	}
	if !d.set["server.body_limit_bytes"] {
		s.BodyLimitBytes = DefaultBodyLimitBytes
	}
	if !d.set["server.shutdown_timeout"] {
		s.ShutdownTimeout = DefaultShutdownTimeout
	}
	if s.LogLevel == "" {
		s.LogLevel = DefaultLogLevel
	}
	if c.Database.URL == "" {
		c.Database.URL = DefaultDatabaseURL
	}
	if !d.set["database.max_open_conns"] {
		c.Database.MaxOpenConns = DefaultMaxOpenConns
	}
	w := &c.WhatsApp
	if w.GraphAPIURL == "" {
		w.GraphAPIURL = DefaultGraphAPIURL
	}
	if w.APIVersion == "" {
		w.APIVersion = DefaultAPIVersion
	}
	if !d.set["whatsapp.template_sync_interval"] {
		w.TemplateSyncInterval = DefaultTemplateSyncInterval
	}
	if c.Slack.APIURL == "" {
		c.Slack.APIURL = DefaultSlackAPIURL
	}
	if !d.set["slack.posts_per_minute"] {
		c.Slack.PostsPerMinute = 60
	}
	if c.Slack.PostBurst == 0 {
		c.Slack.PostBurst = 4
	}
	if !strings.HasSuffix(c.Slack.APIURL, "/") {
		c.Slack.APIURL += "/"
	}
	o := &c.Options
	if !d.set["options.note_prefixes"] {
		o.NotePrefixes = append([]string(nil), DefaultNotePrefixes...)
	}
	if !d.set["options.reply_prefixes"] {
		o.ReplyPrefixes = append([]string(nil), DefaultReplyPrefixes...)
	}
	if o.Language == "" {
		o.Language = DefaultLanguage
	}
	if !d.set["options.reopen_window"] {
		o.ReopenWindow = DefaultReopenWindow
	}
	if !d.set["options.auto_claim_on_reply"] {
		o.AutoClaimOnReply = true
	}
	if !d.set["options.max_attachment_bytes"] {
		o.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	dl := &c.Delivery
	if !d.set["delivery.poll_interval"] {
		dl.PollInterval = DefaultPollInterval
	}
	if dl.MaxAttempts == 0 {
		dl.MaxAttempts = DefaultMaxAttempts
	}
	if !d.set["delivery.workers"] {
		dl.Workers = DefaultDeliveryWorkers
	}
	if !d.set["delivery.job_timeout"] {
		dl.JobTimeout = DefaultJobTimeout
	}
	if !d.set["delivery.rescue_after"] {
		dl.RescueAfter = DefaultRescueAfter
	}
	if !d.set["delivery.lease"] {
		dl.Lease = dl.JobTimeout
	}
	if !d.set["delivery.retention"] {
		dl.Retention = DefaultRetention
	}
	for i := range c.Teams {
		if c.Teams[i].Language == "" {
			c.Teams[i].Language = o.Language
		}
	}
	if c.DefaultTeam == "" && len(c.Teams) > 0 {
		c.DefaultTeam = c.Teams[0].Name
	}
}

// crossCheck verifies the references between sections.
func (c *Config) crossCheck(d *decoder) {
	// Names from the environment are neither suggested nor listed.
	var names []string
	for i, t := range c.Teams {
		if d.env[fmt.Sprintf("teams[%d].name", i)] == "" {
			names = append(names, t.Name)
		}
	}
	known := func(name string) bool {
		_, ok := c.Team(name)
		return ok
	}
	unknown := func(path, name string) {
		msg := fmt.Sprintf("no team is called %s", d.quote(path, name))
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else if len(names) > 0 {
			msg += "; teams are: " + strings.Join(names, ", ")
		} else {
			msg += "; declare it under teams"
		}
		d.fail(d.lineOf(path), path, "%s", msg)
	}
	if !d.set["default_team"] {
		// Defaulted to the first team (or no teams at all: validate said so).
	} else if !known(c.DefaultTeam) {
		unknown("default_team", c.DefaultTeam)
	}
	for i, in := range c.WhatsApp.Inboxes {
		if in.Team != "" && !known(in.Team) && !c.unsetInbox(i) {
			unknown(fmt.Sprintf("whatsapp.inboxes[%d].team", i), in.Team)
		}
	}
	c.compileRouting(d)
}

// compileRouting builds the routing tree and the teams' assignment rules;
// its errors name the route id or team and the field.
func (c *Config) compileRouting(d *decoder) {
	if len(c.Teams) == 0 {
		return
	}
	rc := routing.Config{Route: c.Routing, Classifier: c.Classifier}
	if rc.Route == nil {
		def := c.DefaultTeam
		if def == "" {
			def = c.Teams[0].Name
		}
		rc.Route = &routing.Route{ID: "root", Team: def}
	}
	for _, t := range c.Teams {
		strategy := t.Strategy
		if strategy == "" {
			strategy = routing.Manual
		}
		rc.Teams = append(rc.Teams, &routing.Team{Name: t.Name, Hours: t.Hours, OnCall: t.OnCall,
			AwayMessage: t.AwayMessage, Strategy: strategy, StickyFallback: t.StickyFallback,
			StickyDays: t.StickyDays, Capacity: t.Capacity, Shifts: shifts(t.Shifts)})
	}
	r, err := routing.New(rc)
	if err != nil {
		path := "routing"
		if c.Routing == nil {
			path = "teams"
		}
		d.fail(d.lineOf(path), path, "%v", err)
		return
	}
	c.router = r
}

// isSecretPath reports whether the value at path must never be printed.
func isSecretPath(path string) bool {
	for _, s := range []string{"access_token", "app_secret", "verify_token", "bot_token", "signing_secret", "database.url", "api_key", "password"} {
		if strings.HasSuffix(path, s) {
			return true
		}
	}
	return false
}
