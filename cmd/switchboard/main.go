// Command switchboard answers one WhatsApp Business number with a whole
// team from Slack. Subcommands: serve (default), migrate, check-config,
// route, report, version. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	configPath := fs.String("config", os.Getenv("SWITCHBOARD_CONFIG"), "configuration file (default: built-in, from environment variables)")
	var routeFlags *routeOptions
	if cmd == "route" {
		routeFlags = addRouteFlags(fs)
	}
	var reportFlags *reportOptions
	if cmd == "report" {
		reportFlags = addReportFlags(fs)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cmd == "route" {
		cfg, err := loadConfig(*configPath)
		if err != nil {
			return err
		}
		return routeFlags.explain(cfg, fs.Args(), os.Stdout)
	}
	if cmd == "version" {
		fmt.Println("switchboard", version)
		return nil
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	switch cmd {
	case "check-config":
		fmt.Print(cfg.Summary())
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
		fmt.Println("database is up to date")
		return nil
	case "serve":
		return serve(cfg)
	case "report":
		return reportFlags.run(cfg, os.Stdout)
	}
	return fmt.Errorf("unknown command %q: use serve, migrate, check-config, route, report or version", cmd)
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
