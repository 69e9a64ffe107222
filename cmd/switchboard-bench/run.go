package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// result is what one database's run measured.
type result struct {
	db                       string
	offered                  float64
	sent, acked, failed      int64
	ackRate, deliverRate     float64
	late                     time.Duration
	ackP50, ackP99           time.Duration
	inP50, inP99             time.Duration
	outP50, outP99           time.Duration
	outCount                 int
	satSent                  int
	satAckRate, satDelivRate float64
	drain                    time.Duration
	rssMB                    float64
	bytesPer10k              float64
	baseline                 float64
	lost, dups, disorder     int
	slackCalls, slack429     int64
	postCalls                int64
	conversations            int
	fault                    string
	faultRefused             int64
	// work is what the database was sent during the measured phase
	// (statements, commits), for the cost of one message.
	work storage.Statements
}

// database is a fresh database for one run and how to drop it.
type database struct {
	url  string
	drop func()
}

func freshDatabase(dialect, pgAdmin, prefix string) (database, error) {
	if dialect == storage.SQLite {
		dir, err := os.MkdirTemp("", "switchboard-bench-")
		if err != nil {
			return database{}, err
		}
		return database{url: "sqlite:" + filepath.Join(dir, "bench.db"), drop: func() { _ = os.RemoveAll(dir) }}, nil
	}
	admin, err := sqlx.Open("postgres", pgAdmin)
	if err != nil {
		return database{}, err
	}
	defer admin.Close()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		return database{}, fmt.Errorf("create database on %s: %w", redact(pgAdmin), err)
	}
	u, _ := url.Parse(pgAdmin)
	u.Path = "/" + name
	return database{url: u.String(), drop: func() {
		if a, err := sqlx.Open("postgres", pgAdmin); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	}}, nil
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "?"
}

