// Package app assembles switchboard from its configuration: storage, the
// job queue, the bridge, the platform adapters and the HTTP server. The
// switchboard command and the end-to-end tests build it the same way.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	slackadapter "github.com/switchboard/switchboard/adapters/slack"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
)

// Tuning holds what tests and benchmarks adjust beyond the config file.
// Zero values take production defaults.
type Tuning struct {
	HTTPClient   *http.Client // for calls to Meta and Slack
	PollInterval time.Duration
	JobTimeout   time.Duration
	RescueAfter  time.Duration
	Lease        time.Duration // a lane's lease; at least JobTimeout
	Retention    time.Duration // of processed webhook ids and finished deliveries
	OrderWindow  time.Duration
	// ReplyOrderWindow: see configs.Delivery.
	ReplyOrderWindow time.Duration
	MaxAttempts      int
	Now              func() time.Time
	Log              *slog.Logger
	// DiscordStoreTimeout and DiscordRecoverFor override the Discord
	// gateway's StoreTimeout and RecoverFor (tests shorten them).
	DiscordStoreTimeout time.Duration
	DiscordRecoverFor   time.Duration
	// TemplatePageSize is the Graph page size of template syncs (tests
	// lower it to see paging; 0: the adapter's default).
	TemplatePageSize int
	// DrainEnd, when set, ends Shutdown's drain (server.drain_delay) as
	// soon as it is closed; the delay stays the upper bound. Tests hold
	// the drain open exactly as long as their requests need, instead of
	// racing a timer.
	DrainEnd <-chan struct{}
}

// withDefaults fills what the test or benchmark left zero from the
// configuration's delivery section.
func (t Tuning) withDefaults(d configs.Delivery) Tuning {
	if t.PollInterval == 0 {
		t.PollInterval = d.PollInterval.D()
	}
	if t.Lease == 0 && t.JobTimeout != 0 {
		t.Lease = t.JobTimeout // a test that shortens jobs shortens leases with them
	}
	if t.JobTimeout == 0 {
		t.JobTimeout = d.JobTimeout.D()
	}
	if t.Lease == 0 {
		t.Lease = d.Lease.D()
	}
	t.Lease = max(t.Lease, t.JobTimeout)
	if t.Retention == 0 {
		t.Retention = d.Retention.D()
	}
	if t.RescueAfter == 0 {
		t.RescueAfter = d.RescueAfter.D()
	}
	if t.OrderWindow == 0 {
		t.OrderWindow = d.OrderWindow.D()
	}
	if t.ReplyOrderWindow == 0 {
		t.ReplyOrderWindow = d.ReplyOrderWindow.D()
	}
	if t.MaxAttempts == 0 {
		t.MaxAttempts = d.MaxAttempts
	}
	return t
}

// App is a running switchboard.
type App struct {
	Config   *configs.Config
	DB       *storage.DB
	Queue    *storage.Queue
	Bridge   *bridge.Bridge
	HTTP     *fiber.App
	Registry *prometheus.Registry
	log      *slog.Logger
	discord  *discordSide // nil without Discord teams or token
	// metrics serves /metrics on server.metrics_listen (nil when unset).
	metrics     *http.Server
	metricsAddr net.Addr
	// slackID learns the Slack bot's identity (nil without a bot token).
	slackID *slackIdentity
	// bg is background work started by Start (the start-up template
	// sync), cancelled and waited for by Shutdown.
	bg       sync.WaitGroup
	bgCancel context.CancelFunc
	// draining is set when Shutdown starts: /readyz answers 503 from then
	// on, while everything else is still served.
	draining atomic.Bool
	// drainEnd is Tuning.DrainEnd (nil: the drain lasts its delay).
	drainEnd <-chan struct{}
	// knowledge is the knowledge base the assistant reads (knowledge.go).
	knowledge *knowledgeSide
	// receivers are the customer channels' background receivers
	// (channels.go).
	receivers []func(ctx context.Context, in bridge.CustomerInbound) error
	// receiverLeader runs them on the elected replica only (channels.go).
	receiverLeader *leadership
}

