package storage

import (
	"container/list"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/lib/pq"
)

// Statements counts the work one DB sent to its database: every statement
// (switchboard's and the job queue's, which share the pool), every
// committed transaction, and every write outside one (a statement that
// commits on its own). The benchmark divides them by the messages it
// drove (the cost of one message) and fails when they grow; the counting
// itself is two atomic adds per statement.
type Statements struct {
	Statements   int64 // Exec and Query calls, inside transactions or not
	Transactions int64 // transactions begun
	Commits      int64 // explicit COMMITs
	Autocommits  int64 // Exec calls outside a transaction: each commits alone
}

// Sub is the work done between two readings.
func (s Statements) Sub(before Statements) Statements {
	return Statements{Statements: s.Statements - before.Statements, Transactions: s.Transactions - before.Transactions,
		Commits: s.Commits - before.Commits, Autocommits: s.Autocommits - before.Autocommits}
}

// CommitsTotal is what reached the disk as a commit: explicit commits and
// writes outside a transaction.
func (s Statements) CommitsTotal() int64 { return s.Commits + s.Autocommits }

// Statements reads the counters.
func (db *DB) Statements() Statements {
	c := db.counter
	if c == nil {
		return Statements{}
	}
	return Statements{Statements: c.statements.Load(), Transactions: c.transactions.Load(),
		Commits: c.commits.Load(), Autocommits: c.autocommits.Load()}
}

type statementCounter struct {
	statements, transactions, commits, autocommits atomic.Int64
	// schema changes when migrations ran: statements prepared before
	// describe tables as they were, so every connection drops its own.
	schema atomic.Int64
}

// forgetPrepared makes every connection prepare its statements again (the
// tables they read may have changed).
func (db *DB) forgetPrepared() {
	if db.counter != nil {
		db.counter.schema.Add(1)
	}
}

// countingConnector opens connections of d to dsn that count what they
// run. It keeps every optional interface the drivers we use implement
// (lib/pq and modernc.org/sqlite), so database/sql takes the same paths
// as with the bare driver.
type countingConnector struct {
	d       driver.Driver
	dsn     string
	counter *statementCounter
}

func openCounted(d driver.Driver, dsn string) (*sql.DB, *statementCounter) {
	c := &statementCounter{}
	return sql.OpenDB(countingConnector{d: d, dsn: dsn, counter: c}), c
}

func (c countingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.d.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, counter: c.counter, prepared: map[string]*list.Element{}, lru: list.New(),
		schema: c.counter.schema.Load()}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.d }

// countingConn also keeps each statement it ran with parameters prepared
// on its connection (up to maxPrepared, the least recently used let go):
// PostgreSQL then parses and plans it once per connection instead of on
// every run — parsing and planning cost more of its CPU than running our
// statements (pg_stat_statements in the delivery benchmark), and the job
// queue's statements are the costliest to plan. A run of a prepared
// statement is also one round trip where lib/pq's unnamed statements take
// two (parse and describe, then bind and execute). SQLite skips its
// parsing the same way.
//
// One statement text is never run twice at once on a connection: database/sql
// gives a connection to one caller at a time, and no caller runs a query
// while it still reads the rows of the same query (SQLite's handle would be
// reset under them).
type countingConn struct {
	driver.Conn
	counter  *statementCounter
	inTx     bool
	prepared map[string]*list.Element // of *preparedStmt, in lru
	lru      *list.List
	schema   int64 // counter.schema when prepared was filled
}

type preparedStmt struct {
	query string
	stmt  driver.Stmt
}

// maxPrepared bounds the statements kept per connection: ours and the job
// queue's are a few hundred distinct texts; queries built with a varying
// IN list come and go.
const maxPrepared = 500

// stmt returns query prepared on this connection.
func (c *countingConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if s := c.counter.schema.Load(); s != c.schema {
		c.dropPrepared()
		c.schema = s
	}
	if e, ok := c.prepared[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*preparedStmt).stmt, nil
	}
	var (
		st  driver.Stmt
		err error
	)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	c.prepared[query] = c.lru.PushFront(&preparedStmt{query: query, stmt: st})
	for c.lru.Len() > maxPrepared {
		old := c.lru.Back()
		c.lru.Remove(old)
		ps := old.Value.(*preparedStmt)
		delete(c.prepared, ps.query)
		_ = ps.stmt.Close()
	}
	return st, nil
}

// forget drops query's prepared statement after the database said it is
// stale: PostgreSQL refuses a plan whose result columns changed (another
// replica migrated) and forgets statements in a session it reset.
func (c *countingConn) forget(query string, err error) bool {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || (pqErr.Code != "0A000" && pqErr.Code != "26000") {
		return false
	}
	if e, ok := c.prepared[query]; ok {
		c.lru.Remove(e)
		delete(c.prepared, query)
		_ = e.Value.(*preparedStmt).stmt.Close()
	}
	return true
}

