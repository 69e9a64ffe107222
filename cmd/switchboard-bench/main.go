// Command switchboard-bench measures switchboard under load: it starts
// switchboard in this process (app.Build) on a fresh SQLite and/or
// PostgreSQL database, against the fake Graph API and fake Slack over
// loopback, drives simulated customers sending signed webhooks and agents
// replying through signed Slack events, and prints latencies, throughput,
// peak RSS, the database work per message, the raw commit baseline of the
// same database and an audit of what was lost, posted twice or out of
// order (any of which makes it exit 1).
//
// It has three modes:
//
//   - The table (default): for each database, one measured phase per rate
//     in -rates (each -duration long, drained before the next) and a
//     closed-loop one (-saturate), then a fresh instance with
//     -many-conversations open for memory, then the baseline: -baseline
//     long, 16 clients committing one-row transactions. It prints issue
//     13's table (offered | acknowledged p99 | webhook → Slack p99 |
//     delivered msgs/s) beside the figures recorded on the commit the
//     issue was filed at (before.go).
//
//   - One rate (-rate N): one phase at N msgs/s, with -fault if given,
//     then the closed-loop one; the fault runs of make bench-faults.
//
//   - Replicas (-replicas N, PostgreSQL only): the closed-loop phase with
//     one replica, then with N replicas on one database, webhooks and
//     Slack events spread over them in turn.
//
// For example:
//
//	go run ./cmd/switchboard-bench -db both
//	go run ./cmd/switchboard-bench -db postgres -replicas 3 -saturate 10s
//	go run ./cmd/switchboard-bench -db sqlite -rate 100 -duration 90s -fault slack-outage
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/storage"
)

type params struct {
	rate              float64
	rates             []float64
	manyConversations int
	replicas          int
	recordBefore      bool
	duration          time.Duration
	saturate          time.Duration
	conversations     int
	agentsReply       float64
	workers           int
	pgURL             string
	poll              time.Duration
	baselineFor       time.Duration
	drainTimeout      time.Duration
	limitChannel      int
	extraYAML         string
	cpuProfile        string
	memProfile        string
	logLevel          slog.Level
	fault             string
	faultAfter        time.Duration
	faultFor          time.Duration
}

func main() {
	var p params
	var dbs, rates string
	var quiet bool
	flag.Float64Var(&p.rate, "rate", 0, "one measured phase at this many customer messages per second instead of the table (0: the table)")
	flag.StringVar(&rates, "rates", "50,200,300,500,1000", "the table's offered rates, msgs/s, one measured phase each")
	flag.IntVar(&p.manyConversations, "many-conversations", 10000,
		fmt.Sprintf("the table's memory row: a fresh instance with this many open conversations at %d msgs/s (0: skip)", rssRate))
	flag.IntVar(&p.replicas, "replicas", 0, "measure the closed-loop throughput of this many replicas on one PostgreSQL database against one replica's (0: the table)")
	flag.BoolVar(&p.recordBefore, "record-before", false, "after the table, print its figures as Go source for before.go")
	flag.DurationVar(&p.duration, "duration", 10*time.Second, "length of each measured phase")
	flag.DurationVar(&p.saturate, "saturate", 5*time.Second, "length of the closed-loop phase that finds the maximum sustained rate (0: skip; replicas need it)")
	flag.IntVar(&p.conversations, "conversations", 1000, "simulated customers, each with one open conversation")
	flag.Float64Var(&p.agentsReply, "agents-reply", 0.2, "share of customer messages an agent answers in the thread (0..1)")
	flag.IntVar(&p.workers, "workers", 64, "concurrent webhook senders")
	flag.StringVar(&dbs, "db", "both", "sqlite, postgres or both")
	flag.StringVar(&p.pgURL, "pg", envOr("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL server URL; a fresh database is created on it and dropped")
	flag.DurationVar(&p.poll, "poll", 0, "delivery job poll interval (0: the configuration's default)")
	flag.DurationVar(&p.baselineFor, "baseline", 3*time.Second, "length of the raw commit baseline (16 clients, one-row transactions)")
	flag.DurationVar(&p.drainTimeout, "drain-timeout", time.Minute, "how long to wait for a phase's backlog to drain before going on (the audit at the end counts what was never posted)")
	flag.IntVar(&p.limitChannel, "limit-channel", 0, "make the fake Slack answer 429 beyond this many posts per second in the channel (0: no limit)")
	flag.StringVar(&p.cpuProfile, "cpuprofile", "", "write a CPU profile per database (name gets -sqlite/-postgres)")
	flag.StringVar(&p.memProfile, "memprofile", "", "write a heap profile per database at the end of its run")
	flag.BoolVar(&quiet, "quiet", true, "log switchboard errors only")
	flag.StringVar(&p.extraYAML, "yaml", "", "more configuration, appended to the bench's (e.g. a delivery: section)")
	flag.StringVar(&p.fault, "fault", "", "misbehave during the measured phase: slack-outage (500/429) or graph-429 (130429)")
	flag.DurationVar(&p.faultAfter, "fault-after", 2*time.Second, "when the fault starts, counted from the measured phase")
	flag.DurationVar(&p.faultFor, "fault-for", 60*time.Second, "how long the fault lasts")
	flag.Parse()
	p.logLevel = slog.LevelWarn
	if quiet {
		p.logLevel = slog.LevelError + 4 // nothing
	}

	for _, r := range strings.Split(rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "-rates %q: want positive numbers separated by commas, e.g. 50,200,500\n", rates)
			os.Exit(2)
		}
		p.rates = append(p.rates, v)
	}

	var dialects []string
	switch dbs {
	case "both":
		dialects = []string{storage.Postgres, storage.SQLite}
	case storage.Postgres, storage.SQLite:
		dialects = []string{dbs}
	default:
		fmt.Fprintln(os.Stderr, "-db must be sqlite, postgres or both")
		os.Exit(2)
	}
	if p.replicas > 0 && dbs != storage.Postgres {
		fmt.Fprintln(os.Stderr, "-replicas needs -db postgres: replicas share one database, and a SQLite file belongs to one process")
		os.Exit(2)
	}
	if p.replicas > 0 && p.saturate <= 0 {
		fmt.Fprintln(os.Stderr, "-replicas measures the closed-loop phase: give -saturate a length")
		os.Exit(2)
	}
	host, _ := os.Hostname()
	fmt.Printf("switchboard-bench on %s: %s/%s, %d CPUs (GOMAXPROCS %d), %s\n", host, runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel())
	failed := false
	switch {
	case p.replicas > 0:
		runs, err := runReplicas(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "replicas: %v\n", err)
			os.Exit(1)
		}
		printReplicas(runs, p)
		for _, r := range runs {
			failed = failed || r.lost+r.dups+r.disorder > 0
		}
	case p.rate > 0:
		fmt.Printf("load: %.0f msgs/s for %s over %d conversations, agents answer %.0f%%, %d senders; saturation %s\n\n",
			p.rate, p.duration, p.conversations, 100*p.agentsReply, p.workers, p.saturate)
		for _, d := range dialects {
			res, err := runDatabase(d, p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", d, err)
				failed = true
				continue
			}
			bl, err := baseline(d, p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s baseline: %v\n", d, err)
			}
			res.baseline = bl
			report(res)
			failed = failed || res.lost+res.dups+res.disorder > 0
		}
	default:
		fmt.Println()
		figs := map[string]*tableRun{}
		for _, d := range dialects {
			tr, err := runTable(d, p)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", d, err)
				failed = true
				continue
			}
			figs[d] = tr
			printTable(d, tr, p)
			failed = failed || tr.lost+tr.dups+tr.disorder > 0
		}
		if p.recordBefore {
			printBeforeSource(figs)
		}
	}
	if failed {
		os.Exit(1)
	}
}

