// Package sandbox runs switchboard against built-in simulators of
// WhatsApp (the Graph API and Meta's webhooks) and of a Slack workspace,
// on a throwaway SQLite database, with a page on which one person plays
// the customers and the agents (docs/sandbox.md).
//
// The simulators are the fakes our tests use (adapters/whatsapp/
// whatsapptest, adapters/slack/slacktest), started for good: switchboard's
// real adapters talk to them over HTTP exactly as to the real platforms,
// and nothing in bridge/ or adapters/ knows it runs in a sandbox.
//
// One listener serves everything on one origin: the page at /, its JSON
// API under /sandbox/ (api.go), and, through a reverse proxy, switchboard
// itself (/webhooks/…, /slack/…, /healthz, /metrics). A front net/http
// server rather than routes on switchboard's fiber app keeps the sandbox
// out of the app's wiring and lets long polls use plain net/http.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
)

// Options configure Run.
type Options struct {
	// Listen is the page's address; default 127.0.0.1:8080. It must be a
	// loopback address: the sandbox has no authentication.
	Listen string
	// Out receives the banner with the URL; nil: discarded.
	Out io.Writer
	// Log receives switchboard's and the sandbox's logs; nil: slog.Default.
	Log *slog.Logger
	// Ready, when set, is called with the page's URL once everything
	// listens (tests listen on 127.0.0.1:0 and learn the port here).
	Ready func(url string)
	// PollInterval overrides how often switchboard looks for deliveries
	// (tests shorten it; 0: the configuration's default).
	PollInterval time.Duration
}

// Label marks everything the sandbox shows: the page, the logs, the
// business and workspace names.
const Label = "SANDBOX"

// ErrNotLoopback is returned by Run for a listen address anyone on the
// network could reach.
var ErrNotLoopback = errors.New("not a loopback address")

// Run starts the simulators, switchboard and the page, and serves until
// ctx is done; then it stops everything and deletes the database.
func Run(ctx context.Context, o Options) error {
	if o.Listen == "" {
		o.Listen = "127.0.0.1:8080"
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if err := CheckLoopback(o.Listen); err != nil {
		return err
	}
	log := o.Log.With("mode", Label)
	front, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("sandbox: listen on %s: %w", o.Listen, err)
	}
	defer front.Close()

	wa, err := whatsapptest.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer wa.Close()
	slack, err := slacktest.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer slack.Close()
	dir, err := os.MkdirTemp("", "switchboard-sandbox-")
	if err != nil {
		return fmt.Errorf("sandbox: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)

	keys := newSecrets()
	wa.Token = keys.accessToken
	cfg, err := buildConfig(dir, wa.URL, slack.URL(), keys)
	if err != nil {
		return fmt.Errorf("sandbox: configuration: %w", err)
	}
	seed(wa, slack)

	a, err := app.Build(ctx, cfg, app.Tuning{Log: log, PollInterval: o.PollInterval})
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		return errors.Join(err, a.Shutdown(context.Background()))
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return errors.Join(err, a.Shutdown(context.Background()))
	}
	appURL := "http://" + inner.Addr().String()
	served := make(chan error, 2)
	go func() { served <- a.Serve(inner) }()
	wa.SendWebhooksTo(appURL+"/webhooks/whatsapp", keys.appSecret)

	sb := newSandbox(wa, slack, appURL, keys, log)
	target, _ := url.Parse(appURL) // built above: cannot fail
	srv := &http.Server{Handler: sb.routes(front.Addr().String(), httputil.NewSingleHostReverseProxy(target)), ReadHeaderTimeout: 10 * time.Second}
	go func() { served <- srv.Serve(front) }()

	pageURL := "http://" + front.Addr().String() + "/"
	fmt.Fprintf(o.Out, "\n  switchboard %s: open %s\n\n  Simulated WhatsApp and Slack on this machine only; nothing reaches a real platform.\n  Everything is forgotten when you stop it (Ctrl-C).\n\n", Label, pageURL)
	log.Info("sandbox is ready", "url", pageURL, "whatsapp_simulator", wa.URL, "slack_simulator", slack.URL())
	if o.Ready != nil {
		o.Ready(pageURL)
	}

	select {
	case <-ctx.Done():
	case err = <-served:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	}
	log.Info("sandbox is stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sb.stop()
	return errors.Join(err, srv.Shutdown(sctx), a.Shutdown(sctx))
}

// CheckLoopback refuses a listen address that is not on a loopback
// interface (127.0.0.0/8, ::1, localhost), naming a safe one.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: -listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("sandbox: -listen %q: %w: the sandbox has no login and anyone who reaches it can play both sides; "+
		"listen on 127.0.0.1 (e.g. -listen 127.0.0.1:8080) and, from another machine, forward the port (ssh -L 8080:127.0.0.1:8080 host)",
		addr, ErrNotLoopback)
}
