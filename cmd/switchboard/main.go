// Command switchboard answers one WhatsApp Business number with a whole
// team from Slack. Subcommands: serve (default), migrate, check-config,
// route, report, version, help. See README.md and `switchboard help`.
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

// newFlagSet builds the flags of one subcommand; route and report add
// theirs to the common -config.
func newFlagSet(cmd string) (*flag.FlagSet, *routeOptions, *reportOptions) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.String("config", os.Getenv("SWITCHBOARD_CONFIG"), "configuration file (default: built-in, from environment variables)")
	var routeFlags *routeOptions
	if cmd == "route" {
		routeFlags = addRouteFlags(fs)
	}
	var reportFlags *reportOptions
	if cmd == "report" {
		reportFlags = addReportFlags(fs)
	}
	fs.Usage = commandUsage(fs)
	return fs, routeFlags, reportFlags
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
	fs, routeFlags, reportFlags := newFlagSet(cmd)
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
	if cmd == "route" {
		cfg, err := loadConfig(configPath)
		if err != nil {
			return err
		}
		return routeFlags.explain(cfg, fs.Args(), stdout)
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "switchboard", version)
		return nil
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
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	case "serve":
		return serve(cfg)
	case "report":
		return reportFlags.run(cfg, stdout)
	}
	return fmt.Errorf("command %q is listed but not dispatched", cmd)
}

func loadConfig(path string) (*configs.Config, error) {
	if path == "" {
		return configs.Default(os.Getenv)
	}
	return configs.Load(path, os.Getenv)
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