func report(r *result) {
	if r.fault != "" {
		fmt.Printf("  fault                %s: %d calls refused during the window\n", r.fault, r.faultRefused)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	fmt.Printf("== %s\n", r.db)
	fmt.Printf("  inbound offered      %.0f msgs/s; acknowledged %.0f msgs/s (%d ok, %d refused); sender fell behind by at most %s\n",
		r.offered, r.ackRate, r.acked, r.failed, ms(r.late))
	fmt.Printf("  inbound delivered    %.0f msgs/s end to end; backlog drained %s after the load stopped\n", r.deliverRate, ms(r.drain))
	if r.satSent > 0 {
		fmt.Printf("  saturated            acknowledged %.0f msgs/s, delivered %.0f msgs/s end to end (closed loop)\n",
			r.satAckRate, r.satDelivRate)
	}
	fmt.Printf("  webhook ack          p50 %s  p99 %s\n", ms(r.ackP50), ms(r.ackP99))
	fmt.Printf("  webhook → Slack post p50 %s  p99 %s\n", ms(r.inP50), ms(r.inP99))
	fmt.Printf("  Slack event → Graph  p50 %s  p99 %s  (%d replies)\n", ms(r.outP50), ms(r.outP99), r.outCount)
	if r.acked > 0 {
		n := float64(r.acked)
		fmt.Printf("  database work        %.1f statements, %.1f commits, %.1f transactions per customer message (agents' replies included)\n",
			float64(r.work.Statements)/n, float64(r.work.CommitsTotal())/n, float64(r.work.Transactions)/n)
	}
	fmt.Printf("  peak RSS             %.0f MB (whole process: switchboard, fakes and load generator; %d open conversations)\n",
		r.rssMB, r.conversations)
	fmt.Printf("  database growth      %.1f MB per 10,000 messages\n", r.bytesPer10k/1e6)
	if r.postCalls > 0 {
		fmt.Printf("  Slack posts          %d calls, %d answered 429 (%.2f%%)\n", r.postCalls, r.slack429,
			100*float64(r.slack429)/float64(r.postCalls))
	}
	max := r.satDelivRate
	if max == 0 {
		max = r.deliverRate
	}
	if r.baseline > 0 {
		fmt.Printf("  baseline             %.0f commits/s (%d clients, one-row transactions); delivered msgs/s ÷ baseline = %.3f\n",
			r.baseline, baselineClients, max/r.baseline)
	}
	fmt.Printf("  audit                not posted by the drain deadline %d, posted twice %d, out of order %d\n\n", r.lost, r.dups, r.disorder)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		}
	}
	return "unknown CPU"
}
