package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/riverqueue/river"
	"github.com/switchboard/switchboard/bridge"
)

// Store implements bridge.Store on a DB and a Queue.
type Store struct {
	db    *DB
	queue *Queue
}

var _ bridge.Store = (*Store)(nil)

// NewStore returns the bridge's store; jobs are enqueued on queue.
func NewStore(db *DB, queue *Queue) *Store { return &Store{db: db, queue: queue} }

// InTx runs fn in one transaction and commits when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(bridge.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	r := &txRepo{tx: tx, db: s.db, queue: s.queue}
	if err := fn(r); err != nil {
		tx.Rollback()
		return err
	}
	if r.queue != nil {
		if err := r.queue.insertManyTx(ctx, tx.Tx, r.jobs); err != nil {
			tx.Rollback()
			return fmt.Errorf("enqueue %d delivery jobs: %w", len(r.jobs), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Lane leases are compared against the database's clock, never a
// replica's: replicas whose clocks disagree still agree on who holds a
// lane. dbNowMs is "now" in Unix milliseconds in each dialect's SQL
// (clock_timestamp, not now(), because now() is frozen at the start of
// the transaction).
func dbNowMs(dialect string) string {
	if dialect == SQLite {
		return `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`
	}
	return `CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)`
}

const (
	// The NOT EXISTS reads without waiting: while another job holds a live
	// lease (and may have the row locked by HoldsLane), a job asking for
	// the lane is told no at once instead of queueing on the row lock.
	//
	// taken_over is set when the row's lease had run out (a takeover, even
	// by the same job retried after its process died) and cleared by a
	// renewal of a live lease; a fresh row (the lane was released) has it
	// false. RETURNING hands it back from the same statement, and returns
	// no row when the lane is someone else's.
	acquireLaneSQL = `INSERT INTO lanes (lane, holder, lease_until_ms)
SELECT ?, ?, {now} + CAST(? AS BIGINT)
WHERE NOT EXISTS (SELECT 1 FROM lanes WHERE lane = ? AND holder <> ? AND lease_until_ms >= {now})
ON CONFLICT (lane) DO UPDATE SET holder = excluded.holder, lease_until_ms = excluded.lease_until_ms,
  taken_over = (lanes.lease_until_ms < {now})
WHERE lanes.holder = excluded.holder OR lanes.lease_until_ms < {now}
RETURNING taken_over`
	releaseLaneSQL = `DELETE FROM lanes WHERE lane = ? AND holder = ?`
	// expireLaneSQL keeps the row with its lease run out: the next holder
	// is told it took the lane over.
	expireLaneSQL = `UPDATE lanes SET lease_until_ms = 0 WHERE lane = ? AND holder = ?`
	// holdsLaneSQL locks the lease row on PostgreSQL ({lock}), so a
	// takeover waits until the holder's completion commits or rolls back.
	holdsLaneSQL = `SELECT holder FROM lanes WHERE lane = ? AND holder = ?{lock}`
	// renewLaneSQL is HoldsLane and AcquireLane's renewal in one
	// statement: the update locks the lease row until the transaction
	// ends, as HoldsLane's FOR UPDATE does.
	renewLaneSQL = `UPDATE lanes SET lease_until_ms = {now} + CAST(? AS BIGINT) WHERE lane = ? AND holder = ?`
)

// withNow puts the dialect's database clock into a lane query. The lane
// queries run on every delivery, so each is rewritten once per dialect.
func withNow(dialect, query string) string {
	key := dialect + "\x00" + query
	if q, ok := laneQueries.Load(key); ok {
		return q.(string)
	}
	lock := " FOR UPDATE"
	if dialect == SQLite {
		lock = "" // one writer at a time: the transaction already excludes a takeover
	}
	q := strings.NewReplacer("{now}", dbNowMs(dialect), "{lock}", lock).Replace(query)
	laneQueries.Store(key, q)
	return q
}

// laneQueries caches withNow's rewrites (a handful of queries × dialects).
var laneQueries sync.Map

// AcquireLane takes or renews a lane's lease for lease, measured on the
// database's clock. The conditional upsert is settled by the database, so
// replicas cannot both hold a lane.
func (s *Store) AcquireLane(ctx context.Context, lane bridge.Lane, holder string, lease time.Duration) (ok, tookOver bool, err error) {
	err = s.db.QueryRowContext(ctx, s.db.Rebind(withNow(s.db.Dialect, acquireLaneSQL)),
		string(lane), holder, lease.Milliseconds(), string(lane), holder).Scan(&tookOver)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("acquire lane %s: %w", lane, err)
	}
	return true, tookOver, nil
}

// ReleaseLane drops holder's lease.
func (s *Store) ReleaseLane(ctx context.Context, lane bridge.Lane, holder string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(releaseLaneSQL), string(lane), holder)
	return err
}

// ExpireLane ends holder's lease but keeps its row, so the next holder
// learns it took the lane over.
func (s *Store) ExpireLane(ctx context.Context, lane bridge.Lane, holder string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(expireLaneSQL), string(lane), holder)
	return err
}

