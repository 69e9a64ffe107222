package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync/atomic"
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
	return &countingConn{Conn: conn, counter: c.counter}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.d }

type countingConn struct {
	driver.Conn
	counter *statementCounter
	inTx    bool
}

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

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.counter.statements.Add(1)
	if !c.inTx {
		c.counter.autocommits.Add(1)
	}
	return e.ExecContext(ctx, query, args)
}

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.counter.statements.Add(1)
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
	return &countingStmt{Stmt: st, conn: c}, nil
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

// countingStmt counts a prepared statement's runs (the job queue and
// sqlx's named queries prepare; our repositories do not).
type countingStmt struct {
	driver.Stmt
	conn *countingConn
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
