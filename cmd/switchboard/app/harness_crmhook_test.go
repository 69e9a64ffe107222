package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/storage"
)

// crmSecret signs the fake CRM's webhook bodies.
const crmSecret = "crm-test-secret-0123456789"

// fakeCRM is a business's CRM endpoint: it records every request and
// answers the status its script gives (200 once the script runs out).
type fakeCRM struct {
	*httptest.Server
	mu       sync.Mutex
	requests []crmRequest
	script   func(n int, body crmBody) int // n counts from 1
	got      chan struct{}
}

type crmRequest struct {
	Header http.Header
	Raw    []byte
	Body   crmBody
	Status int
}

// crmBody is the part of the webhook's body the tests read (docs/crm.md).
type crmBody struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Person struct {
		ID         int64             `json:"id"`
		Name       string            `json:"name"`
		Labels     []string          `json:"labels"`
		Attributes map[string]string `json:"attributes"`
		Identities []struct {
			Channel string `json:"channel"`
			Address string `json:"address"`
			Phone   string `json:"phone"`
		} `json:"identities"`
	} `json:"person"`
	Conversation *struct {
		ID       int64  `json:"id"`
		Team     string `json:"team"`
		State    string `json:"state"`
		Assignee string `json:"assignee"`
	} `json:"conversation"`
	Data map[string]string `json:"data"`
}

func newFakeCRM(t *testing.T, script func(n int, body crmBody) int) *fakeCRM {
	t.Helper()
	f := &fakeCRM{script: script, got: make(chan struct{}, 100)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var b crmBody
		_ = json.Unmarshal(raw, &b)
		f.mu.Lock()
		n := len(f.requests) + 1
		status := http.StatusOK
		if f.script != nil {
			status = f.script(n, b)
		}
		f.requests = append(f.requests, crmRequest{Header: r.Header.Clone(), Raw: raw, Body: b, Status: status})
		f.mu.Unlock()
		w.WriteHeader(status)
		select {
		case f.got <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCRM) all() []crmRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]crmRequest(nil), f.requests...)
}

// delivered are the bodies answered with a 2xx, in arrival order.
func (f *fakeCRM) delivered() []crmRequest {
	var out []crmRequest
	for _, r := range f.all() {
		if r.Status/100 == 2 {
			out = append(out, r)
		}
	}
	return out
}

// waitDelivered waits until the CRM accepted n bodies.
func (f *fakeCRM) waitDelivered(t *testing.T, n int) []crmRequest {
	t.Helper()
	deadline := time.After(waitLong)
	for {
		if d := f.delivered(); len(d) >= n {
			return d
		}
		select {
		case <-f.got:
		case <-deadline:
			t.Fatalf("the CRM accepted %d bodies, want %d: %+v", len(f.delivered()), n, f.all())
		}
	}
}

// withCRMWebhook points contacts.webhook at crm.
func withCRMWebhook(crm *fakeCRM, events ...string) option {
	ev := ""
	if len(events) > 0 {
		ev = "    events: [" + strings.Join(events, ", ") + "]\n"
	}
	return withTopLevel(fmt.Sprintf("contacts:\n  webhook:\n    url: %q\n    secret: %q\n%s", crm.URL+"/hooks/switchboard", crmSecret, ev))
}

// verifyCRMSignature checks a request the way a customer's CRM would
// (docs/crm.md): HMAC-SHA256 of "<timestamp>.<raw body>", constant-time
// compare, and a timestamp no older than five minutes.
func verifyCRMSignature(t *testing.T, r crmRequest) {
	t.Helper()
	ts := r.Header.Get("X-Switchboard-Timestamp")
	sig := r.Header.Get("X-Switchboard-Signature")
	require.NotEmpty(t, ts)
	require.True(t, strings.HasPrefix(sig, "sha256="), sig)
	mac := hmac.New(sha256.New, []byte(crmSecret))
	mac.Write([]byte(ts + "." + string(r.Raw)))
	want := hex.EncodeToString(mac.Sum(nil))
	require.True(t, hmac.Equal([]byte(want), []byte(strings.TrimPrefix(sig, "sha256="))), "signature of %s", r.Body.Kind)
	var sec int64
	_, err := fmt.Sscan(ts, &sec)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now(), time.Unix(sec, 0), 5*time.Minute)
	require.Equal(t, r.Body.ID, r.Header.Get("X-Switchboard-Delivery"))
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
}

// textColumns lists every text-like column of every table, read from the
// database's own catalogue (not a hand-kept list), so a table added later
// is scanned too.
func textColumns(t *testing.T, db *storage.DB) [][3]string {
	t.Helper()
	ctx := context.Background()
	var cols [][3]string
	if db.Dialect == storage.SQLite {
		var tables []string
		require.NoError(t, db.SelectContext(ctx, &tables, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`))
		for _, tb := range tables {
			rows, err := db.QueryxContext(ctx, `SELECT name, type FROM pragma_table_info(?)`, tb)
			require.NoError(t, err)
			for rows.Next() {
				var name, typ string
				require.NoError(t, rows.Scan(&name, &typ))
				typ = strings.ToUpper(typ)
				if !strings.Contains(typ, "INT") && !strings.Contains(typ, "REAL") && !strings.Contains(typ, "BOOL") {
					cols = append(cols, [3]string{tb, name, typ}) // TEXT, BLOB, JSON and untyped columns
				}
			}
			require.NoError(t, rows.Err())
			rows.Close()
		}
		return cols
	}
	rows, err := db.QueryxContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'USER-DEFINED', 'ARRAY')`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var tb, col, typ string
		require.NoError(t, rows.Scan(&tb, &col, &typ))
		cols = append(cols, [3]string{tb, col, typ})
	}
	require.NoError(t, rows.Err())
	return cols
}

// findAnywhere returns "table.column" for every column holding needle.
func findAnywhere(t *testing.T, db *storage.DB, needle string) []string {
	t.Helper()
	var hits []string
	for _, c := range textColumns(t, db) {
		q, arg := fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE CAST(%q AS TEXT) LIKE ?`, c[0], c[1]), any("%"+needle+"%")
		if c[2] == "bytea" {
			// bytea as text is hex: look for the bytes themselves.
			q, arg = fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE position(convert_to(?, 'UTF8') in %q) > 0`, c[0], c[1]), needle
		}
		var n int
		require.NoError(t, db.GetContext(context.Background(), &n, db.Rebind(q), arg), "scan %s.%s", c[0], c[1])
		if n > 0 {
			hits = append(hits, c[0]+"."+c[1])
		}
	}
	return hits
}

// tableCounts counts the rows of every table.
func tableCounts(t *testing.T, db *storage.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	seen := map[string]bool{}
	for _, c := range textColumns(t, db) {
		if seen[c[0]] {
			continue
		}
		seen[c[0]] = true
		var n int
		require.NoError(t, db.GetContext(context.Background(), &n, fmt.Sprintf(`SELECT COUNT(*) FROM %q`, c[0])))
		out[c[0]] = n
	}
	return out
}
