// Package doctor checks a real switchboard setup with live calls and says,
// for each thing that is wrong, what to do and where the guide explains it:
// the configuration, the database (reachable, migrated), WhatsApp (token,
// phone number ids, webhook subscription, verify token), Slack (auth.test,
// the manifest's scopes, the bot in each team channel), Discord (token,
// the Message Content intent, the bot's permissions in each home channel)
// and, as a hint only, the public URL.
//
// It talks to the platforms with the clients the app itself uses (our
// Graph client, slack-go, discordgo) at the configured API URLs, so the
// fakes of adapters/*/…test answer it in tests. It never prints a token.
//
// This file is the contract: Run returns a Report of Results, one per
// check; `switchboard doctor` prints it and exits 1 when any check failed.
package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/switchboard/switchboard/configs"
)

// Result is the outcome of one check.
type Result struct {
	// Area groups checks: "config", "database", "whatsapp", "slack",
	// "discord", "public url".
	Area string
	// Name says what was checked ("access token", `team "support" channel`).
	Name string
	// OK is true when the check passed. A Result that is neither OK nor a
	// Hint is a failure.
	OK bool
	// Hint marks advice that is never a failure (the public URL).
	Hint bool
	// Detail is what was found: the answer on success (the workspace and
	// bot names), what is wrong otherwise. Never a token.
	Detail string
	// Fix is what to do about a failure or a hint.
	Fix string
	// Doc is the guide section explaining the fix, "docs/….md#anchor".
	Doc string
}

// Failed reports whether the result counts as a failure.
func (r Result) Failed() bool { return !r.OK && !r.Hint }

// Report is every check's result, in the order they ran.
type Report struct {
	Results []Result
}

// Failures returns the failed results.
func (r Report) Failures() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Failed() {
			out = append(out, res)
		}
	}
	return out
}

// Write prints one line per check (✔ passed, ✘ failed, "hint"), the fix
// and guide section under each failure and hint, and a summary line.
func (r Report) Write(w io.Writer) error {
	var b strings.Builder
	hints := 0
	for _, res := range r.Results {
		mark := "✔"
		switch {
		case res.Hint:
			mark, hints = "hint", hints+1
		case !res.OK:
			mark = "✘"
		}
		fmt.Fprintf(&b, "%s %s: %s: %s\n", mark, res.Area, res.Name, res.Detail)
		if res.OK {
			continue
		}
		if res.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", res.Fix)
		}
		if res.Doc != "" {
			fmt.Fprintf(&b, "    see: %s\n", res.Doc)
		}
	}
	failed := len(r.Failures())
	switch {
	case failed == 0:
		fmt.Fprintf(&b, "doctor: all %d checks passed", len(r.Results)-hints)
	default:
		fmt.Fprintf(&b, "doctor: %d of %d checks failed", failed, len(r.Results)-hints)
	}
	if hints > 0 {
		fmt.Fprintf(&b, ", %d %s", hints, plural(hints, "hint", "hints"))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Options tune a run.
type Options struct {
	// Timeout bounds each check's calls (default 10s).
	Timeout time.Duration
	// HTTPClient makes the calls to Meta, Slack, Discord and the public
	// URL (default: a plain client). Tests pass one that trusts their TLS
	// server.
	HTTPClient *http.Client
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	return o
}

// Run checks the setup cfg describes. It never stops early: a failure
// skips only the checks that depend on it (no scope check without a
// working Slack token), so one run lists everything to fix.
func Run(ctx context.Context, cfg *configs.Config, opts Options) Report {
	opts = opts.withDefaults()
	c := &checker{cfg: cfg, opts: opts}
	c.config()
	c.database(ctx)
	c.whatsapp(ctx)
	c.slack(ctx)
	c.discord(ctx)
	c.publicURL(ctx)
	return Report{Results: c.results}
}

// Unloadable is the report for a configuration that does not load: its
// first and only check fails with the loader's message, since every other
// check needs the configuration.
func Unloadable(err error) Report {
	return Report{Results: []Result{{Area: "config", Name: "load", Detail: err.Error(),
		Fix: "correct the configuration (`switchboard check-config` shows the same message), start from configs/switchboard.example.yaml",
		Doc: "docs/configuration.md"}}}
}

// checker accumulates results.
type checker struct {
	cfg     *configs.Config
	opts    Options
	results []Result
}

func (c *checker) ok(area, name, detail string) {
	c.results = append(c.results, Result{Area: area, Name: name, OK: true, Detail: detail})
}

func (c *checker) fail(area, name, detail, fix, doc string) {
	c.results = append(c.results, Result{Area: area, Name: name, Detail: detail, Fix: fix, Doc: doc})
}

func (c *checker) hint(area, name, detail, fix, doc string) {
	c.results = append(c.results, Result{Area: area, Name: name, Hint: true, Detail: detail, Fix: fix, Doc: doc})
}

// bounded is ctx limited to one check's timeout.
func (c *checker) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.opts.Timeout)
}

// config reports the loaded configuration and every credential it leaves
// empty (each a failure pointing at its guide).
func (c *checker) config() {
	c.ok("config", "load", fmt.Sprintf("%s (%d %s, %d %s)", c.cfg.Source(),
		len(c.cfg.Teams), plural(len(c.cfg.Teams), "team", "teams"),
		len(c.cfg.WhatsApp.Inboxes), plural(len(c.cfg.WhatsApp.Inboxes), "inbox", "inboxes")))
	for _, m := range c.cfg.Missing() {
		c.fail("config", "credential "+m.Field, "not set",
			fmt.Sprintf("set %s (see the guide for where to find it)", m.EnvVar), m.Doc)
	}
}
