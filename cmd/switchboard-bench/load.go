package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

const (
	appSecret     = "bench-app-secret"
	signingSecret = "bench-signing-secret"
	phoneID       = "106540352242922"
	channelID     = "C0BENCH0001"
	agentUser     = "UAGENTBENCH"
)

// customers simulates the people writing in and the agents answering.
type customers struct {
	// urls are the replicas' base URLs; webhooks and Slack events go to
	// them in turn (a round-robin proxy's work).
	urls   []string
	rr     atomic.Uint64
	client *http.Client
	obs    *observer

	locks   []sync.Mutex // one per customer: a customer writes one message at a time
	nextSeq []int        // per customer, guarded by locks
	acked   [][]int      // per customer: sequence numbers acknowledged, in order

	ackLat   samples
	ackFail  atomic.Int64
	ackOK    atomic.Int64
	measure  atomic.Bool // record ack latencies
	replyP   float64
	postedN  atomic.Int64 // customer messages posted while agents reply
	replies  chan reply
	replying atomic.Bool
	dropped  atomic.Int64
	replyWG  sync.WaitGroup
	replyMu  []sync.Mutex
	replySeq []int
	sentOut  atomic.Int64
	replyErr atomic.Int64
}

type reply struct {
	customer int
	threadTS string
}

func newCustomers(n int, urls []string, obs *observer, replyP float64, workers int) *customers {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 4 * workers
	tr.MaxIdleConnsPerHost = 4 * workers
	c := &customers{urls: urls, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}, obs: obs,
		locks: make([]sync.Mutex, n), nextSeq: make([]int, n), acked: make([][]int, n),
		replyP: replyP, replies: make(chan reply, 1<<16), replyMu: make([]sync.Mutex, n), replySeq: make([]int, n)}
	obs.onPosted = c.posted
	for range max(workers/4, 4) {
		c.replyWG.Go(c.replyWorker)
	}
	return c
}

func waID(c int) string { return fmt.Sprintf("4915%08d", c) }

// url is the replica the next request goes to.
func (cs *customers) url() string {
	return cs.urls[(cs.rr.Add(1)-1)%uint64(len(cs.urls))]
}

// write makes customer c send their next message and waits for the
// acknowledgement.
func (cs *customers) write(c int) {
	cs.locks[c].Lock()
	defer cs.locks[c].Unlock()
	seq := cs.nextSeq[c]
	cs.nextSeq[c]++
	token := customerText(c, seq)
	body := whatsapptest.TextMessage(phoneID, waID(c), "Customer "+strconv.Itoa(c), "wamid.bench."+token, time.Now(), token+" hello, is my order on its way?")
	req, _ := http.NewRequest(http.MethodPost, cs.url()+"/webhooks/whatsapp", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", whatsapptest.Sign(appSecret, body))
	start := time.Now()
	cs.obs.inbound.markSent(token, start)
	status := do(cs.client, req)
	if cs.measure.Load() {
		cs.ackLat.add(time.Since(start))
	}
	if status != http.StatusOK {
		cs.ackFail.Add(1)
		return
	}
	cs.ackOK.Add(1)
	cs.acked[c] = append(cs.acked[c], seq)
}

func do(client *http.Client, req *http.Request) int {
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// posted is called by the observer when a customer message reached its
// thread: an agent answers the share replyP of them, every 1/replyP-th
// rather than at random, so two runs of the same length do the same work
// (the statements-per-message guard compares them with a budget).
func (cs *customers) posted(c, _ int, threadTS string) {
	if !cs.replying.Load() {
		return
	}
	n := float64(cs.postedN.Add(1))
	if int64(n*cs.replyP) == int64((n-1)*cs.replyP) {
		return
	}
	select {
	case cs.replies <- reply{customer: c, threadTS: threadTS}:
	default:
		cs.dropped.Add(1)
	}
}

func (cs *customers) replyWorker() {
	for r := range cs.replies {
		cs.answer(r)
	}
}

// answer posts an agent's reply in the thread as a signed Slack event.
func (cs *customers) answer(r reply) {
	c := r.customer
	cs.replyMu[c].Lock()
	defer cs.replyMu[c].Unlock()
	seq := cs.replySeq[c]
	cs.replySeq[c]++
	token := agentText(c, seq)
	ts := fmt.Sprintf("%d.%06d", 1_900_000_000+c, seq+1)
	body := slacktest.ThreadReply("Ev"+token, channelID, r.threadTS, ts, agentUser, token+" it ships tomorrow")
	req, _ := http.NewRequest(http.MethodPost, cs.url()+"/slack/events", bytes.NewReader(body))
	sig, sts := slacktest.Sign(signingSecret, time.Now(), body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("X-Slack-Request-Timestamp", sts)
	cs.obs.outbound.markSent(token, time.Now())
	if do(cs.client, req) != http.StatusOK {
		cs.replyErr.Add(1)
		return
	}
	cs.sentOut.Add(1)
}

func (cs *customers) close() {
	close(cs.replies)
	cs.replyWG.Wait()
}

// paced sends rate messages per second for d, round-robin over the
// customers, through workers concurrent senders. It returns when the
// last message is acknowledged.
func (cs *customers) paced(rate float64, d time.Duration, workers int, next *int) (sent int, late time.Duration) {
	jobs := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				cs.write(c)
			}
		})
	}
	start := time.Now()
	total := int(rate * d.Seconds())
	n := len(cs.locks)
	for i := range total {
		if time.Since(start) > d {
			total = i // the system fell behind: stop offering at the phase's end
			break
		}
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait) // the load's own pacing, not synchronisation
		} else {
			late = max(late, -wait)
		}
		jobs <- *next % n
		*next++
	}
	close(jobs)
	wg.Wait()
	return total, late
}

// send makes n customer messages, round-robin over the customers, through
// workers senders each sending as soon as its previous webhook is
// acknowledged.
func (cs *customers) send(n, workers int, next *int) {
	jobs := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range jobs {
				cs.write(c)
			}
		})
	}
	for range n {
		jobs <- *next % len(cs.locks)
		*next++
	}
	close(jobs)
	wg.Wait()
}

// saturate keeps workers senders busy, each sending as soon as its
// previous webhook is acknowledged, for d.
func (cs *customers) saturate(d time.Duration, workers int, next *int) int {
	var mu sync.Mutex
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	var sent atomic.Int64
	n := len(cs.locks)
	for range workers {
		wg.Go(func() {
			for time.Now().Before(stop) {
				mu.Lock()
				c := *next % n
				*next++
				mu.Unlock()
				cs.write(c)
				sent.Add(1)
			}
		})
	}
	wg.Wait()
	return int(sent.Load())
}