// HoldsLane reports whether holder still holds lane, and on PostgreSQL
// keeps the lease row locked until the transaction ends: a completion
// written after this check cannot race a new holder's takeover.
func (r *txRepo) HoldsLane(ctx context.Context, lane bridge.Lane, holder string) (bool, error) {
	var holders []string
	if err := r.sel(ctx, &holders, withNow(r.db.Dialect, holdsLaneSQL), string(lane), holder); err != nil {
		return false, fmt.Errorf("check lane %s holder: %w", lane, err)
	}
	return len(holders) > 0, nil
}

// RenewLane is HoldsLane that also extends the lease by lease from now
// (the database's clock): a job recording one delivery keeps the lane for
// the next without another round trip.
func (r *txRepo) RenewLane(ctx context.Context, lane bridge.Lane, holder string, lease time.Duration) (bool, error) {
	res, err := r.exec(ctx, withNow(r.db.Dialect, renewLaneSQL), lease.Milliseconds(), string(lane), holder)
	if err != nil {
		return false, fmt.Errorf("renew lane %s: %w", lane, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLane gives the lease back in this transaction: a job that found
// its lane empty while recording its last delivery lets go with the same
// commit.
func (r *txRepo) ReleaseLane(ctx context.Context, lane bridge.Lane, holder string) error {
	if _, err := r.exec(ctx, releaseLaneSQL, string(lane), holder); err != nil {
		return fmt.Errorf("release lane %s: %w", lane, err)
	}
	return nil
}

// LaneHead reads a lane's head outside any transaction: one statement,
// for a job's last look at its lane after letting it go.
func (s *Store) LaneHead(ctx context.Context, lane bridge.Lane) (bridge.Delivery, error) {
	var row deliveryRow
	err := s.db.GetContext(ctx, &row, s.db.Rebind(laneHeadSQL), string(lane))
	return row.domain(), notFound(err, "lane head")
}

// txRepo is one transaction's view; it implements bridge.Tx.
type txRepo struct {
	tx    *sqlx.Tx
	db    *DB
	queue *Queue
	// jobs are the River jobs of the deliveries enqueued, one per lane
	// (addJob), inserted together before the commit.
	jobs      []river.InsertManyParams
	jobDelays []time.Duration
	jobLanes  map[bridge.Lane]int // index in jobs

}

var _ bridge.Tx = (*txRepo)(nil)

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, bridge.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (r *txRepo) get(ctx context.Context, dest any, query string, args ...any) error {
	return r.tx.GetContext(ctx, dest, r.tx.Rebind(query), args...)
}

func (r *txRepo) sel(ctx context.Context, dest any, query string, args ...any) error {
	return r.tx.SelectContext(ctx, dest, r.tx.Rebind(query), args...)
}

func (r *txRepo) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.tx.ExecContext(ctx, r.tx.Rebind(query), args...)
}

const markProcessedSQL = `INSERT INTO processed_events (source, event_id, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`

func (r *txRepo) MarkProcessed(ctx context.Context, source, eventID string, now time.Time) (bool, error) {
	res, err := r.exec(ctx, markProcessedSQL, source, eventID, toMs(now))
	if err != nil {
		return false, fmt.Errorf("mark %s event processed: %w", source, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const (
	contactColumns = `id, channel, address, name, phone, language, created_ms, person_id, user_id, parent_user_id, username, email`
	// A new contact is a new person (people.id); see 0020_channels_people.sql.
	newPersonSQL          = `INSERT INTO people (created_ms, updated_ms) VALUES (?, ?) RETURNING id`
	setContactPersonSQL   = `UPDATE contacts SET person_id = ? WHERE id = ? AND person_id = 0`
	getContactSQL         = `SELECT ` + contactColumns + ` FROM contacts WHERE id = ?`
	setContactLanguageSQL = `UPDATE contacts SET language = ? WHERE id = ?`
)

func (r *txRepo) SetContactLanguage(ctx context.Context, id bridge.ContactID, lang string) error {
	if _, err := r.exec(ctx, setContactLanguageSQL, lang, int64(id)); err != nil {
		return fmt.Errorf("language of contact %d: %w", id, err)
	}
	return nil
}

func (r *txRepo) GetContact(ctx context.Context, id bridge.ContactID) (bridge.Contact, error) {
	var row contactRow
	err := r.get(ctx, &row, getContactSQL, int64(id))
	return row.domain(), notFound(err, fmt.Sprintf("contact %d", id))
}

const (
	conversationColumns = `id, contact_id, inbox, channel, team, state, assignee, version, opened_ms, last_customer_ms, first_response_ms, resolved_ms, previous_id`
	latestConvSQL       = `SELECT ` + conversationColumns + ` FROM conversations WHERE contact_id = ? AND inbox = ? ORDER BY id DESC LIMIT 1`
	getConvSQL          = `SELECT ` + conversationColumns + ` FROM conversations WHERE id = ?`
	contactConvsSQL     = `SELECT ` + conversationColumns + ` FROM conversations WHERE contact_id = ? ORDER BY id`
	createConvSQL       = `INSERT INTO conversations (contact_id, inbox, channel, team, state, assignee, version, opened_ms, last_customer_ms, first_response_ms, resolved_ms, previous_id)
VALUES (:contact_id, :inbox, :channel, :team, :state, :assignee, 1, :opened_ms, :last_customer_ms, :first_response_ms, :resolved_ms, :previous_id) RETURNING id`
	updateConvSQL = `UPDATE conversations SET team = :team, state = :state, assignee = :assignee, version = version + 1,
  last_customer_ms = CASE WHEN last_customer_ms > :last_customer_ms THEN last_customer_ms ELSE :last_customer_ms END,
  first_response_ms = :first_response_ms, resolved_ms = :resolved_ms
WHERE id = :id AND version = :version`
	// touchCustomerSQL moves the 24-hour window forward without a version
	// bump: concurrent messages of one customer must not conflict.
	touchCustomerSQL = `UPDATE conversations SET last_customer_ms = ? WHERE id = ? AND last_customer_ms < ?`
)

func (r *txRepo) LatestConversation(ctx context.Context, contact bridge.ContactID, inbox bridge.InboxID) (bridge.Conversation, error) {
	var row conversationRow
	err := r.get(ctx, &row, latestConvSQL, int64(contact), string(inbox))
	return row.domain(), notFound(err, "latest conversation")
}

func (r *txRepo) GetConversation(ctx context.Context, id bridge.ConversationID) (bridge.Conversation, error) {
	var row conversationRow
	err := r.get(ctx, &row, getConvSQL, int64(id))
	return row.domain(), notFound(err, fmt.Sprintf("conversation %d", id))
}

// LockExternalID: see bridge.Tx. A transaction-scoped advisory lock on
// PostgreSQL; SQLite's transactions already run one at a time (BEGIN
// IMMEDIATE).
func (r *txRepo) LockExternalID(ctx context.Context, externalID string) error {
	if r.db.Dialect != Postgres || externalID == "" {
		return nil
	}
	if _, err := r.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, "ext:"+externalID); err != nil {
		return fmt.Errorf("lock external id: %w", err)
	}
	return nil
}

// LockConversation: see bridge.Tx. SQLite transactions start with BEGIN
// IMMEDIATE on the one connection, so a plain read is already exclusive.
func (r *txRepo) LockConversation(ctx context.Context, id bridge.ConversationID) (bridge.Conversation, error) {
	if r.db.Dialect != Postgres {
		return r.GetConversation(ctx, id)
	}
	var row conversationRow
	err := r.get(ctx, &row, getConvSQL+` FOR UPDATE`, int64(id))
	return row.domain(), notFound(err, fmt.Sprintf("conversation %d", id))
}

func (r *txRepo) ContactConversations(ctx context.Context, contact bridge.ContactID) ([]bridge.Conversation, error) {
	var rows []conversationRow
	if err := r.sel(ctx, &rows, contactConvsSQL, int64(contact)); err != nil {
		return nil, fmt.Errorf("conversations of contact %d: %w", contact, err)
	}
	out := make([]bridge.Conversation, len(rows))
	for i, row := range rows {
		out[i] = row.domain()
	}
	return out, nil
}

func (r *txRepo) namedID(ctx context.Context, query string, arg any) (int64, error) {
	q, args, err := r.tx.BindNamed(query, arg)
	if err != nil {
		return 0, err
	}
	var id int64
	err = r.tx.GetContext(ctx, &id, q, args...)
	return id, err
}

func (r *txRepo) CreateConversation(ctx context.Context, c bridge.Conversation) (bridge.Conversation, error) {
	id, err := r.namedID(ctx, createConvSQL, conversationToRow(c))
	if isUniqueViolation(err) {
		return c, fmt.Errorf("create conversation: %w", bridge.ErrConflict)
	}
	if err != nil {
		return c, fmt.Errorf("create conversation: %w", err)
	}
	c.ID, c.Version, c.Channel = bridge.ConversationID(id), 1, c.Channel.OrWhatsApp()
	return c, nil
}

func (r *txRepo) TouchCustomer(ctx context.Context, id bridge.ConversationID, at time.Time) error {
	_, err := r.exec(ctx, touchCustomerSQL, toMs(at), int64(id), toMs(at))
	return notFound(err, fmt.Sprintf("touch conversation %d", id))
}

func (r *txRepo) UpdateConversation(ctx context.Context, c bridge.Conversation) (bridge.Conversation, error) {
	q, args, err := r.tx.BindNamed(updateConvSQL, conversationToRow(c))
	if err != nil {
		return c, err
	}
	res, err := r.tx.ExecContext(ctx, q, args...)
	if isUniqueViolation(err) {
		return c, fmt.Errorf("update conversation %d: %w", c.ID, bridge.ErrConflict)
	}
	if err != nil {
		return c, fmt.Errorf("update conversation %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return c, fmt.Errorf("update conversation %d: %w", c.ID, bridge.ErrConflict)
	}
	c.Version++
	return c, nil
}

const (
	threadColumns   = `id, conversation_id, workspace, channel_id, thread_key, card_key, is_current, created_ms`
	createThreadSQL = `INSERT INTO threads (conversation_id, workspace, channel_id, thread_key, card_key, is_current, created_ms)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`
	retireThreadsSQL = `UPDATE threads SET is_current = ? WHERE conversation_id = ?`
	setThreadRefSQL  = `UPDATE threads SET thread_key = ?, card_key = ? WHERE id = ?`
	currentThreadSQL = `SELECT ` + threadColumns + ` FROM threads WHERE conversation_id = ? AND is_current = ? ORDER BY id DESC LIMIT 1`
	threadByKeySQL   = `SELECT ` + threadColumns + ` FROM threads WHERE workspace = ? AND channel_id = ? AND thread_key = ?`
)

func (r *txRepo) CreateThread(ctx context.Context, t bridge.Thread) (bridge.Thread, error) {
	if _, err := r.exec(ctx, retireThreadsSQL, false, int64(t.ConversationID)); err != nil {
		return t, fmt.Errorf("retire threads: %w", err)
	}
	var id int64
	err := r.get(ctx, &id, createThreadSQL, int64(t.ConversationID), string(t.Ref.Workspace), t.Ref.ChannelID,
		t.Ref.ThreadKey, t.Ref.CardKey, true, toMs(t.CreatedAt))
	if err != nil {
		return t, fmt.Errorf("create thread: %w", err)
	}
	t.ID, t.Current = id, true
	return t, nil
}

func (r *txRepo) SetThreadRef(ctx context.Context, threadID int64, ref bridge.ThreadRef) error {
	_, err := r.exec(ctx, setThreadRefSQL, ref.ThreadKey, ref.CardKey, threadID)
	return notFound(err, "set thread ref")
}

func (r *txRepo) CurrentThread(ctx context.Context, conv bridge.ConversationID) (bridge.Thread, error) {
	var row threadRow
	err := r.get(ctx, &row, currentThreadSQL, int64(conv), true)
	return row.domain(), notFound(err, fmt.Sprintf("thread of conversation %d", conv))
}

func (r *txRepo) ThreadByKey(ctx context.Context, ws bridge.WorkspaceKind, channelID, threadKey string) (bridge.Thread, error) {
	var row threadRow
	err := r.get(ctx, &row, threadByKeySQL, string(ws), channelID, threadKey)
	return row.domain(), notFound(err, "thread by key")
}

const (
	messageColumns   = `id, conversation_id, direction, kind, body, payload, external_id, workspace_key, author_id, sent_ms, created_ms, status, failure`
	insertMessageSQL = `INSERT INTO messages (conversation_id, direction, kind, body, payload, external_id, workspace_key, author_id, sent_ms, created_ms, status, failure)
VALUES (:conversation_id, :direction, :kind, :body, :payload, :external_id, :workspace_key, :author_id, :sent_ms, :created_ms, :status, :failure)
ON CONFLICT DO NOTHING RETURNING id`
	getMessageSQL        = `SELECT ` + messageColumns + ` FROM messages WHERE id = ?`
	messageByExternalSQL = `SELECT ` + messageColumns + ` FROM messages WHERE external_id = ?`
	messageByKeySQL      = `SELECT ` + messageColumns + ` FROM messages WHERE conversation_id = ? AND workspace_key = ? ORDER BY id LIMIT 1`
	updateMessageSQL     = `UPDATE messages SET external_id = :external_id, workspace_key = :workspace_key, status = :status, failure = :failure, body = :body WHERE id = :id`
)

func (r *txRepo) InsertMessage(ctx context.Context, m bridge.Message) (bridge.MessageID, bool, error) {
	id, err := r.namedID(ctx, insertMessageSQL, messageToRow(m))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil // same external id already stored: a platform retry
	}
	if err != nil {
		return 0, false, fmt.Errorf("insert message: %w", err)
	}
	return bridge.MessageID(id), true, nil
}

func (r *txRepo) GetMessage(ctx context.Context, id bridge.MessageID) (bridge.Message, error) {
	var row messageRow
	err := r.get(ctx, &row, getMessageSQL, int64(id))
	return row.domain(), notFound(err, fmt.Sprintf("message %d", id))
}

func (r *txRepo) MessageByExternalID(ctx context.Context, externalID string) (bridge.Message, error) {
	var row messageRow
	err := r.get(ctx, &row, messageByExternalSQL, externalID)
	return row.domain(), notFound(err, "message by external id")
}

func (r *txRepo) MessageByWorkspaceKey(ctx context.Context, conv bridge.ConversationID, key string) (bridge.Message, error) {
	var row messageRow
	err := r.get(ctx, &row, messageByKeySQL, int64(conv), key)
	return row.domain(), notFound(err, "message by workspace key")
}

func (r *txRepo) UpdateMessage(ctx context.Context, m bridge.Message) error {
	q, args, err := r.tx.BindNamed(updateMessageSQL, messageToRow(m))
	if err != nil {
		return err
	}
	_, err = r.tx.ExecContext(ctx, q, args...)
	return notFound(err, fmt.Sprintf("update message %d", m.ID))
}

// isUniqueViolation recognises a unique-constraint error from either driver;
// the bridge retries its transaction and then sees the winner's row.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
