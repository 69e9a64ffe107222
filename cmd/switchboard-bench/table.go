package main

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/switchboard/switchboard/storage"
)

// rssRate is the offered rate of the table's row with many open
// conversations: that row is there for memory, not speed.
const rssRate = 200

// referenceRate is the offered rate the issue sets its latency targets
// at: the agent-reply latency and the database work per message are
// reported from that row.
const referenceRate = 500

// row is one line of the table.
type row struct {
	Offered   float64       // msgs/s; 0: saturated (closed loop)
	AckP99    time.Duration // webhook acknowledged
	InP99     time.Duration // webhook → Slack post
	Delivered float64       // msgs/s end to end
}

// figures is one database's table and the notes under it: what a run
// measures and what before.go records.
type figures struct {
	Rows             []row // the paced rows in order, then the saturated one
	ReplyP99         time.Duration
	StatementsPerMsg float64 // at referenceRate, agents' replies included
	CommitsPerMsg    float64
	PeakRSSMB        float64 // whole process, during the table
	ManyRSSMB        float64 // whole process, with ManyConversations open
	ManyRow          row     // at rssRate, with ManyConversations open
	ManyConv         int
	Baseline         float64 // commits/s, baselineClients clients, one-row transactions
}

// tableRun is figures plus what is not compared with before.
type tableRun struct {
	figures
	conversations        int
	lost, dups, disorder int
	reference            float64 // the offered rate the reply and work figures come from
	replies              int
}

// runTable measures the table for one database: one instance, a warm-up
// opening the conversations, one measured phase per offered rate (each
// drained before the next), a closed-loop phase; then a fresh instance
// with p.manyConversations open for memory; then the baseline.
func runTable(dialect string, p params) (*tableRun, error) {
	tr := &tableRun{conversations: p.conversations}
	if err := func() error {
		in, err := startInstance(dialect, p, p.conversations, 1)
		if err != nil {
			return err
		}
		defer in.close()
		resetPeakRSS()
		stopProfile, err := startCPUProfile(p.cpuProfile, dialect)
		if err != nil {
			return err
		}
		defer stopProfile()
		fmt.Fprintf(os.Stderr, "%s: opening %d conversations\n", dialect, p.conversations)
		if err := in.warmUp(p); err != nil {
			fmt.Fprintf(os.Stderr, "%s: warm-up: %v; measuring anyway\n", dialect, err)
		}
		best := math.Inf(1)
		for _, rate := range p.rates {
			fmt.Fprintf(os.Stderr, "%s: %.0f msgs/s for %s\n", dialect, rate, p.duration)
			ph := in.measure(rate, p.duration, p)
			tr.Rows = append(tr.Rows, row{Offered: rate, AckP99: ph.ackP99, InP99: ph.inP99, Delivered: ph.deliverRate})
			if d := math.Abs(rate - referenceRate); d < best {
				best = d
				tr.reference, tr.ReplyP99, tr.replies = rate, ph.outP99, ph.outCount
				tr.StatementsPerMsg, tr.CommitsPerMsg = ph.perMessage()
			}
		}
		if p.saturate > 0 {
			fmt.Fprintf(os.Stderr, "%s: saturating for %s with %d senders\n", dialect, p.saturate, p.workers)
			ph := in.measure(0, p.saturate, p)
			tr.Rows = append(tr.Rows, row{AckP99: ph.ackP99, InP99: ph.inP99, Delivered: ph.deliverRate})
		}
		tr.PeakRSSMB = float64(peakRSS()) / 1024
		tr.lost, tr.dups, tr.disorder = audit(in.cs, in.obs)
		writeHeapProfile(p.memProfile, dialect)
		return nil
	}(); err != nil {
		return nil, err
	}

	if p.manyConversations > 0 {
		if err := func() error {
			resetPeakRSS()
			in, err := startInstance(dialect, p, p.manyConversations, 1)
			if err != nil {
				return err
			}
			defer in.close()
			fmt.Fprintf(os.Stderr, "%s: opening %d conversations\n", dialect, p.manyConversations)
			if err := in.warmUp(p); err != nil {
				fmt.Fprintf(os.Stderr, "%s: warm-up: %v; measuring anyway\n", dialect, err)
			}
			fmt.Fprintf(os.Stderr, "%s: %d msgs/s for %s over %d conversations\n", dialect, rssRate, p.duration, p.manyConversations)
			ph := in.measure(rssRate, p.duration, p)
			tr.ManyRow = row{Offered: rssRate, AckP99: ph.ackP99, InP99: ph.inP99, Delivered: ph.deliverRate}
			tr.ManyConv = p.manyConversations
			tr.ManyRSSMB = float64(peakRSS()) / 1024
			l, d, o := audit(in.cs, in.obs)
			tr.lost, tr.dups, tr.disorder = tr.lost+l, tr.dups+d, tr.disorder+o
			return nil
		}(); err != nil {
			return nil, err
		}
	}

	fmt.Fprintf(os.Stderr, "%s: baseline, %d clients committing one-row transactions for %s\n", dialect, baselineClients, p.baselineFor)
	bl, err := baseline(dialect, p)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s baseline: %v\n", dialect, err)
	}
	tr.Baseline = bl
	return tr, nil
}

