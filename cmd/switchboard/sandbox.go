package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"strings"
	"syscall"

	"github.com/switchboard/switchboard/cmd/switchboard/sandbox"
	"github.com/switchboard/switchboard/configs"
)

// sandboxOptions are the flags of `switchboard sandbox` (issue 14): the
// bridge against built-in simulators of WhatsApp and Slack, on a
// throwaway SQLite database, with a page to play both sides.
type sandboxOptions struct {
	listen *string
}

// sandboxContext is the sandbox's lifetime: until SIGINT or SIGTERM.
// Tests replace it to stop the sandbox themselves.
var sandboxContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
}

// sandboxListen is the -listen default (tests pick a free port).
var sandboxListen = "127.0.0.1:8080"

// sandboxReady, when set, learns the page's URL (tests).
var sandboxReady func(url string)

func addSandboxFlags(fs *flag.FlagSet) *sandboxOptions {
	return &sandboxOptions{listen: fs.String("listen", sandboxListen, "address of the sandbox page and of switchboard's endpoints (loopback only: 127.0.0.1:PORT, [::1]:PORT or localhost:PORT)")}
}

// withDefaults gives options built without a flag set (serve -sandbox
// auto) the flags' defaults.
func (o *sandboxOptions) withDefaults() *sandboxOptions {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	return addSandboxFlags(fs)
}

// run starts the sandbox and blocks until SIGINT/SIGTERM. It refuses to
// start when configPath (or the environment) configures real credentials.
func (o *sandboxOptions) run(configPath string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return fmt.Errorf("sandbox: the configuration is read only to make sure it holds no real credentials, and it does not load: %w", err)
	}
	if err := refuseCredentials(cfg, configPath); err != nil {
		return err
	}
	if err := sandbox.CheckLoopback(*o.listen); err != nil {
		return err
	}
	ctx, stop := sandboxContext()
	defer stop()
	level := slog.LevelWarn // the page shows what happens; the log keeps to problems
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("mode", sandbox.Label)
	return sandbox.Run(ctx, sandbox.Options{Listen: *o.listen, Out: stdout, Log: log, Ready: sandboxReady})
}

// refuseCredentials fails when cfg holds any real platform credential:
// the sandbox must never run beside a real token, so a mistake cannot
// make it talk to a real WhatsApp number or workspace. The error names
// each one set and how to unset it.
func refuseCredentials(cfg *configs.Config, configPath string) error {
	if !cfg.HasPlatformCredentials() {
		return nil
	}
	var set, envs []string
	add := func(v, field, env string) {
		if v != "" {
			set = append(set, fmt.Sprintf("%s (environment variable %s)", field, env))
			envs = append(envs, env)
		}
	}
	add(cfg.WhatsApp.AccessToken, "whatsapp.access_token", "WHATSAPP_ACCESS_TOKEN")
	add(cfg.WhatsApp.AppSecret, "whatsapp.app_secret", "WHATSAPP_APP_SECRET")
	add(cfg.Slack.BotToken, "slack.bot_token", "SLACK_BOT_TOKEN")
	add(cfg.Slack.SigningSecret, "slack.signing_secret", "SLACK_SIGNING_SECRET")
	add(cfg.Discord.BotToken, "discord.bot_token", "DISCORD_BOT_TOKEN")
	fix := "unset them (`unset " + strings.Join(envs, " ") + "`)"
	where := "the environment"
	if configPath != "" {
		where = configPath
		fix = "run it without -config, or remove them from " + configPath + " (and `unset " + strings.Join(envs, " ") + "` if it reads them from there)"
	}
	return fmt.Errorf("sandbox: refusing to start: real platform credentials are configured in %s: %s. "+
		"The sandbox runs only without any, so it can never reach a real platform: %s. To use them, run `switchboard serve`",
		where, strings.Join(set, ", "), fix)
}
