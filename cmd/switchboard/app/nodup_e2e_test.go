package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// A post Slack or Discord accepted but switchboard could not record (the
// database went away right after the call) is not posted again when the
// delivery is retried: the retry finds it (Slack: message metadata read
// back with conversations.replies; Discord: the message nonce, which
// Discord deduplicates) and adopts it.

// afterCall runs then, once, right after a request matching match got
// its answer from the platform: the moment the platform has the post and
// switchboard does not know yet.
type afterCall struct {
	next  http.RoundTripper
	match func(r *http.Request, body []byte) bool
	once  sync.Once
	then  atomic.Pointer[func()]
	fired atomic.Bool
}

func (a *afterCall) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := a.next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusOK && a.match(r, body) {
		a.once.Do(func() {
			if fn := a.then.Load(); fn != nil {
				(*fn)()
				a.fired.Store(true)
			}
		})
	}
	return resp, err
}

// logTap counts log records whose message contains sub, and closes seen
// at the first.
type logTap struct {
	slog.Handler
	sub  string
	seen chan struct{}
	once *sync.Once
}

func (l logTap) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, l.sub) {
		l.once.Do(func() { close(l.seen) })
	}
	return l.Handler.Handle(ctx, r)
}

func (l logTap) Enabled(context.Context, slog.Level) bool { return true }

func (l logTap) WithAttrs(as []slog.Attr) slog.Handler {
	return logTap{Handler: l.Handler.WithAttrs(as), sub: l.sub, seen: l.seen, once: l.once}
}

func (l logTap) WithGroup(name string) slog.Handler {
	return logTap{Handler: l.Handler.WithGroup(name), sub: l.sub, seen: l.seen, once: l.once}
}

// withLogTap closes seen when switchboard logs a message containing sub.
func withLogTap(sub string, seen chan struct{}) option {
	return func(e *env, _ *strings.Builder) {
		e.tune.Log = slog.New(logTap{Handler: e.tune.Log.Handler(), sub: sub, seen: seen, once: &sync.Once{}})
	}
}

// holdDeliveries takes the deliveries table away from switchboard until
// release: on PostgreSQL a session holds an ACCESS EXCLUSIVE lock on it,
// on SQLite a connection holds an EXCLUSIVE transaction on the file.
// Recording a completed delivery then waits until it gives up.
func holdDeliveries(t *testing.T, dbURL string) (release func()) {
	t.Helper()
	ctx := context.Background()
	driver, dsn := "postgres", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	if driver == "sqlite" {
		_, err = conn.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	} else {
		_, err = conn.ExecContext(ctx, `BEGIN`)
		if err == nil {
			_, err = conn.ExecContext(ctx, `LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE`)
		}
	}
	require.NoError(t, err)
	var once sync.Once
	release = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(ctx, `ROLLBACK`)
			_ = conn.Close()
			_ = db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

const unrecordedLog = "reached its platform unrecorded"

// cutAfter arms a: the first matching call takes the deliveries table
// away; the test gives it back once switchboard said it could not record.
func cutAfter(t *testing.T, a *afterCall, dbURL *atomic.Pointer[string]) (released func()) {
	var release func()
	var mu sync.Mutex
	fn := func() {
		mu.Lock()
		defer mu.Unlock()
		release = holdDeliveries(t, *dbURL.Load())
	}
	a.then.Store(&fn)
	return func() {
		mu.Lock()
		defer mu.Unlock()
		require.NotNil(t, release, "the database was taken away after the post")
		release()
	}
}

func TestUnrecordedSlackPostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		a := &afterCall{next: http.DefaultTransport, match: func(r *http.Request, body []byte) bool {
			form, _ := url.ParseQuery(string(body))
			return strings.HasSuffix(r.URL.Path, "/chat.postMessage") && strings.Contains(form.Get("text"), "lost receipt")
		}}
		seen := make(chan struct{})
		var dbURL atomic.Pointer[string]
		release := cutAfter(t, a, &dbURL)
		e := setup(t, dialect, withTransport(a), withJobTimeout(3*time.Second), withLogTap(unrecordedLog, seen))
		dbURL.Store(&e.dbURL)

		e.customerWrites("34612345678", "Ana", "wamid.nodup1", time.Now(), "my lost receipt")
		select {
		case <-seen:
		case <-time.After(waitLong):
			t.Fatal("switchboard never reported the post it could not record")
		}
		require.True(t, a.fired.Load())
		release()

		e.customerWrites("34612345678", "Ana", "wamid.nodup2", time.Now().Add(time.Second), "and then this")
		card := e.waitCardAndThread("and then this")
		texts := inThread(e.slack.Posts(), card.TS)
		require.Equal(t, 1, containsText(texts, "my lost receipt"), "posted once: %q", texts)
		require.Less(t, strings.Index(strings.Join(texts, "\n"), "lost receipt"), strings.Index(strings.Join(texts, "\n"), "and then this"))
		require.Len(t, cards(e.slack.Posts()), 1)
		require.Positive(t, e.slack.Calls("conversations.replies"), "the retry looked for the post")
	})
}

func TestUnrecordedDiscordPostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		a := &afterCall{next: http.DefaultTransport, match: func(r *http.Request, body []byte) bool {
			return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") && bytes.Contains(body, []byte("lost receipt"))
		}}
		seen := make(chan struct{})
		var dbURL atomic.Pointer[string]
		release := cutAfter(t, a, &dbURL)
		fake := discordtest.New(t)
		home := addHome(fake, "text", "gaming")
		e := setup(t, dialect, withTeams("teams:\n"+gamingTeam("gaming", home, "text")), withDiscord(fake),
			withTransport(a), withJobTimeout(3*time.Second), withLogTap(unrecordedLog, seen))
		dbURL.Store(&e.dbURL)
		fake.WaitIdentified(t, 1)
		d := &dside{env: e, fake: fake, home: home, kind: "text"}

		e.customerWrites("34612345678", "Ana", "wamid.nodup1", time.Now(), "my lost receipt")
		select {
		case <-seen:
		case <-time.After(waitLong):
			t.Fatal("switchboard never reported the post it could not record")
		}
		require.True(t, a.fired.Load())
		release()

		e.customerWrites("34612345678", "Ana", "wamid.nodup2", time.Now().Add(time.Second), "and then this")
		c := d.waitConv(t, home, 1)
		d.waitPost(t, c, "and then this")
		posts := d.botPosts(c)
		require.Equal(t, 1, containsText(posts, "my lost receipt"), "posted once: %q", posts)
		require.Len(t, fake.Threads(home), 1)
		require.Positive(t, fake.NonceHits(), "Discord answered the retry with the message made before")
	})
}
