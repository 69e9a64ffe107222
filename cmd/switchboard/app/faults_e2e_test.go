package app_test

// Fault scenarios of issue 5, short versions: a platform or the database
// misbehaves under a burst of traffic, and afterwards an audit counts, per
// conversation, what was received against what was delivered and compares
// the order. Outages are switched on and off by the test (a fault-injecting
// http.RoundTripper, a throwaway PostgreSQL cluster it stops and starts),
// never by waiting on a clock.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/storage"
)

// faultDrain bounds how long a backlog may take to drain after an outage.
const faultDrain = 60 * time.Second

// faultJobTimeout keeps leases short in the fault tests: under CI's load a
// job's lease release can time out, and its lane then waits one lease
// (the default is a minute, as long as faultDrain) before another job
// takes it over.
const faultJobTimeout = 15 * time.Second

// TestSlackOutageDuringBurstLosesNothing: Slack answers 500 and 429 while a
// burst of customers writes; the deliveries wait in the queue and, once
// Slack is back, every message is posted once, in order, in its thread.
func TestSlackOutageDuringBurstLosesNothing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		rt := newFaultRT()
		e := setup(t, dialect, withTransport(rt), withJobTimeout(faultJobTimeout))
		slackHost := hostOf(t, e.slack.URL())
		const customers, perCustomer = 20, 5

		rt.fail(slackHost, slackOutage)
		sent := faultBurst(t, e, customers, perCustomer)

		// The outage lasts until every conversation's lane has been refused
		// three times (about three seconds with Retry-After 1 s and the
		// 1 s, 2 s backoff) and the backlog is visibly held in the queue.
		waitFaults(t, rt, slackHost, 3*customers)
		depth, err := e.app.DB.QueueDepth(context.Background())
		require.NoError(t, err)
		require.Positive(t, depth, "the queue holds the backlog during the outage")
		require.Empty(t, e.slack.Posts(), "nothing got through the outage")
		rt.heal(slackHost)

		waitDrained(t, e)
		faultAuditSlack(t, e.slack.Posts(), sent)
	})
}