// saturated is the closed-loop row's delivered rate (the highest paced
// one when there is none).
func (f figures) saturated() float64 {
	var best float64
	for _, r := range f.Rows {
		if r.Offered == 0 {
			return r.Delivered
		}
		best = max(best, r.Delivered)
	}
	return best
}

// ratio is switchboard's delivered msgs/s over the baseline's commits/s.
func (f figures) ratio() float64 {
	if f.Baseline == 0 {
		return 0
	}
	return f.saturated() / f.Baseline
}

var dialectName = map[string]string{storage.Postgres: "PostgreSQL", storage.SQLite: "SQLite"}

// printTable prints tr beside the figures recorded before (before.go), as
// a Markdown table the README can take as it is.
func printTable(dialect string, tr *tableRun, p params) {
	was, haveBefore := before[dialect]
	b := func(f func(figures) string) string {
		if !haveBefore {
			return "–"
		}
		return f(was)
	}
	fmt.Printf("== %s: %d open conversations, agents answer %.0f%% of messages, %d senders, %s per row; before = commit %s\n\n",
		dialectName[dialect], tr.conversations, 100*p.agentsReply, p.workers, p.duration, beforeCommit)
	fmt.Printf("| offered | acknowledged p99, before %s | now | webhook → Slack p99, before | now | delivered msgs/s, before | now |\n", beforeCommit)
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range tr.Rows {
		old, ok := beforeRow(was, r.Offered)
		cell := func(s func(row) string) string {
			if !haveBefore || !ok {
				return "–"
			}
			return s(old)
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", offeredLabel(r.Offered, p.workers),
			cell(func(o row) string { return fmtDur(o.AckP99) }), fmtDur(r.AckP99),
			cell(func(o row) string { return fmtDur(o.InP99) }), fmtDur(r.InP99),
			cell(func(o row) string { return fmtRate(o.Delivered, o.Offered) }), fmtRate(r.Delivered, r.Offered))
	}
	if tr.ManyConv > 0 {
		r := tr.ManyRow
		fmt.Printf("| %d msgs/s, %d open conversations | %s | %s | %s | %s | %s | %s |\n", rssRate, tr.ManyConv,
			b(func(f figures) string { return fmtDur(f.ManyRow.AckP99) }), fmtDur(r.AckP99),
			b(func(f figures) string { return fmtDur(f.ManyRow.InP99) }), fmtDur(r.InP99),
			b(func(f figures) string { return fmtRate(f.ManyRow.Delivered, rssRate) }), fmtRate(r.Delivered, rssRate))
	}
	fmt.Println()
	fmt.Printf("  agent reply → Graph p99 at %.0f msgs/s   before %s | now %s (%d replies)\n", tr.reference,
		b(func(f figures) string { return fmtDur(f.ReplyP99) }), fmtDur(tr.ReplyP99), tr.replies)
	fmt.Printf("  database work per message at %.0f msgs/s (agents' replies included)   before %s | now %.1f statements, %.1f commits\n",
		tr.reference, b(func(f figures) string {
			return fmt.Sprintf("%.1f statements, %.1f commits", f.StatementsPerMsg, f.CommitsPerMsg)
		}), tr.StatementsPerMsg, tr.CommitsPerMsg)
	fmt.Printf("  peak RSS of the whole process (switchboard, fakes, load generator) during the table   before %s | now %.0f MB\n",
		b(func(f figures) string { return fmt.Sprintf("%.0f MB", f.PeakRSSMB) }), tr.PeakRSSMB)
	if tr.ManyConv > 0 {
		fmt.Printf("  peak RSS of the whole process with %d open conversations   before %s | now %.0f MB (target < 150 MB)\n",
			tr.ManyConv, b(func(f figures) string { return fmt.Sprintf("%.0f MB", f.ManyRSSMB) }), tr.ManyRSSMB)
	}
	fmt.Printf("  baseline %.0f commits/s (%d clients, one-row transactions); delivered ÷ baseline = %.3f   (before: baseline %s, ratio %s)\n",
		tr.Baseline, baselineClients, tr.ratio(),
		b(func(f figures) string { return fmt.Sprintf("%.0f commits/s", f.Baseline) }),
		b(func(f figures) string { return fmt.Sprintf("%.3f", f.ratio()) }))
	fmt.Printf("  audit    not posted by the drain deadline %d, posted twice %d, out of order %d\n\n", tr.lost, tr.dups, tr.disorder)
}