// Build opens the database, migrates it and wires every part. It starts
// nothing: call Start, then Serve.
func Build(ctx context.Context, cfg *configs.Config, tune Tuning) (*App, error) {
	log := tune.Log
	if log == nil {
		log = slog.Default()
	}
	db, err := storage.Open(ctx, databaseURL(cfg), cfg.Database.MaxOpenConns)
	if err != nil {
		return nil, err
	}
	if err := db.MigrateWith(ctx, storage.MigrateOptions{Log: log}); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	tune = tune.withDefaults(cfg.Delivery)
	// Periodic tasks run on one replica; they reach the bridge, built below.
	var b *bridge.Bridge
	reportHours := ReportSource(cfg, db).Hours
	periodic := []storage.Periodic{
		{Name: "reminders", Every: 30 * time.Second, Run: func(ctx context.Context) error { return b.CheckReminders(ctx) }},
		{Name: "rescue_lanes", Every: 5 * time.Second, Run: func(ctx context.Context) error { return b.RescueLanes(ctx) }},
		{Name: "prune", Every: time.Hour, Run: func(ctx context.Context) error {
			p, err := db.Prune(ctx, time.Now().Add(-tune.Retention))
			log.Info("pruned old webhook ids and finished deliveries", "events", p.Events, "deliveries", p.Deliveries)
			return err
		}},
		{Name: "presence", Every: time.Minute, Run: func(ctx context.Context) error { return b.PollPresence(ctx) }},
		// Channel members are read again when older than rosterMaxAge, or
		// every minute while they could not be read.
		{Name: "rosters", Every: time.Minute, Run: func(ctx context.Context) error { return b.SyncRosters(ctx, rosterMaxAge) }},
		{Name: "sla", Every: 30 * time.Second, Run: func(ctx context.Context) error { return b.CheckSLAs(ctx) }},
		// Cards show the 24-hour window; it is refreshed when it enters its
		// last hour and when it closes, not every minute.
		{Name: "windows", Every: 30 * time.Second, Run: func(ctx context.Context) error { return b.CheckWindows(ctx) }},
		{Name: "digests", Every: time.Minute, Run: func(ctx context.Context) error { return b.RunDigests(ctx) }},
		// Each account is read again when whatsapp.template_sync_interval
		// has passed (or, after a failure, its backoff); the check is cheap.
		{Name: "template_sync", Every: time.Minute, Run: func(ctx context.Context) error { return b.SyncDueTemplates(ctx) }},
		// Reports refresh the summary before they read it; refreshing in
		// the background too keeps that wait short.
		{Name: "report_summary", Every: time.Minute, Run: func(ctx context.Context) error {
			_, err := db.RefreshReport(ctx, reportHours)
			return err
		}},
	}
	queue, err := storage.NewQueue(db, storage.QueueOptions{Workers: cfg.Delivery.Workers, PollInterval: tune.PollInterval, JobTimeout: tune.JobTimeout,
		RescueAfter: tune.RescueAfter, Periodic: periodic, Logger: quietRiver(log)})
	if err != nil {
		db.Close()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := bridge.NewMetrics(reg, func() float64 {
		qctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, _ := db.QueueDepth(qctx)
		return float64(n)
	})

	var customer bridge.CustomerChannel
	if cfg.WhatsApp.AccessToken != "" {
		wa := whatsapp.NewClient(cfg.WhatsApp.AccessToken)
		wa.BaseURL, wa.APIVersion = cfg.WhatsApp.GraphAPIURL, cfg.WhatsApp.APIVersion
		if tune.HTTPClient != nil {
			wa.HTTPClient = tune.HTTPClient
		}
		wa.TemplatePageSize = tune.TemplatePageSize
		customer = wa
	}
	var workspaces []bridge.AgentWorkspace
	var slackID *slackIdentity
	slackHandler := &slackadapter.Handler{SigningSecret: cfg.Slack.SigningSecret, AppID: cfg.Slack.AppID,
		BotUserID: cfg.Slack.BotUserID, BotID: cfg.Slack.BotID, TeamID: cfg.Slack.TeamID, Metrics: metrics, Log: log}
	if cfg.Slack.BotToken != "" {
		ws := slackadapter.NewWorkspace(slackadapter.Config{Token: cfg.Slack.BotToken, APIURL: cfg.Slack.APIURL,
			HTTPClient: tune.HTTPClient, CustomizeIdentity: cfg.Slack.CustomizeIdentity, Log: log,
			Pacing: slackadapter.Pacing{PerSecond: float64(cfg.Slack.PostsPerMinute) / 60, Burst: cfg.Slack.PostBurst}})
		workspaces = append(workspaces, ws)
		slackHandler.Views, slackHandler.Language = ws, cfg.Options.Language
		slackHandler.ResolveUser, slackHandler.ResolveChannel = ws.ResolveUser, ws.ResolveChannel
		slackHandler.UserTeam = ws.UserTeam
		for _, t := range cfg.Teams {
			slackHandler.Teams = append(slackHandler.Teams, t.Name)
		}
		slackID = &slackIdentity{ws: ws, h: slackHandler, log: log}
		slackID.learn(ctx) // usually answers at once; Start retries if not
	}

	dc, err := buildDiscord(cfg, tune, log, db, reg)
	if err != nil {
		db.Close()
		return nil, err
	}
	if ws, ok := dc.workspace(); ok {
		workspaces = append(workspaces, ws)
	}

	assistant, kb, err := buildAssistant(ctx, cfg, db, tune, metrics, log) // assist.go
	if err != nil {
		db.Close()
		return nil, err
	}
	channels, err := buildChannels(cfg, tune, log, metrics) // channels.go
	if err != nil {
		db.Close()
		return nil, err
	}
	opts := withSupervision(bridgeOptions(cfg, tune, log, metrics), cfg, db, reg)
	opts.Assistant = assistant
	opts.Channels = channels.customers
	b, err = bridge.New(storage.NewStore(db, queue), customer, workspaces, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	queue.SetRunner(b)
	slackHandler.Inbound = b
	dc.connect(b)

	a := &App{Config: cfg, DB: db, Queue: queue, Bridge: b, Registry: reg, log: log, discord: dc, slackID: slackID,
		drainEnd: tune.DrainEnd, knowledge: kb}
	a.HTTP = fiber.New(fiber.Config{
		BodyLimit:             int(cfg.Server.BodyLimitBytes),
		DisableStartupMessage: true,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          15 * time.Second,
		IdleTimeout:           60 * time.Second,
		ErrorHandler:          errorHandler,
	})
	a.HTTP.Use(recoverPanics(log, reg))
	a.HTTP.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	a.HTTP.Get("/readyz", a.ready)
	a.mountMetrics()
	(&whatsapp.Webhook{AppSecret: cfg.WhatsApp.AppSecret, VerifyToken: cfg.WhatsApp.VerifyToken, Inbound: b,
		Metrics: metrics, Log: log}).Register(a.HTTP)
	for _, register := range channels.webhooks {
		register(a.HTTP, b)
	}
	a.receivers = channels.receivers
	slackHandler.Register(a.HTTP)
	return a, nil
}

func bridgeOptions(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics) bridge.Options {
	opts := bridge.Options{
		DefaultTeam:      cfg.DefaultTeam,
		NotePrefixes:     cfg.Options.NotePrefixes,
		ReplyPrefixes:    cfg.Options.ReplyPrefixes,
		ReopenWindow:     cfg.Options.ReopenWindow.D(),
		AutoClaimOnReply: cfg.Options.AutoClaimOnReply,
		DetectLanguage:   func(text string) (string, bool) { return routing.DetectLanguage(routing.Words(text)) },
		OrderWindow:      tune.OrderWindow,
		ReplyOrderWindow: tune.ReplyOrderWindow,
		MaxAttempts:      tune.MaxAttempts,
		LeaseDuration:    tune.Lease,
		JobTimeout:       tune.JobTimeout,
		Now:              tune.Now,
		Log:              log,
		Metrics:          metrics,
		Canned:           cfg.CannedResponses(),
		Contacts:         cfg.Contacts.Schema(),

		TemplateSyncEvery: cfg.WhatsApp.TemplateSyncInterval.D(),
	}
	opts.MaxAttachmentBytes = int64(cfg.Options.MaxAttachmentBytes)
	opts.CRMWebhook = crmWebhook(cfg, tune) // crmhook.go
	if r := cfg.Router(); r != nil {
		opts.Router, opts.Assigner, opts.OnShift = rules{r}, rules{r}, rules{r}.OnShift
		// Rules on the LLM classifier make a new conversation's thread wait
		// for the provider (bridge/assist_route.go). Without one the
		// offline classifier decides them as it routes: nothing to wait for.
		opts.LLMRouting = len(r.LLMLabels()) > 0 && llmWired(cfg) // llmroute.go
		opts.ClassifyWait = cfg.Assistant.ClassifyWait.D()
	}
	if opts.ReopenWindow == 0 {
		opts.ReopenWindow = -1 // the config's 0 means "never reopen"
	}
	for _, t := range cfg.Teams {
		lang := t.Language
		if lang == "" {
			lang = cfg.Options.Language
		}
		team := bridge.Team{Name: t.Name, Workspace: bridge.WorkspaceSlack, ChannelID: t.SlackChannel, MoreChannels: t.MoreSlackChannels, Language: lang,
			Members: t.Members, Exclude: t.Exclude, Role: t.DiscordRole, Supervisors: t.Supervisors,
			RemindAfter: t.RemindAfter.D(), EscalateAfter: t.EscalateAfter.D(), NoteByDefault: t.NoteByDefault,
			ReadReceipts:  bridge.ReadReceipts(cmp.Or(t.ReadReceipts, string(bridge.ReadOnReply))),
			ShowAgentName: t.AgentName == "first_line", SendCorrections: t.SendCorrections,
			KeepDeletedText: t.KeepDeletedMessages,
			FirstLine: assist.FirstLine{Mode: assist.Mode(cmp.Or(t.FirstLine.Mode, string(assist.ModeNever))),
				MaxTurns: t.FirstLine.MaxTurns, MinConfidence: t.FirstLine.MinConfidence, HandOverWords: t.FirstLine.HandOverWords}}
		if t.Hours != nil {
			team.Open = t.Hours.Open // the first-line assistant's out_of_hours mode
		}
		if t.DiscordChannel != "" {
			team.Workspace, team.ChannelID = bridge.WorkspaceDiscord, t.DiscordChannel
		}
		opts.Teams = append(opts.Teams, team)
	}
	for _, in := range cfg.WhatsApp.Inboxes {
		opts.Inboxes = append(opts.Inboxes, bridge.Inbox{ID: bridge.InboxID(in.PhoneNumberID), Name: in.Name, Team: in.Team,
			Account: cfg.WhatsApp.AccountOf(in), Country: in.Country})
	}
	opts.Inboxes = append(opts.Inboxes, channelInboxes(cfg)...) // channels.go
	return opts
}

// rosterMaxAge is how old a stored channel member list may get before it
// is read again: member_joined_channel / member_left_channel keep it
// fresh meanwhile, the refresh mends missed events.
const rosterMaxAge = 10 * time.Minute

// ready answers /readyz: the replica is not shutting down, the database
// answers and every migration is applied.
func (a *App) ready(c *fiber.Ctx) error {
	if a.draining.Load() {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"ready": false, "reason": "shutting down"})
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := a.DB.PingContext(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"ready": false, "reason": "database unreachable"})
	}
	pending, err := a.DB.Pending(ctx)
	if err != nil || pending > 0 {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"ready": false, "reason": "migrations pending"})
	}
	return c.JSON(fiber.Map{"ready": true})
}

