package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

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
// fresh fakes, drives one measured phase at p.rate (with the fault, if
// any) and a closed-loop one, and measures.
func runDatabase(dialect string, p params) (res *result, err error) {
	ctx := context.Background()
	res = &result{db: dialect, offered: p.rate, conversations: p.conversations}
	in, err := startInstance(dialect, p, p.conversations, 1)
	if err != nil {
		return nil, err
	}
	defer in.close()
	a, obs := in.apps[0], in.obs

	sizeBefore, err := databaseBytes(ctx, a.DB)
	if err != nil {
		return nil, fmt.Errorf("database size: %w", err)
	}
	resetPeakRSS()
	stopProfile, err := startCPUProfile(p.cpuProfile, dialect)
	if err != nil {
		return nil, err
	}
	defer stopProfile()

	fmt.Fprintf(os.Stderr, "%s: opening %d conversations\n", dialect, p.conversations)
	if err := in.warmUp(p); err != nil {
		fmt.Fprintf(os.Stderr, "%s: warm-up: %v; measuring anyway\n", dialect, err)
	}

	fmt.Fprintf(os.Stderr, "%s: %0.f msgs/s for %s, agents answering %.0f%%\n", dialect, p.rate, p.duration, 100*p.agentsReply)
	if obs.fault != nil {
		defer func() { res.fault, res.faultRefused = obs.fault.kind, obs.fault.refused.Load() }()
		obs.fault.open(p.faultAfter, p.faultFor)
		fmt.Fprintf(os.Stderr, "%s: fault %s from +%s for %s\n", dialect, p.fault, p.faultAfter, p.faultFor)
	}
	ph := in.measure(p.rate, p.duration, p)
	res.sent, res.late, res.acked, res.failed, res.ackRate = int64(ph.sent), ph.late, ph.acked, ph.failed, ph.ackRate
	res.drain, res.deliverRate = ph.drain, ph.deliverRate
	res.ackP50, res.ackP99, res.inP50, res.inP99 = ph.ackP50, ph.ackP99, ph.inP50, ph.inP99
	res.outP50, res.outP99, res.outCount = ph.outP50, ph.outP99, ph.outCount
	res.work = ph.work

	if p.saturate > 0 {
		fmt.Fprintf(os.Stderr, "%s: saturating for %s with %d senders\n", dialect, p.saturate, p.workers)
		sat := in.measure(0, p.saturate, p)
		res.satSent, res.satAckRate, res.satDelivRate = sat.sent, sat.ackRate, sat.deliverRate
	}

	res.rssMB = float64(peakRSS()) / 1024
	sizeAfter, err := databaseBytes(ctx, a.DB)
	if err != nil {
		return nil, fmt.Errorf("database size: %w", err)
	}
	res.bytesPer10k = float64(sizeAfter-sizeBefore) / float64(in.cs.ackOK.Load()) * 10000
	res.lost, res.dups, res.disorder = audit(in.cs, obs)
	res.slackCalls, res.slack429, res.postCalls = obs.slackCalls.Load(), obs.slack429.Load(), obs.postCalls.Load()
	writeHeapProfile(p.memProfile, dialect)
	return res, nil
}

// startCPUProfile writes a CPU profile to name (with -dialect before its
// extension) until the returned function is called; name "" does nothing.
func startCPUProfile(name, dialect string) (stop func(), err error) {
	if name == "" {
		return func() {}, nil
	}
	f, err := os.Create(strings.Replace(name, ".", "-"+dialect+".", 1))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}

// writeHeapProfile writes the heap profile to name (with -dialect before
// its extension); name "" does nothing.
func writeHeapProfile(name, dialect string) {
	if name == "" {
		return
	}
	if f, err := os.Create(strings.Replace(name, ".", "-"+dialect+".", 1)); err == nil {
		_ = pprof.WriteHeapProfile(f)
		_ = f.Close()
	}
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

// resetPeakRSS hands the memory of earlier runs back to the system and
// resets VmHWM (Linux: writing 5 to clear_refs), so each run reports its
// own peak.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

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
