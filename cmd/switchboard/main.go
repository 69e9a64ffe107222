// Command switchboard answers one WhatsApp Business number with a whole
// team from Slack. Subcommands: serve (default), sandbox, doctor,
// slack-manifest, migrate, check-config, route, report, kb, contact, version,
// help. See
// README.md and `switchboard help`.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	err := run(os.Args[1:])
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

func run(args []string) error { return runWith(args, os.Stdout, os.Stderr) }

// commandFlags are the flags one subcommand adds to the common -config;
// nil for the commands that take none of them.
type commandFlags struct {
	route    *routeOptions
	report   *reportOptions
	serve    *serveOptions
	sandbox  *sandboxOptions
	doctor   *doctorOptions
	manifest *manifestOptions
	kb       *kbOptions
	contact  *contactOptions
}

// newFlagSet builds the flags of one subcommand: the common -config and
// the command's own.
func newFlagSet(cmd string) (*flag.FlagSet, commandFlags) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.String("config", os.Getenv("SWITCHBOARD_CONFIG"), "configuration file (default: built-in, from environment variables)")
	var f commandFlags
	switch cmd {
	case "route":
		f.route = addRouteFlags(fs)
	case "report":
		f.report = addReportFlags(fs)
	case "serve":
		f.serve = addServeFlags(fs)
	case "sandbox":
		f.sandbox = addSandboxFlags(fs)
	case "doctor":
		f.doctor = addDoctorFlags(fs)
	case "slack-manifest":
		f.manifest = addManifestFlags(fs)
	case "kb":
		f.kb = addKBFlags(fs)
	case "contact":
		f.contact = addContactFlags(fs)
	}
	fs.Usage = commandUsage(fs)
	return fs, f
}

// runWith runs one command line; help goes to stdout, usage mistakes to
// stderr with errUsage.
func runWith(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && isHelpFlag(args[0]) {
		cmd, args = "help", nil
	}
	if cmd == "help" {
		return helpFor(args, stdout, stderr)
	}
	if !known(cmd) {
		fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n", cmd)
		printCommands(stderr)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	fs, flags := newFlagSet(cmd)
	// The flag package prints the usage on -h and on a bad flag; help
	// goes to stdout and exits 0, a mistake to stderr with exit 2.
	var usage bytes.Buffer
	fs.SetOutput(&usage)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		_, err = usage.WriteTo(stdout)
		return err
	} else if err != nil {
		_, _ = usage.WriteTo(stderr)
		return fmt.Errorf("%w: %s: %v", errUsage, cmd, err)
	}
	configPath := fs.Lookup("config").Value.String()
	switch cmd {
	case "route":
		cfg, err := loadConfig(configPath)
		if err != nil {
			return err
		}
		return flags.route.explain(cfg, fs.Args(), stdout)
	case "version":
		fmt.Fprintln(stdout, "switchboard", version)
		return nil
	case "sandbox":
		// The sandbox builds its own configuration; it reads the usual one
		// only to refuse to start when real credentials are set.
		return flags.sandbox.run(configPath, stdout, stderr)
	case "doctor":
		// The doctor reports a configuration that does not load as its
		// first failed check instead of stopping there.
		return flags.doctor.run(configPath, stdout)
	}
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	switch cmd {
	case "check-config":
		fmt.Fprint(stdout, cfg.Summary())
		return nil
	case "migrate":
		ctx := context.Background()
		db, err := storage.Open(ctx, app.DatabaseURL(cfg), cfg.Database.MaxOpenConns)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.MigrateWith(ctx, storage.MigrateOptions{Log: newLogger(cfg.Server.LogLevel)}); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	case "serve":
		return flags.serve.run(cfg, configPath, stdout, stderr)
	case "slack-manifest":
		return flags.manifest.run(cfg, stdout)
	case "report":
		return flags.report.run(cfg, stdout)
	case "kb":
		return flags.kb.run(cfg, fs.Args(), stdout)
	case "contact":
		return flags.contact.run(cfg, fs.Args(), stdout)
	}
	return fmt.Errorf("command %q is listed but not dispatched", cmd)
}

func loadConfig(path string) (*configs.Config, error) {
	if path == "" {
		return configs.Default(os.Getenv)
	}
	return configs.Load(path, os.Getenv)
}

// serveOptions are the flags of `switchboard serve`.
type serveOptions struct {
	// sandbox is "off" (the default, and what production runs) or "auto":
	// start the sandbox instead when no platform credential is configured
	// at all (what `make run` asks for).
	sandbox *string
}

func addServeFlags(fs *flag.FlagSet) *serveOptions {
	return &serveOptions{sandbox: fs.String("sandbox", "off",
		"auto: with no WhatsApp, Slack or Discord credential configured, start the sandbox instead (make run); off: always serve")}
}

func (o *serveOptions) run(cfg *configs.Config, configPath string, stdout, stderr io.Writer) error {
	switch *o.sandbox {
	case "off":
	case "auto":
		if !cfg.HasPlatformCredentials() {
			fmt.Fprintln(stderr, "switchboard: no WhatsApp, Slack or Discord credentials are configured: starting the SANDBOX (switchboard sandbox -h)")
			return (&sandboxOptions{}).withDefaults().run(configPath, stdout, stderr)
		}
	default:
		return fmt.Errorf("%w: serve: -sandbox %q: want auto or off", errUsage, *o.sandbox)
	}
	return serve(cfg)
}

func serve(cfg *configs.Config) error {
	log := newLogger(cfg.Server.LogLevel)
	for _, m := range cfg.Missing() {
		log.Warn("credential missing: " + m.String())
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	a, err := app.Build(ctx, cfg, app.Tuning{Log: log})
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("server.listen %q: %w", cfg.Server.Listen, err)
	}
	log.Info("switchboard is listening", "addr", ln.Addr().String(), "database", cfg.Database.Dialect(), "version", version)
	for _, u := range cfg.CallbackURLs() {
		log.Info(u)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.Server.ShutdownTimeout.D())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout.D())
	defer cancel()
	return errors.Join(err, a.Shutdown(sctx))
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