// Start begins running delivery jobs and, on the elected replica, the
// Discord gateway.
func (a *App) Start(ctx context.Context) error {
	// Channel members first, within a bound: until they are read, teams
	// that follow their channels refuse (and say why) rather than guess.
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	if err := a.Bridge.SyncRosters(sctx, rosterMaxAge); err != nil {
		a.log.Warn("channel members not read at start-up; retried every minute", "err", err)
	}
	cancel()
	// The config's canned responses, written over what an older config
	// or the chat tool left (docs/configuration.md, canned_responses).
	if err := a.Bridge.SyncCanned(ctx); err != nil {
		return fmt.Errorf("store the configuration's canned responses: %w", err)
	}
	if err := a.Queue.Start(ctx); err != nil {
		return err
	}
	if err := a.startMetrics(); err != nil {
		return err
	}
	a.slackID.start()
	a.discord.start()
	a.startTemplateSync()
	a.startKnowledge() // knowledge.go
	a.startReceivers() // channels.go
	return nil
}

// startTemplateSync reads the message templates that are due in the
// background: a slow or failing Graph API never holds start-up, and the
// periodic template_sync task tries a failed account again after its
// backoff. A replica started next to one that synced recently finds
// nothing due.
func (a *App) startTemplateSync() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	a.bgCancel = cancel
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		defer cancel()
		if err := a.Bridge.SyncDueTemplates(ctx); err != nil {
			a.log.Warn("message templates not synced at start-up; retried in the background", "err", err)
		}
	}()
}

