package main

import (
	"bytes"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Fault modes make the fake platforms misbehave for a window of the
// measured phase, as the fault tests do in short: the bench then reports
// the backlog it caused and the audit proves nothing was lost, doubled or
// reordered.
const (
	faultNone        = ""
	faultSlackOutage = "slack-outage" // Slack answers 500 and 429 (Retry-After 1) alternately
	faultGraph429    = "graph-429"    // Graph answers error 130429 (throughput limit)
)

// fault answers for the failing platform while its window is open.
type fault struct {
	kind     string
	host     string
	from, to atomic.Int64 // unix nanos; the window
	n        atomic.Int64
	refused  atomic.Int64
}

// open starts the window at now+after for length.
func (f *fault) open(after, length time.Duration) {
	start := time.Now().Add(after)
	f.from.Store(start.UnixNano())
	f.to.Store(start.Add(length).UnixNano())
}

// answer returns a failure response when r falls in the window.
func (f *fault) answer(r *http.Request) (*http.Response, bool) {
	if f == nil || f.kind == faultNone || r.URL.Host != f.host {
		return nil, false
	}
	now := time.Now().UnixNano()
	if now < f.from.Load() || now >= f.to.Load() {
		return nil, false
	}
	f.refused.Add(1)
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	resp := &http.Response{Request: r, Header: http.Header{"Content-Type": {"application/json"}}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	switch f.kind {
	case faultSlackOutage:
		if f.n.Add(1)%2 == 0 {
			resp.StatusCode = http.StatusTooManyRequests
			resp.Header.Set("Retry-After", "1")
			resp.Body = io.NopCloser(bytes.NewReader([]byte(`{"ok":false,"error":"ratelimited"}`)))
		} else {
			resp.StatusCode = http.StatusInternalServerError
			resp.Body = io.NopCloser(bytes.NewReader([]byte(`<html>internal error</html>`)))
		}
	case faultGraph429:
		resp.StatusCode = http.StatusTooManyRequests
		resp.Body = io.NopCloser(bytes.NewReader([]byte(`{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"fbtrace_id":"Abench"}}`)))
	}
	resp.Status = http.StatusText(resp.StatusCode)
	return resp, true
}
