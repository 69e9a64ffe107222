package bridge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name, header string
		want         time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"seconds with spaces", " 30 ", 30 * time.Second},
		{"an HTTP date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"a date in the past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
		{"negative", "-3", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, retryAfter(tc.header, now))
		})
	}
}

// postCRM maps the CRM's answers to the delivery's control flow: 2xx done,
// 429 waits as told, 5xx retried with backoff, other 4xx permanent.
func TestPostCRMAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		status     int
		header     string
		wantErr    bool
		permanent  bool
		retryAfter time.Duration
	}{
		{name: "204 is done", status: http.StatusNoContent},
		{name: "429 waits for Retry-After", status: http.StatusTooManyRequests, header: "12", wantErr: true, retryAfter: 12 * time.Second},
		{name: "503 is retried", status: http.StatusServiceUnavailable, wantErr: true},
		{name: "404 is permanent", status: http.StatusNotFound, wantErr: true, permanent: true},
		{name: "401 is permanent", status: http.StatusUnauthorized, wantErr: true, permanent: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var sig, ts, id string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sig, ts, id = r.Header.Get("X-Switchboard-Signature"), r.Header.Get("X-Switchboard-Timestamp"), r.Header.Get("X-Switchboard-Delivery")
				if tc.header != "" {
					w.Header().Set("Retry-After", tc.header)
				}
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			b := &Bridge{opts: Options{Now: time.Now, CRMWebhook: CRMWebhook{URL: srv.URL, Secret: "0123456789abcdef"}}}
			body := []byte(`{"id":"crm_abc","kind":"contact.updated"}`)
			_, err := b.postCRM(context.Background(), Delivery{Kind: DeliverCRMWebhook, Payload: body})
			require.Equal(t, "crm_abc", id)
			require.Equal(t, CRMSignature("0123456789abcdef", ts, body), sig)
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}
			de, ok := AsDeliveryError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.permanent, de.Permanent)
			require.Equal(t, tc.retryAfter, de.RetryAfter)
		})
	}
}

// The signature is the documented HMAC: the vector was computed with
// Python's hmac module (docs/crm.md shows the same one), not with our code.
func TestCRMSignatureVector(t *testing.T) {
	t.Parallel()
	require.Equal(t, "sha256=645169068895f153fcd12381fa7c994acf263906300a806195632898ac7e52b0",
		CRMSignature("secret", "1700000000", []byte(`{"id":"crm_1"}`)))
}
