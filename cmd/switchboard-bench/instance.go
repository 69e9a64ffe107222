package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// instance is switchboard running in this process on a fresh database:
// one or more replicas (app.Build, Start, Serve, each on its own
// listener) sharing the database, the fakes and the observer, and the
// simulated customers and agents that talk to them.
type instance struct {
	dialect string
	apps    []*app.App
	urls    []string
	obs     *observer
	cs      *customers
	tb      *fakeTB
	dbase   database
	// next is the next customer to write (round robin over them).
	next int
}

// startInstance builds and starts replicas switchboards on a fresh
// database of dialect. Several replicas need PostgreSQL: SQLite is one
// process's file.
func startInstance(dialect string, p params, conversations, replicas int) (in *instance, err error) {
	if replicas > 1 && dialect != storage.Postgres {
		return nil, fmt.Errorf("-replicas %d needs PostgreSQL: replicas share one database, and a SQLite file belongs to one process", replicas)
	}
	ctx := context.Background()
	in = &instance{dialect: dialect, tb: &fakeTB{}}
	defer func() {
		if err != nil {
			in.close()
		}
	}()
	wa := whatsapptest.New(in.tb)
	sl := slacktest.New(in.tb)
	// The team's agents are its channel's members: the bench's agent is one.
	sl.SetChannelMembers(channelID, agentUser)
	if p.limitChannel > 0 {
		sl.LimitChannel(channelID, p.limitChannel)
	}
	if in.dbase, err = freshDatabase(dialect, p.pgURL, "sbbench_"); err != nil {
		return in, err
	}

	in.obs = &observer{slackHost: hostOf(sl.URL()), graphHost: hostOf(wa.URL),
		inbound: newDelivered(), outbound: newDelivered(), e2eIn: &samples{}, e2eOut: &samples{}}
	switch p.fault {
	case faultSlackOutage:
		in.obs.fault = &fault{kind: p.fault, host: in.obs.slackHost}
	case faultGraph429:
		in.obs.fault = &fault{kind: p.fault, host: in.obs.graphHost}
	case faultNone:
	default:
		return in, fmt.Errorf("-fault %q: use slack-outage or graph-429", p.fault)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	in.obs.next = tr
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
%s`, in.dbase.url, wa.URL, wa.Token, appSecret, phoneID, sl.URL(), slacktest.Token, signingSecret, channelID, p.extraYAML)),
		"bench.yaml", func(string) string { return "" })
	if err != nil {
		return in, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: p.logLevel}))
	// One after the other: the first migrates the fresh database, the
	// others find it migrated.
	for range max(replicas, 1) {
		a, err := app.Build(ctx, cfg, app.Tuning{HTTPClient: &http.Client{Transport: in.obs, Timeout: 30 * time.Second},
			PollInterval: p.poll, Log: log})
		if err != nil {
			return in, err
		}
		in.apps = append(in.apps, a)
		if err := a.Start(ctx); err != nil {
			return in, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return in, err
		}
		go func() { _ = a.Serve(ln) }()
		in.urls = append(in.urls, "http://"+ln.Addr().String())
	}
	in.cs = newCustomers(conversations, in.urls, in.obs, p.agentsReply, p.workers)
	return in, nil
}

// warmUp makes every customer write once, opening their conversation, so
// measured phases run with the conversations already open.
func (in *instance) warmUp(p params) error {
	n := len(in.cs.locks)
	rate := min(max(p.rate, 500), 2000)
	in.cs.paced(rate, time.Duration(float64(n)/rate*float64(time.Second)), p.workers, &in.next)
	timeout := max(p.drainTimeout, time.Duration(n)*10*time.Millisecond)
	if err := waitDelivered(in.cs, in.obs, timeout); err != nil {
		return err
	}
	// The new conversations' cards and threads too: the first phase
	// starts on an idle pipeline.
	_, err := in.waitIdle(timeout)
	return err
}

// waitIdle waits until no delivery is queued (status-card updates and
// everything else the messages set off are done), polling the queue depth
// through the first replica's pool; it returns how many statements it
// sent, which are not the pipeline's work.
func (in *instance) waitIdle(timeout time.Duration) (int64, error) {
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	var checks int64
	for {
		n, err := in.apps[0].DB.QueueDepth(ctx)
		checks++
		if err != nil {
			return checks, err
		}
		if n == 0 {
			return checks, nil
		}
		if time.Now().After(deadline) {
			return checks, fmt.Errorf("%d deliveries still queued after %s", n, timeout)
		}
		time.Sleep(20 * time.Millisecond) // polling the queue, with a deadline
	}
}

// statements is what every replica sent its database so far.
func (in *instance) statements() storage.Statements {
	var s storage.Statements
	for _, a := range in.apps {
		w := a.DB.Statements()
		s.Statements += w.Statements
		s.Transactions += w.Transactions
		s.Commits += w.Commits
		s.Autocommits += w.Autocommits
	}
	return s
}

// close stops the load generator, every replica and the fakes, and drops
// the database.
func (in *instance) close() {
	if in.cs != nil {
		in.cs.close()
		in.cs = nil
	}
	var errs []error
	for i := len(in.apps) - 1; i >= 0; i-- {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, in.apps[i].Shutdown(ctx))
		cancel()
	}
	in.apps = nil
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintf(os.Stderr, "%s: shutdown: %v\n", in.dialect, err)
	}
	in.tb.close()
	if in.dbase.drop != nil {
		in.dbase.drop()
		in.dbase.drop = nil
	}
}

// phase is what one measured phase saw: offered load (0: closed loop),
// acknowledgements, deliveries, latencies and the database's work.
type phase struct {
	offered        float64
	sent           int
	acked, failed  int64
	ackRate        float64
	delivered      int64
	deliverRate    float64
	late, drain    time.Duration
	ackP50, ackP99 time.Duration
	inP50, inP99   time.Duration
	outP50, outP99 time.Duration
	outCount       int
	work           storage.Statements
}

// measure runs one phase: rate msgs/s for d (rate 0: p.workers senders in
// a closed loop, each sending when its previous webhook is acknowledged),
// agents answering, then waits until every acknowledged message is posted,
// every reply sent and no delivery is queued. Latency samples start
// afresh; the database work counted runs to the end of the drain, so it
// is the phase's messages' whole cost.
func (in *instance) measure(rate float64, d time.Duration, p params) phase {
	cs, obs := in.cs, in.obs
	cs.ackLat.reset()
	obs.e2eIn.reset()
	obs.e2eOut.reset()
	cs.measure.Store(true)
	cs.replying.Store(true)
	defer cs.measure.Store(false)
	obs.measureFrom.Store(time.Now().UnixNano())
	ph := phase{offered: rate}
	ackedBefore, failedBefore, inBefore := cs.ackOK.Load(), cs.ackFail.Load(), obs.inbound.n.Load()
	workBefore := in.statements()
	start := time.Now()
	if rate > 0 {
		ph.sent, ph.late = cs.paced(rate, d, p.workers, &in.next)
	} else {
		ph.sent = cs.saturate(d, p.workers, &in.next)
	}
	loadEnd := time.Now()
	ph.acked = cs.ackOK.Load() - ackedBefore
	ph.failed = cs.ackFail.Load() - failedBefore
	ph.ackRate = float64(ph.acked) / loadEnd.Sub(start).Seconds()
	if err := waitDelivered(cs, obs, p.drainTimeout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", in.dialect, err)
	}
	cs.replying.Store(false)
	obs.inbound.mu.Lock()
	last := obs.inbound.last
	obs.inbound.mu.Unlock()
	ph.drain = max(last.Sub(loadEnd), 0)
	ph.delivered = obs.inbound.n.Load() - inBefore
	ph.deliverRate = float64(ph.delivered) / max(last.Sub(start), loadEnd.Sub(start)).Seconds()
	waitReplies(cs, obs, p.drainTimeout)
	checks, err := in.waitIdle(p.drainTimeout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", in.dialect, err)
	}
	ph.work = in.statements().Sub(workBefore)
	ph.work.Statements -= checks
	ph.ackP50, ph.ackP99 = cs.ackLat.quantile(0.5), cs.ackLat.quantile(0.99)
	ph.inP50, ph.inP99 = obs.e2eIn.quantile(0.5), obs.e2eIn.quantile(0.99)
	ph.outP50, ph.outP99, ph.outCount = obs.e2eOut.quantile(0.5), obs.e2eOut.quantile(0.99), obs.e2eOut.count()
	return ph
}

// perMessage is the database work one acknowledged customer message cost
// in ph (its agents' replies included).
func (ph phase) perMessage() (statements, commits float64) {
	if ph.acked == 0 {
		return 0, 0
	}
	n := float64(ph.acked)
	return float64(ph.work.Statements) / n, float64(ph.work.CommitsTotal()) / n
}