// TestGraphRateLimitDelaysRepliesButLosesNone: Meta answers 130429 (rate
// limit hit) for a while; agents' replies back off and, afterwards, each
// reaches its customer once, in the order the agent wrote them.
func TestGraphRateLimitDelaysRepliesButLosesNone(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		rt := newFaultRT()
		e := setup(t, dialect, withTransport(rt), withJobTimeout(faultJobTimeout))
		graphHost := hostOf(t, e.wa.URL)
		const customers, replies = 10, 4

		sent := faultBurst(t, e, customers, 1)
		posts := e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			return len(faultCustomerPosts(p)) >= customers
		}, faultDrain)
		threads := map[string]string{} // customer → thread ts
		for _, p := range faultCustomerPosts(posts) {
			threads[p.customer] = p.threadTS
		}
		require.Len(t, threads, customers)

		rt.fail(graphHost, graphRateLimit)
		want := map[string][]string{} // wa_id → replies in the order written
		var wg sync.WaitGroup
		var mu sync.Mutex
		client := faultHTTPClient()
		for c := range customers {
			cust := faultCustomer(c)
			wg.Go(func() {
				for r := range replies {
					text := fmt.Sprintf("%s-r%02d", cust, r)
					ts := fmt.Sprintf("17%08d.%06d", c, r+1)
					body := slacktest.ThreadReply(fmt.Sprintf("Ev%s%02d", cust, r), channel, threads[cust], ts, "UAGENT1", text)
					if status := postSlackEvent(client, e.baseURL, body); status != http.StatusOK {
						t.Errorf("event %s answered %d", text, status)
						return
					}
					mu.Lock()
					want[sent[cust].waID] = append(want[sent[cust].waID], text)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		// Every conversation's first send is refused twice: with no
		// Retry-After the lanes back off for a jittered second at most
		// each time (a rate limit spends no attempt).
		waitFaults(t, rt, graphHost, 2*customers)
		require.Empty(t, faultTexts(e.wa.Sends()), "nothing got through the rate limit")
		rt.heal(graphHost)

		waitDrained(t, e)
		got := map[string][]string{}
		for _, s := range faultTexts(e.wa.Sends()) {
			got[s.To] = append(got[s.To], s.Text)
		}
		for to, texts := range want {
			require.Equal(t, texts, got[to], "replies to %s: each once, in order", to)
		}
		require.Len(t, got, len(want), "no send to anyone else")
	})
}

// TestPostgresOutageAnswers503AndLosesNothingAcknowledged stops the
// database under load: webhooks meanwhile are answered 503 (Meta retries
// them), /readyz turns false and back, and every acknowledged message is
// posted exactly once, in order. It runs its own throwaway cluster, never
// the machine's shared server.
func TestPostgresOutageAnswers503AndLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	pg := startThrowawayPostgres(t)
	// setup's dialect only decides where it would have made a database;
	// the option points switchboard at the throwaway cluster instead. A
	// lane lease left behind by a release that failed during the outage
	// blocks its conversation for one lease (the job timeout): keep it
	// short here so the test measures recovery, not the lease.
	e := setup(t, storage.SQLite, withDatabaseURL(pg.url), withJobTimeout(5*time.Second))
	t.Logf("database %s, fake Slack %s", pg.url, e.slack.URL())
	customers := int64(8)
	outage := 3 * time.Second
	if soak() {
		// The bench mode (make bench-faults): the 20-second outage.
		customers, outage = 32, 20*time.Second
	}

	load := startFaultLoad(t, e, int(customers))
	load.waitAcked(t, 2*customers)

	pg.stop(t)
	down := time.Now()
	require.Eventually(t, func() bool { return readyStatus(e.baseURL) == http.StatusServiceUnavailable },
		waitLong, 20*time.Millisecond, "/readyz turns false while the database is down")
	require.Eventually(t, func() bool { return load.refused.Load() >= 2*customers },
		waitLong, 20*time.Millisecond, "webhooks are refused while the database is down")
	// The outage itself: the database stays down for its whole length.
	<-time.After(time.Until(down.Add(outage)))
	ackedDuringOutage := load.acked.Load()
	refusedDuringOutage := load.refused.Load()
	pg.start(t)

	require.Eventually(t, func() bool { return readyStatus(e.baseURL) == http.StatusOK },
		waitLong, 20*time.Millisecond, "/readyz turns true again")
	load.waitAcked(t, ackedDuringOutage+2*customers)
	sent := load.stop()

	require.Empty(t, load.otherStatuses(), "every refusal is a 503, so Meta retries")
	require.LessOrEqual(t, ackedDuringOutage, load.acked.Load())
	waitDrained(t, e)
	dups := faultAuditSlackAtLeastOnce(t, e.slack.Posts(), sent)
	t.Logf("database down %s: %d webhooks answered 503; %d acknowledged in all, all posted in order; %d posted twice (%d lookups of earlier posts)",
		outage, refusedDuringOutage, load.acked.Load(), dups, e.slack.Calls("conversations.replies")+e.slack.Calls("conversations.history"))
	// A post Slack accepted just before the database went away is found
	// by its delivery key and adopted, not made again (bridge/idempotency.go).
	require.Zero(t, dups, "nothing posted twice")
}

// withJobTimeout bounds delivery jobs, and with them lane leases.
func withJobTimeout(d time.Duration) option {
	return func(e *env, _ *strings.Builder) { e.tune.JobTimeout, e.tune.RescueAfter = d, 2*d }
}

// withDatabaseURL runs switchboard on url instead of a fresh test database.
func withDatabaseURL(url string) option {
	return func(e *env, _ *strings.Builder) { e.dbURL = url }
}

// ---- fault-injecting transport ----

// faultRT passes requests to http.DefaultTransport except for hosts
// currently failing, which it answers itself: the fakes behind them never
// see a refused call, so what they record is exactly what got through.
type faultRT struct {
	next    http.RoundTripper
	mu      sync.Mutex
	failing map[string]faultAnswer
	faults  map[string]int
}