func (c *countingConn) dropPrepared() {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*preparedStmt).stmt.Close()
	}
	c.prepared = map[string]*list.Element{}
	c.lru.Init()
}

// Close ends the session, and with it its prepared statements.
func (c *countingConn) Close() error { return c.Conn.Close() }

var (
	_ driver.ConnBeginTx        = (*countingConn)(nil)
	_ driver.ExecerContext      = (*countingConn)(nil)
	_ driver.QueryerContext     = (*countingConn)(nil)
	_ driver.ConnPrepareContext = (*countingConn)(nil)
	_ driver.Pinger             = (*countingConn)(nil)
	_ driver.NamedValueChecker  = (*countingConn)(nil)
	_ driver.SessionResetter    = (*countingConn)(nil)
	_ driver.Validator          = (*countingConn)(nil)
)

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("driver cannot begin a transaction with options")
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.counter.transactions.Add(1)
	c.inTx = true
	return &countingTx{Tx: tx, conn: c}, nil
}

// runPrepared runs query's statement prepared on c with run. ran is false
// when the driver's statement cannot (run says so): the caller then sends
// the text through the connection. A statement the database calls stale
// (forget) is prepared again once outside a transaction; inside one the
// error stands, since it aborted the transaction.
func runPrepared[T any](ctx context.Context, c *countingConn, query string, run func(driver.Stmt) (T, bool, error)) (res T, ran bool, err error) {
	for retry := true; ; retry = false {
		st, err := c.stmt(ctx, query)
		if err != nil {
			return res, true, err
		}
		res, ran, err = run(st)
		if !ran || err == nil || !c.forget(query, err) || !retry || c.inTx {
			return res, ran, err
		}
	}
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.counter.statements.Add(1)
	if !c.inTx {
		c.counter.autocommits.Add(1)
	}
	if len(args) > 0 {
		// Without parameters the drivers send the text as it is (lib/pq's
		// simple protocol, which also runs several statements at once).
		res, ran, err := runPrepared(ctx, c, query, func(st driver.Stmt) (driver.Result, bool, error) {
			e, ok := st.(driver.StmtExecContext)
			if !ok {
				return nil, false, nil
			}
			res, err := e.ExecContext(ctx, args)
			return res, true, err
		})
		if ran {
			return res, err
		}
	}
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return e.ExecContext(ctx, query, args)
}

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.counter.statements.Add(1)
	if !c.inTx && writes(query) {
		c.counter.autocommits.Add(1) // INSERT … RETURNING, the job queue's UPDATE … RETURNING
	}
	if len(args) > 0 {
		rows, ran, err := runPrepared(ctx, c, query, func(st driver.Stmt) (driver.Rows, bool, error) {
			q, ok := st.(driver.StmtQueryContext)
			if !ok {
				return nil, false, nil
			}
			rows, err := q.QueryContext(ctx, args)
			return rows, true, err
		})
		if ran {
			return rows, err
		}
	}
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return q.QueryContext(ctx, query, args)
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var (
		st  driver.Stmt
		err error
	)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &countingStmt{Stmt: st, conn: c, query: query}, nil
}

func (c *countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *countingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

type countingTx struct {
	driver.Tx
	conn *countingConn
}

func (t *countingTx) Commit() error {
	t.conn.inTx = false
	err := t.Tx.Commit()
	if err == nil {
		t.conn.counter.commits.Add(1)
	}
	return err
}

func (t *countingTx) Rollback() error {
	t.conn.inTx = false
	return t.Tx.Rollback()
}

// writes says whether a query run outside a transaction commits a change
// of its own. Our statements and the job queue's write their keywords in
// capitals.
func writes(query string) bool {
	return strings.Contains(query, "INSERT ") || strings.Contains(query, "UPDATE ") || strings.Contains(query, "DELETE ")
}

// countingStmt counts a prepared statement's runs (the job queue and
// sqlx's named queries prepare; our repositories do not).
type countingStmt struct {
	driver.Stmt
	conn  *countingConn
	query string
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.conn.counter.statements.Add(1)
	if !s.conn.inTx {
		s.conn.counter.autocommits.Add(1)
	}
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, errors.New("driver statement cannot run with a context")
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.conn.counter.statements.Add(1)
	if !s.conn.inTx && writes(s.query) {
		s.conn.counter.autocommits.Add(1)
	}
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, errors.New("driver statement cannot run with a context")
}

func (s *countingStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