// databaseBytes is the size the database takes.
func databaseBytes(ctx context.Context, db *storage.DB) (int64, error) {
	var n int64
	if db.Dialect == storage.SQLite {
		err := db.GetContext(ctx, &n, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`)
		return n, err
	}
	err := db.GetContext(ctx, &n, `SELECT pg_database_size(current_database())`)
	return n, err
}

// runDatabase starts switchboard on a fresh database of dialect against
// fresh fakes, drives the load and measures.
func runDatabase(dialect string, p params) (res *result, err error) {
	ctx := context.Background()
	res = &result{db: dialect, offered: p.rate, conversations: p.conversations}
	tb := &fakeTB{}
	defer tb.close()
	wa := whatsapptest.New(tb)
	sl := slacktest.New(tb)
	// The team's agents are its channel's members: the bench's agent is one.
	sl.SetChannelMembers(channelID, agentUser)
	if p.limitChannel > 0 {
		sl.LimitChannel(channelID, p.limitChannel)
	}
	dbase, err := freshDatabase(dialect, p.pgURL, "sbbench_")
	if err != nil {
		return nil, err
	}
	defer dbase.drop()

	obs := &observer{next: http.DefaultTransport, slackHost: hostOf(sl.URL()), graphHost: hostOf(wa.URL),
		inbound: newDelivered(), outbound: newDelivered(), e2eIn: &samples{}, e2eOut: &samples{}}
	switch p.fault {
	case faultSlackOutage:
		obs.fault = &fault{kind: p.fault, host: obs.slackHost}
	case faultGraph429:
		obs.fault = &fault{kind: p.fault, host: obs.graphHost}
	case faultNone:
	default:
		return nil, fmt.Errorf("-fault %q: use slack-outage or graph-429", p.fault)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	obs.next = tr
	cfg, err := configs.Parse([]byte(fmt.Sprintf(`
database:
  url: %q
whatsapp:
  graph_api_url: %q
  access_token: %q
  app_secret: %q
  verify_token: verify-me
  inboxes:
    - phone_number_id: %q
      name: Bench line
slack:
  api_url: %q
  bot_token: %q
  signing_secret: %q
  # The bench measures switchboard itself, not Slack's per-channel limit.
  posts_per_minute: 0
teams:
  - name: support
    slack_channel: %s
options:
  auto_claim_on_reply: true
%s`, dbase.url, wa.URL, wa.Token, appSecret, phoneID, sl.URL(), slacktest.Token, signingSecret, channelID, p.extraYAML)),
		"bench.yaml", func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: p.logLevel}))
	a, err := app.Build(ctx, cfg, app.Tuning{HTTPClient: &http.Client{Transport: obs, Timeout: 30 * time.Second},
		PollInterval: p.poll, Log: log})
	if err != nil {
		return nil, err
	}
	if err := a.Start(ctx); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = a.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.Shutdown(sctx)
	}()

	sizeBefore, err := databaseBytes(ctx, a.DB)
	if err != nil {
		return nil, fmt.Errorf("database size: %w", err)
	}
	resetPeakRSS()
	if p.cpuProfile != "" {
		f, err := os.Create(strings.Replace(p.cpuProfile, ".", "-"+dialect+".", 1))
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}

	cs := newCustomers(p.conversations, "http://"+ln.Addr().String(), obs, p.agentsReply, p.workers)
	next := 0
	// Warm-up: every customer writes once, opening their conversation,
	// so the measured phase runs with conversations already open.
	fmt.Fprintf(os.Stderr, "%s: opening %d conversations\n", dialect, p.conversations)
	cs.paced(min(p.rate, 2000), time.Duration(float64(p.conversations)/min(p.rate, 2000)*float64(time.Second)), p.workers, &next)
	if err := waitDelivered(cs, obs, p.drainTimeout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: warm-up: %v; measuring anyway\n", dialect, err)
	}

	fmt.Fprintf(os.Stderr, "%s: %0.f msgs/s for %s, agents answering %.0f%%\n", dialect, p.rate, p.duration, 100*p.agentsReply)
	cs.measure.Store(true)
	cs.replying.Store(true)
	obs.measureFrom.Store(time.Now().UnixNano())
	if obs.fault != nil {
		defer func() { res.fault, res.faultRefused = obs.fault.kind, obs.fault.refused.Load() }()
		obs.fault.open(p.faultAfter, p.faultFor)
		fmt.Fprintf(os.Stderr, "%s: fault %s from +%s for %s\n", dialect, p.fault, p.faultAfter, p.faultFor)
	}
	ackedBefore, inBefore := cs.ackOK.Load(), obs.inbound.n.Load()
	workBefore := a.DB.Statements()
	start := time.Now()
	sent, late := cs.paced(p.rate, p.duration, p.workers, &next)
	loadEnd := time.Now()
	res.sent, res.late = int64(sent), late
	res.acked = cs.ackOK.Load() - ackedBefore
	res.failed = cs.ackFail.Load()
	res.ackRate = float64(res.acked) / loadEnd.Sub(start).Seconds()
	if err := waitDelivered(cs, obs, p.drainTimeout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", dialect, err)
	}
	cs.replying.Store(false)
	obs.inbound.mu.Lock()
	last := obs.inbound.last
	obs.inbound.mu.Unlock()
	res.drain = max(last.Sub(loadEnd), 0)
	res.deliverRate = float64(obs.inbound.n.Load()-inBefore) / last.Sub(start).Seconds()
	res.ackP50, res.ackP99 = cs.ackLat.quantile(0.5), cs.ackLat.quantile(0.99)
	res.inP50, res.inP99 = obs.e2eIn.quantile(0.5), obs.e2eIn.quantile(0.99)
	waitReplies(cs, obs, p.drainTimeout)
	res.work = a.DB.Statements().Sub(workBefore)
	res.outP50, res.outP99, res.outCount = obs.e2eOut.quantile(0.5), obs.e2eOut.quantile(0.99), obs.e2eOut.count()

	if p.saturate > 0 {
		fmt.Fprintf(os.Stderr, "%s: saturating for %s with %d senders\n", dialect, p.saturate, p.workers)
		cs.measure.Store(false)
		ackedBefore, inBefore = cs.ackOK.Load(), obs.inbound.n.Load()
		start = time.Now()
		res.satSent = cs.saturate(p.saturate, p.workers, &next)
		res.satAckRate = float64(cs.ackOK.Load()-ackedBefore) / time.Since(start).Seconds()
		if err := waitDelivered(cs, obs, p.drainTimeout); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", dialect, err)
		}
		obs.inbound.mu.Lock()
		last = obs.inbound.last
		obs.inbound.mu.Unlock()
		res.satDelivRate = float64(obs.inbound.n.Load()-inBefore) / last.Sub(start).Seconds()
	}
	cs.close()

	res.rssMB = float64(peakRSS()) / 1024
	sizeAfter, err := databaseBytes(ctx, a.DB)
	if err != nil {
		return nil, fmt.Errorf("database size: %w", err)
	}
	total := cs.ackOK.Load()
	res.bytesPer10k = float64(sizeAfter-sizeBefore) / float64(total) * 10000
	res.lost, res.dups, res.disorder = audit(cs, obs)
	res.slackCalls, res.slack429, res.postCalls = obs.slackCalls.Load(), obs.slack429.Load(), obs.postCalls.Load()
	if p.memProfile != "" {
		if f, err := os.Create(strings.Replace(p.memProfile, ".", "-"+dialect+".", 1)); err == nil {
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
	return res, nil
}

func hostOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}

// waitDelivered waits until every acknowledged customer message has been
// posted in Slack.
func waitDelivered(cs *customers, obs *observer, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		want := cs.ackOK.Load()
		got := obs.inbound.n.Load()
		if got >= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d acknowledged messages posted after %s", got, want, timeout)
		}
		time.Sleep(20 * time.Millisecond) // polling the observer's counter
	}
}

// waitReplies waits until the replies queued so far reached Graph.
func waitReplies(cs *customers, obs *observer, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if len(cs.replies) == 0 && obs.outbound.n.Load() >= cs.sentOut.Load() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "only %d of %d agent replies sent after %s\n", obs.outbound.n.Load(), cs.sentOut.Load(), timeout)
}

// audit compares, per conversation, the messages acknowledged with those
// posted: lost, posted more than once, posted out of order.
func audit(cs *customers, obs *observer) (lost, dups, disorder int) {
	obs.inbound.mu.Lock()
	defer obs.inbound.mu.Unlock()
	for c, acked := range cs.acked {
		seen := obs.inbound.seen[c]
		count := map[int]int{}
		for i, s := range seen {
			count[s]++
			if count[s] > 1 {
				dups++
			}
			if i > 0 && s < seen[i-1] {
				disorder++
			}
		}
		for _, s := range acked {
			if count[s] == 0 {
				lost++
			}
		}
	}
	return lost, dups, disorder
}

// resetPeakRSS resets VmHWM (Linux: writing 5 to clear_refs), so each
// database's run reports its own peak.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM in KiB.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			_, _ = fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}