// faultAnswer writes the n-th refusal (counting from 0) for a host.
type faultAnswer func(n int) *http.Response

func newFaultRT() *faultRT {
	return &faultRT{next: http.DefaultTransport, failing: map[string]faultAnswer{}, faults: map[string]int{}}
}

func (f *faultRT) fail(host string, answer faultAnswer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing[host] = answer
}

func (f *faultRT) heal(host string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.failing, host)
}

func (f *faultRT) count(host string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.faults[host]
}

func (f *faultRT) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	answer, failing := f.failing[r.URL.Host]
	n := f.faults[r.URL.Host]
	if failing {
		f.faults[r.URL.Host]++
	}
	f.mu.Unlock()
	if !failing {
		return f.next.RoundTrip(r)
	}
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	resp := answer(n)
	resp.Request = r
	return resp, nil
}

func cannedResponse(status int, contentType, body string, header ...string) *http.Response {
	h := http.Header{"Content-Type": {contentType}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

// slackOutage alternates Slack's two outage answers: an HTML 500 and a
// 429 with Retry-After.
func slackOutage(n int) *http.Response {
	if n%2 == 0 {
		return cannedResponse(http.StatusInternalServerError, "text/html", "<html><body>Slack is having trouble</body></html>")
	}
	return cannedResponse(http.StatusTooManyRequests, "application/json; charset=utf-8",
		`{"ok":false,"error":"ratelimited"}`, "Retry-After", "1")
}

// graphRateLimit is Graph's answer when the number's throughput is
// exceeded: error code 130429, no Retry-After.
func graphRateLimit(int) *http.Response {
	return cannedResponse(http.StatusBadRequest, "application/json",
		`{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,`+
			`"error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},`+
			`"fbtrace_id":"AbCdEfFakeTrace"}}`)
}

func hostOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u.Host
}

func waitFaults(t *testing.T, rt *faultRT, host string, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return rt.count(host) >= n }, faultDrain, 10*time.Millisecond,
		"%s refused %d calls", host, n)
}

// waitDrained waits until no delivery is left queued; when the backlog
// does not drain it says what is stuck (each lane's head, its lease and its
// jobs), since a stall is otherwise invisible in CI's output.
func waitDrained(t *testing.T, e *env) {
	t.Helper()
	drained := assertEventually(func() bool {
		n, err := e.app.DB.QueueDepth(context.Background())
		return err == nil && n == 0
	}, faultDrain, 20*time.Millisecond)
	if !drained {
		t.Logf("still queued:\n%s", stuckDeliveries(e))
		t.Fatalf("the backlog did not drain within %s", faultDrain)
	}
}

// assertEventually is require.Eventually without failing the test.
func assertEventually(cond func() bool, timeout, tick time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		<-time.After(tick)
	}
}

// stuckDeliveries describes the queued deliveries with their lane's lease
// and the queue's jobs for them.
func stuckDeliveries(e *env) string {
	var rows []struct {
		ID        int64  `db:"id"`
		Lane      string `db:"lane"`
		Kind      string `db:"kind"`
		Attempts  int    `db:"attempts"`
		NotBefore int64  `db:"not_before_ms"`
		LastError string `db:"last_error"`
		Holder    string `db:"holder"`
		LeaseMs   int64  `db:"lease_until_ms"`
	}
	ctx := context.Background()
	err := e.app.DB.SelectContext(ctx, &rows, `SELECT d.id, d.lane, d.kind, d.attempts, d.not_before_ms, d.last_error,
COALESCE(l.holder, '') AS holder, COALESCE(l.lease_until_ms, 0) AS lease_until_ms
FROM deliveries d LEFT JOIN lanes l ON l.lane = d.lane WHERE d.state = 'queued' ORDER BY d.lane, d.sort_key, d.id LIMIT 40`)
	if err != nil {
		return "cannot read deliveries: " + err.Error()
	}
	now := time.Now().UnixMilli()
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "delivery %d %s lane=%s attempts=%d due_in=%dms holder=%q lease_left=%dms err=%q\n",
			r.ID, r.Kind, r.Lane, r.Attempts, r.NotBefore-now, r.Holder, r.LeaseMs-now, r.LastError)
	}
	var jobs []struct {
		State string `db:"state"`
		Args  string `db:"args"`
		N     int    `db:"attempt"`
	}
	if err := e.app.DB.SelectContext(ctx, &jobs, `SELECT state, CAST(args AS TEXT) AS args, attempt FROM river_job
WHERE kind = 'switchboard_deliver' AND state NOT IN ('completed') ORDER BY id LIMIT 40`); err != nil {
		fmt.Fprintf(&b, "cannot read jobs: %v\n", err)
	}
	for _, j := range jobs {
		fmt.Fprintf(&b, "job %s attempt=%d %s\n", j.State, j.N, j.Args)
	}
	return b.String()
}

