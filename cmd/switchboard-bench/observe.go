package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Tokens carried in message texts: q<customer>x<seq> for a customer's
// message, a<customer>x<seq> for an agent's reply. The observer finds
// them in the calls switchboard makes to the fakes.
var (
	customerToken = regexp.MustCompile(`\bq(\d+)x(\d+)\b`)
	agentToken    = regexp.MustCompile(`\ba(\d+)x(\d+)\b`)
)

func customerText(c, seq int) string { return "q" + strconv.Itoa(c) + "x" + strconv.Itoa(seq) }
func agentText(c, seq int) string    { return "a" + strconv.Itoa(c) + "x" + strconv.Itoa(seq) }

// samples is a set of latencies.
type samples struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *samples) add(d time.Duration) {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
}

// quantile returns the q-quantile (0..1) and the count.
func (s *samples) quantile(q float64) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.d) == 0 {
		return 0
	}
	slices.Sort(s.d)
	i := int(q*float64(len(s.d))+0.5) - 1
	return s.d[min(max(i, 0), len(s.d)-1)]
}

// reset forgets the samples: a new phase starts.
func (s *samples) reset() {
	s.mu.Lock()
	s.d = s.d[:0]
	s.mu.Unlock()
}

func (s *samples) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.d)
}

// delivered is what the observer saw reach a platform, per conversation.
type delivered struct {
	mu       sync.Mutex
	sentAt   map[string]time.Time // token → when the originating request started
	seen     map[int][]int        // customer → sequence numbers in arrival order
	threadOf map[int]string       // customer → Slack thread ts
	last     time.Time
	n        atomic.Int64
}

func newDelivered() *delivered {
	return &delivered{sentAt: map[string]time.Time{}, seen: map[int][]int{}, threadOf: map[int]string{}}
}

func (d *delivered) markSent(token string, at time.Time) {
	d.mu.Lock()
	d.sentAt[token] = at
	d.mu.Unlock()
}

// arrived records token's arrival and returns how long it took.
func (d *delivered) arrived(c, seq int, token string, at time.Time) (time.Duration, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seen[c] = append(d.seen[c], seq)
	d.last = at
	d.n.Add(1)
	sent, ok := d.sentAt[token]
	return at.Sub(sent), ok
}

// observer sits in switchboard's HTTP client and watches successful calls
// to chat.postMessage (customer messages reaching their thread) and to
// Graph's /messages (agent replies reaching the customer). It also counts
// Slack's 429 answers.
type observer struct {
	next        http.RoundTripper
	slackHost   string
	graphHost   string
	inbound     *delivered
	outbound    *delivered
	e2eIn       *samples
	e2eOut      *samples
	onPosted    func(customer, seq int, threadTS string)
	slackCalls  atomic.Int64
	slack429    atomic.Int64
	postCalls   atomic.Int64
	measureFrom atomic.Int64 // unix nanos; samples before are warm-up
	fault       *fault
}

func (o *observer) RoundTrip(r *http.Request) (*http.Response, error) {
	if resp, ok := o.fault.answer(r); ok {
		if r.URL.Host == o.slackHost {
			o.slackCalls.Add(1)
			if resp.StatusCode == http.StatusTooManyRequests {
				o.slack429.Add(1)
			}
		}
		return resp, nil
	}
	switch {
	case r.URL.Host == o.slackHost && strings.HasSuffix(r.URL.Path, "/chat.postMessage"):
		return o.slackPost(r)
	case r.URL.Host == o.slackHost:
		o.slackCalls.Add(1)
		resp, err := o.next.RoundTrip(r)
		if err == nil && resp.StatusCode == http.StatusTooManyRequests {
			o.slack429.Add(1)
		}
		return resp, err
	case r.URL.Host == o.graphHost && strings.HasSuffix(r.URL.Path, "/messages"):
		return o.graphSend(r)
	}
	return o.next.RoundTrip(r)
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

func (o *observer) slackPost(r *http.Request) (*http.Response, error) {
	o.slackCalls.Add(1)
	o.postCalls.Add(1)
	form, _ := url.ParseQuery(string(readBody(r)))
	resp, err := o.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		o.slack429.Add(1)
	}
	thread := form.Get("thread_ts")
	m := customerToken.FindStringSubmatch(form.Get("text"))
	if resp.StatusCode != http.StatusOK || thread == "" || m == nil {
		return resp, nil
	}
	now := time.Now()
	c, _ := strconv.Atoi(m[1])
	seq, _ := strconv.Atoi(m[2])
	if lat, ok := o.inbound.arrived(c, seq, m[0], now); ok && now.UnixNano() >= o.measureFrom.Load() {
		o.e2eIn.add(lat)
	}
	if o.onPosted != nil {
		o.onPosted(c, seq, thread)
	}
	return resp, nil
}

func (o *observer) graphSend(r *http.Request) (*http.Response, error) {
	var body struct {
		Text struct {
			Body string `json:"body"`
		} `json:"text"`
	}
	_ = json.Unmarshal(readBody(r), &body)
	resp, err := o.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	if m := agentToken.FindStringSubmatch(body.Text.Body); m != nil {
		now := time.Now()
		c, _ := strconv.Atoi(m[1])
		seq, _ := strconv.Atoi(m[2])
		if lat, ok := o.outbound.arrived(c, seq, m[0], now); ok && now.UnixNano() >= o.measureFrom.Load() {
			o.e2eOut.add(lat)
		}
	}
	return resp, nil
}