// beforeRow finds the recorded row at the same offered rate.
func beforeRow(f figures, offered float64) (row, bool) {
	for _, r := range f.Rows {
		if r.Offered == offered {
			return r, true
		}
	}
	return row{}, false
}

func offeredLabel(rate float64, workers int) string {
	if rate == 0 {
		return fmt.Sprintf("saturated (closed loop, %d senders)", workers)
	}
	return fmt.Sprintf("%s msgs/s", thousands(rate))
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

// fmtRate is a delivered rate, marked when it falls short of the offered
// one by more than 2% (the pipeline is saturated).
func fmtRate(delivered, offered float64) string {
	s := thousands(delivered) + "/s"
	if offered > 0 && delivered < 0.98*offered {
		s += " (saturated)"
	}
	return s
}

func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}

// printBeforeSource prints figs as the Go source of before.go's map
// entries (-record-before), to paste when re-recording.
func printBeforeSource(figs map[string]*tableRun) {
	var b strings.Builder
	for _, d := range []string{storage.Postgres, storage.SQLite} {
		f, ok := figs[d]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "\tstorage.%s: {\n\t\tRows: []row{\n", map[string]string{storage.Postgres: "Postgres", storage.SQLite: "SQLite"}[d])
		for _, r := range f.Rows {
			fmt.Fprintf(&b, "\t\t\t{Offered: %.0f, AckP99: %s, InP99: %s, Delivered: %.0f},\n", r.Offered, goDur(r.AckP99), goDur(r.InP99), r.Delivered)
		}
		fmt.Fprintf(&b, "\t\t},\n\t\tReplyP99: %s, StatementsPerMsg: %.1f, CommitsPerMsg: %.1f,\n", goDur(f.ReplyP99), f.StatementsPerMsg, f.CommitsPerMsg)
		fmt.Fprintf(&b, "\t\tPeakRSSMB: %.0f, ManyRSSMB: %.0f, ManyConv: %d,\n", f.PeakRSSMB, f.ManyRSSMB, f.ManyConv)
		fmt.Fprintf(&b, "\t\tManyRow: row{Offered: %.0f, AckP99: %s, InP99: %s, Delivered: %.0f},\n",
			f.ManyRow.Offered, goDur(f.ManyRow.AckP99), goDur(f.ManyRow.InP99), f.ManyRow.Delivered)
		fmt.Fprintf(&b, "\t\tBaseline: %.0f,\n\t},\n", f.Baseline)
	}
	fmt.Print("// -record-before: before.go's entries\n", b.String())
}

func goDur(d time.Duration) string {
	return fmt.Sprintf("%d * time.Microsecond", d.Microseconds())
}