// Serve answers HTTP on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.HTTP.Listener(ln) }

// Shutdown first answers /readyz 503 and keeps serving for
// server.drain_delay, so load balancers that probe readiness stop sending
// here while this replica still answers what they already sent; then it
// stops accepting requests, lets in-flight requests and jobs finish until
// ctx ends (then hands unfinished jobs back to the queue), and closes the
// database.
func (a *App) Shutdown(ctx context.Context) error {
	a.draining.Store(true)
	if d := a.Config.Server.DrainDelay.D(); d > 0 {
		a.log.Info("draining: /readyz answers 503 while requests are still served", "for", d)
		drained := time.NewTimer(d)
		select {
		case <-drained.C:
		case <-a.drainEnd:
			drained.Stop()
		case <-ctx.Done():
			drained.Stop()
		}
	}
	a.slackID.stop()
	if a.bgCancel != nil {
		a.bgCancel()
	}
	// Background work writes to the database, closed below.
	a.bg.Wait()
	errDiscord := a.discord.stop(ctx) // first: its handlers write to the database
	errHTTP := a.HTTP.ShutdownWithContext(ctx)
	errMetrics := a.stopMetrics(ctx)
	errQueue := a.Queue.Stop(ctx)
	errDB := a.DB.Close()
	return errors.Join(errDiscord, errHTTP, errMetrics, errQueue, errDB)
}

// quietRiver keeps River's own logs at warning level and above.
func quietRiver(log *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{log.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

// databaseURL is the configured URL in the form storage.Open takes.
func databaseURL(cfg *configs.Config) string {
	if cfg.Database.Dialect() == storage.SQLite {
		return "sqlite:" + cfg.Database.DSN()
	}
	return cfg.Database.DSN()
}

// DatabaseURL exposes databaseURL to the switchboard command.
func DatabaseURL(cfg *configs.Config) string { return databaseURL(cfg) }