// ---- customers and agents ----

// faultSent is what one simulated customer sent and had acknowledged.
type faultSent struct {
	waID     string
	messages []string // tokens like c007-m03, in the order written
}

func faultCustomer(i int) string { return fmt.Sprintf("c%03d", i) }

func faultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// postWebhook posts a signed webhook and returns the status (0 when the
// request itself failed).
func postWebhook(client *http.Client, baseURL string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, baseURL+"/webhooks/whatsapp", bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", whatsapptest.Sign(appSecret, body))
	return doStatus(client, req)
}

func postSlackEvent(client *http.Client, baseURL string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, baseURL+"/slack/events", bytes.NewReader(body))
	if err != nil {
		return 0
	}
	sig, ts := slacktest.Sign(signingSecret, time.Now(), body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	return doStatus(client, req)
}

func doStatus(client *http.Client, req *http.Request) int {
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func readyStatus(baseURL string) int {
	resp, err := http.Get(baseURL + "/readyz")
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func faultWebhook(waID, cust string, m int) []byte {
	token := fmt.Sprintf("%s-m%02d", cust, m)
	return whatsapptest.TextMessage(phoneID, waID, "Customer "+cust, "wamid."+token, time.Now(), token+" hello")
}

// faultBurst makes each customer send perCustomer messages as fast as they
// are acknowledged, all customers at once, and returns what was sent.
func faultBurst(t *testing.T, e *env, customers, perCustomer int) map[string]*faultSent {
	t.Helper()
	client := faultHTTPClient()
	sent := map[string]*faultSent{}
	for c := range customers {
		sent[faultCustomer(c)] = &faultSent{waID: fmt.Sprintf("3461%07d", c)}
	}
	var wg sync.WaitGroup
	for c := range customers {
		cust := faultCustomer(c)
		s := sent[cust]
		wg.Go(func() {
			for m := range perCustomer {
				if status := postWebhook(client, e.baseURL, faultWebhook(s.waID, cust, m)); status != http.StatusOK {
					t.Errorf("webhook %s-m%02d answered %d", cust, m, status)
					return
				}
				s.messages = append(s.messages, fmt.Sprintf("%s-m%02d", cust, m))
			}
		})
	}
	wg.Wait()
	return sent
}

// faultLoad is customers writing continuously, each retrying a refused
// webhook (as Meta does) before writing the next message.
type faultLoad struct {
	acked, refused atomic.Int64
	done           chan struct{}
	wg             sync.WaitGroup
	mu             sync.Mutex
	sent           map[string]*faultSent
	other          map[int]int
}

func startFaultLoad(t *testing.T, e *env, customers int) *faultLoad {
	t.Helper()
	l := &faultLoad{done: make(chan struct{}), sent: map[string]*faultSent{}, other: map[int]int{}}
	client := faultHTTPClient()
	for c := range customers {
		cust := faultCustomer(c)
		s := &faultSent{waID: fmt.Sprintf("3462%07d", c)}
		l.sent[cust] = s
		l.wg.Go(func() {
			retry := time.NewTicker(50 * time.Millisecond) // Meta's retries, much compressed
			defer retry.Stop()
			for m := 0; ; m++ {
				select {
				case <-l.done:
					return
				default:
				}
				body := faultWebhook(s.waID, cust, m)
				for {
					status := postWebhook(client, e.baseURL, body)
					if status == http.StatusOK {
						break
					}
					l.refused.Add(1)
					if status != http.StatusServiceUnavailable {
						l.mu.Lock()
						l.other[status]++
						l.mu.Unlock()
					}
					<-retry.C
				}
				l.mu.Lock()
				s.messages = append(s.messages, fmt.Sprintf("%s-m%02d", cust, m))
				l.mu.Unlock()
				l.acked.Add(1)
			}
		})
	}
	t.Cleanup(func() { l.stop() })
	return l
}

func (l *faultLoad) waitAcked(t *testing.T, n int64) {
	t.Helper()
	require.Eventually(t, func() bool { return l.acked.Load() >= n }, waitLong, 10*time.Millisecond,
		"%d webhooks acknowledged", n)
}

// stop ends the load once each customer's message in flight is
// acknowledged, and returns what was acknowledged.
func (l *faultLoad) stop() map[string]*faultSent {
	select {
	case <-l.done:
	default:
		close(l.done)
	}
	l.wg.Wait()
	return l.sent
}

func (l *faultLoad) otherStatuses() map[int]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[int]int{}
	for k, v := range l.other {
		out[k] = v
	}
	return out
}

// ---- audits ----

var faultToken = regexp.MustCompile(`\b(c\d{3})-m(\d{2})\b`)

type faultPost struct {
	customer, token, threadTS string
}

// faultCustomerPosts returns the customer messages posted in threads, in
// posting order.
func faultCustomerPosts(posts []slacktest.Message) []faultPost {
	var out []faultPost
	for _, p := range posts {
		if p.ThreadTS == "" {
			continue
		}
		if m := faultToken.FindStringSubmatch(p.Text); m != nil {
			out = append(out, faultPost{customer: m[1], token: m[0], threadTS: p.ThreadTS})
		}
	}
	return out
}

// faultAuditSlack compares, per conversation, the messages acknowledged
// with those posted: the same ones, each once, in the same order, all in
// one thread under one card.
func faultAuditSlack(t *testing.T, posts []slacktest.Message, sent map[string]*faultSent) {
	t.Helper()
	got := map[string][]string{}
	threads := map[string]map[string]bool{}
	for _, p := range faultCustomerPosts(posts) {
		got[p.customer] = append(got[p.customer], p.token)
		if threads[p.customer] == nil {
			threads[p.customer] = map[string]bool{}
		}
		threads[p.customer][p.threadTS] = true
	}
	custs := make([]string, 0, len(sent))
	total := 0
	for c, s := range sent {
		custs = append(custs, c)
		total += len(s.messages)
	}
	sort.Strings(custs)
	for _, c := range custs {
		want := sent[c].messages
		require.Equal(t, want, got[c], "conversation of %s: received %d, posted %d", c, len(want), len(got[c]))
		require.Len(t, threads[c], 1, "%s's messages are in one thread", c)
	}
	require.Len(t, got, len(sent), "nothing posted for anyone else")
	requireOneCardEach(t, posts, len(sent))
	t.Logf("audit: %d conversations, %d messages received and posted once each, in order", len(sent), total)
}

// faultAuditSlackAtLeastOnce is faultAuditSlack for a database outage: a
// post Slack accepted just before the database went away cannot be
// recorded as sent, and before delivery keys (bridge/idempotency.go) it
// was made again after recovery; it counts such repeats so the outage
// test can require none. Such a repeat must be the lane's head made twice: a message directly following
// itself, or a second card for the same conversation whose first card's
// thread stayed empty. Nothing may be missing or out of order. It returns
// the number of repeats.
func faultAuditSlackAtLeastOnce(t *testing.T, posts []slacktest.Message, sent map[string]*faultSent) int {
	t.Helper()
	got := map[string][]string{}
	threads := map[string]map[string]bool{}
	dups := 0
	for _, p := range faultCustomerPosts(posts) {
		if threads[p.customer] == nil {
			threads[p.customer] = map[string]bool{}
		}
		threads[p.customer][p.threadTS] = true
		if g := got[p.customer]; len(g) > 0 && g[len(g)-1] == p.token {
			dups++
			t.Logf("posted twice in a row: %s", p.token)
			continue
		}
		got[p.customer] = append(got[p.customer], p.token)
	}
	for c, s := range sent {
		require.Equal(t, s.messages, got[c], "conversation of %s: every acknowledged message, in order", c)
		require.Len(t, threads[c], 1, "%s's messages are in one thread", c)
	}
	require.Len(t, got, len(sent), "nothing posted for anyone else")
	byTitle := map[string][]slacktest.Message{}
	for _, c := range cards(posts) {
		byTitle[c.Text] = append(byTitle[c.Text], c)
	}
	require.Len(t, byTitle, len(sent), "one conversation per customer")
	for title, cs := range byTitle {
		for _, orphan := range cs[:len(cs)-1] {
			require.Empty(t, inThread(posts, orphan.TS), "a repeated card (%s) is the lane head made twice: its thread stays empty", title)
			dups++
			t.Logf("card posted twice: %s", title)
		}
	}
	return dups
}

func requireOneCardEach(t *testing.T, posts []slacktest.Message, n int) {
	t.Helper()
	cs := cards(posts)
	if len(cs) != n {
		var titles []string
		for _, c := range cs {
			titles = append(titles, c.TS+" "+c.Text)
		}
		t.Fatalf("want one card per conversation (%d), have %d:\n%s", n, len(cs), strings.Join(titles, "\n"))
	}
}

func faultTexts(sends []whatsapptest.Send) []whatsapptest.Send {
	var out []whatsapptest.Send
	for _, s := range sends {
		if s.Type == "text" {
			out = append(out, s)
		}
	}
	return out
}

// ---- throwaway PostgreSQL ----

// throwawayPostgres is a PostgreSQL cluster of our own in a temporary
// folder, on a free port, that a test may stop and start.
type throwawayPostgres struct {
	bin, dir, port, url string
	as                  []string // runuser prefix when we are root
}

func startThrowawayPostgres(t *testing.T) *throwawayPostgres {
	t.Helper()
	bin := postgresBinDir()
	if bin == "" {
		msg := "PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BINDIR"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	pg := &throwawayPostgres{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: the cluster belongs to the
		// postgres user, who must be able to reach the folder.
		u, err := user.Lookup("postgres")
		require.NoError(t, err, "running as root needs a postgres user")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
		require.NoError(t, os.Chown(dir, uid, gid))
		pg.as = []string{"runuser", "-u", "postgres", "--"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	pg.port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())
	pg.run(t, "initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "--no-sync")
	pg.start(t)
	t.Cleanup(func() {
		_ = pg.command("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop").Run()
	})
	pg.url = "postgres://postgres@127.0.0.1:" + pg.port + "/postgres?sslmode=disable"
	return pg
}

func postgresBinDir() string {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return ""
	}
	sort.Strings(matches)
	return filepath.Dir(matches[len(matches)-1])
}

// command runs tool of the cluster's binaries, as the postgres user when
// we are root.
func (pg *throwawayPostgres) command(tool string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, tool)
	if len(pg.as) > 0 {
		return exec.Command(pg.as[0], append(append(append([]string(nil), pg.as[1:]...), path), args...)...)
	}
	return exec.Command(path, args...)
}

func (pg *throwawayPostgres) run(t *testing.T, tool string, args ...string) {
	t.Helper()
	out, err := pg.command(tool, args...).CombinedOutput()
	require.NoError(t, err, "%s %s: %s", tool, strings.Join(args, " "), out)
}

func (pg *throwawayPostgres) start(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-l", filepath.Join(pg.dir, "log"), "-w",
		"-o", "-p "+pg.port+" -k "+pg.dir+" -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start")
}

// stop shuts the server down at once, cutting every connection (-m fast).
func (pg *throwawayPostgres) stop(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "fast", "-w", "stop")
}
