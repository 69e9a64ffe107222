package app

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver "postgres"
)

// Leader election timing. A follower tries the lock every leaderRetry; the
// leader checks its lock connection every leaderCheck and steps down when
// it does not answer within leaderCheckTimeout. PostgreSQL frees the lock
// the moment a dead holder's connection closes (a crashed process) or,
// when the holder's host vanishes, once the TCP keepalives set on the lock
// connection give up (about 20 s). A new leader therefore takes over at
// most leaderRetry after the lock is freed: within 25 s even then. A leader whose session was
// ended under it (pg_terminate_backend, a database failover) notices
// within leaderCheck, so two replicas may hold a gateway connection for
// that long; the bridge drops the duplicate events (same message or
// interaction id) and Discord refuses the second answer to an interaction.
const (
	leaderRetry        = 5 * time.Second
	leaderCheck        = 2 * time.Second
	leaderCheckTimeout = 3 * time.Second
	leaderMaxBackoff   = time.Minute
)

// lockKey turns a name into the bigint key of pg_try_advisory_lock.
// Advisory locks are per database, so deployments sharing a server but not
// a database never meet.
func lockKey(name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("switchboard/" + name))
	return int64(h.Sum64())
}

// leadership runs lead on exactly one replica of those sharing one
// PostgreSQL database: the one holding a session-level advisory lock
// (pg_try_advisory_lock) on a connection of its own. When that connection
// breaks the replica stops leading (unlead) and, after a pause that lets
// another replica win, tries again. With SQLite (one process per
// database file) the replica always leads.
//
// The lock lives on a dedicated *sql.DB of one connection rather than on
// the shared pool: closing it surely closes the session, which is what
// frees the lock, whereas a pooled connection handed back would keep it.
type leadership struct {
	name string
	dsn  string // PostgreSQL URL; "" means always lead (SQLite)
	// lead starts the work only the leader does; an error gives the
	// leadership up and it is tried again after a backoff. unlead stops
	// that work and must return promptly.
	lead   func(ctx context.Context) error
	unlead func()
	// onChange is told when this replica starts or stops leading.
	onChange func(leader bool)
	log      *slog.Logger

	mu       sync.Mutex
	leader   bool
	attempts int
	cancel   context.CancelFunc
	done     chan struct{}
}

// Start makes a first attempt at the lock before returning, so a replica
// started next to a leader is known to be a follower as soon as Start
// returns; leading itself (opening the gateway) happens in the background.
func (l *leadership) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	l.mu.Lock()
	l.cancel, l.done = cancel, make(chan struct{})
	l.mu.Unlock()
	s := &lockSession{l: l}
	first := s.try(ctx)
	go func() {
		defer close(l.done)
		l.loop(ctx, s, first)
	}()
}

// Stop stops leading, frees the lock and waits for the loop to end, at
// most until ctx ends.
func (l *leadership) Stop(ctx context.Context) error {
	l.mu.Lock()
	cancel, done := l.cancel, l.done
	l.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errors.New("leader election: stopping timed out")
	}
}

// Leader reports whether this replica leads now.
func (l *leadership) Leader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leader
}

// Attempts is how many times this replica has tried to take the lock.
func (l *leadership) Attempts() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.attempts
}

func (l *leadership) setLeader(v bool) {
	l.mu.Lock()
	changed := l.leader != v
	l.leader = v
	l.mu.Unlock()
	if changed && l.onChange != nil {
		l.onChange(v)
	}
}

func (l *leadership) loop(ctx context.Context, s *lockSession, got bool) {
	defer s.close()
	failures := 0
	for {
		if got {
			l.log.Info("leader elected", "role", l.name)
			err := l.lead(ctx)
			if err == nil {
				failures = 0
				l.setLeader(true)
				err = s.hold(ctx) // returns when the lock is lost or ctx ends
				l.setLeader(false)
				l.unlead()
				if ctx.Err() != nil {
					return
				}
				l.log.Warn("leadership lost; another replica may take over", "role", l.name, "err", err)
			} else {
				failures++
				l.log.Error("leader could not start; giving leadership up", "role", l.name, "err", err)
			}
			// Free the lock so another replica can lead, then pause:
			// whatever broke here may not have broken there.
			s.close()
		}
		wait := leaderRetry
		if failures > 0 {
			wait = min(leaderRetry<<min(failures, 4), leaderMaxBackoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		got = s.try(ctx)
	}
}

// lockSession is the dedicated connection holding (or trying) the lock.
type lockSession struct {
	l    *leadership
	db   *sql.DB
	conn *sql.Conn
}

// try makes one attempt at the lock, opening the connection if needed.
func (s *lockSession) try(ctx context.Context) bool {
	s.l.mu.Lock()
	s.l.attempts++
	s.l.mu.Unlock()
	if s.l.dsn == "" {
		return true // SQLite: one process per database, always the leader
	}
	actx, cancel := context.WithTimeout(ctx, leaderCheckTimeout)
	defer cancel()
	if s.conn == nil {
		if err := s.open(actx); err != nil {
			s.l.log.Warn("leader election: cannot reach the database", "role", s.l.name, "err", err)
			s.close()
			return false
		}
	}
	var got bool
	if err := s.conn.QueryRowContext(actx, `SELECT pg_try_advisory_lock($1)`, lockKey(s.l.name)).Scan(&got); err != nil {
		s.l.log.Warn("leader election: lock attempt failed", "role", s.l.name, "err", err)
		s.close()
		return false
	}
	return got
}

func (s *lockSession) open(ctx context.Context) error {
	db, err := sql.Open("postgres", s.l.dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return err
	}
	// The server notices a holder whose host vanished through TCP
	// keepalives (ignored on Unix sockets, where a dead peer is seen at
	// once); no idle timeout may end the session. Older servers lack some
	// of these settings: each is best effort.
	for _, set := range []string{
		`SET tcp_keepalives_idle = 5`, `SET tcp_keepalives_interval = 5`, `SET tcp_keepalives_count = 3`,
		`SET tcp_user_timeout = 20000`, `SET idle_session_timeout = 0`, `SET idle_in_transaction_session_timeout = 0`,
	} {
		_, _ = conn.ExecContext(ctx, set)
	}
	s.db, s.conn = db, conn
	return nil
}

// hold checks the lock connection until it fails or ctx ends. A session
// that answers still holds its session-level lock.
func (s *lockSession) hold(ctx context.Context) error {
	if s.l.dsn == "" {
		<-ctx.Done()
		return ctx.Err()
	}
	tick := time.NewTicker(leaderCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		cctx, cancel := context.WithTimeout(ctx, leaderCheckTimeout)
		_, err := s.conn.ExecContext(cctx, `SELECT 1`)
		cancel()
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
}

// close unlocks (when it still can) and closes the connection, which frees
// the lock in any case.
func (s *lockSession) close() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _ = s.conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`)
		cancel()
		_ = s.conn.Close()
		s.conn = nil
	}
	if s.db != nil {
		_ = s.db.Close()
		s.db = nil
	}
}
