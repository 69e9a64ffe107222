package storage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// The bench divides these counts by the messages it drove and fails when
// they grow (BenchmarkStatementsPerMessage): they must count exactly.
func TestStatementsAreCounted(t *testing.T) {
	ctx := context.Background()
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		before := db.Statements()
		_, err := db.ExecContext(ctx, `CREATE TABLE stats_probe (id BIGINT NOT NULL)`)
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, db.Rebind(`INSERT INTO stats_probe (id) VALUES (?)`), 1)
		require.NoError(t, err)
		got := db.Statements().Sub(before)
		require.Equal(t, storage.Statements{Statements: 2, Autocommits: 2}, got, "two writes outside a transaction")

		before = db.Statements()
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			_, err := tx.GetContact(ctx, 999)
			require.ErrorIs(t, err, bridge.ErrNotFound)
			return nil
		}))
		got = db.Statements().Sub(before)
		require.Equal(t, int64(1), got.Transactions)
		require.Equal(t, int64(1), got.Commits)
		require.Equal(t, int64(1), got.Statements)
		require.Equal(t, int64(0), got.Autocommits, "a read commits nothing")
		require.Equal(t, int64(1), got.CommitsTotal())
	})
}

// Statements are prepared once per connection; a statement the database
// no longer accepts (the table changed under a SELECT *: "cached plan must
// not change result type") is prepared again instead of failing on that
// connection until it closes. PostgreSQL only: SQLite prepares again
// itself.
func TestPreparedStatementFollowsSchemaChange(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t, storage.Postgres)
	db.SetMaxOpenConns(1) // one connection, so the statement is the one prepared before
	_, err := db.ExecContext(ctx, `CREATE TABLE stats_schema (id BIGINT NOT NULL)`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO stats_schema (id) VALUES ($1)`, 7)
	require.NoError(t, err)
	query := `SELECT * FROM stats_schema WHERE id = $1`
	rows, err := db.QueryxContext(ctx, query, 7)
	require.NoError(t, err)
	require.NoError(t, rows.Close())

	_, err = db.ExecContext(ctx, `ALTER TABLE stats_schema ADD COLUMN name TEXT NOT NULL DEFAULT 'x'`)
	require.NoError(t, err)
	var got []map[string]any
	rows, err = db.QueryxContext(ctx, query, 7)
	require.NoError(t, err, "the stale statement is prepared again")
	for rows.Next() {
		m := map[string]any{}
		require.NoError(t, rows.MapScan(m))
		got = append(got, m)
	}
	require.NoError(t, rows.Close())
	require.Len(t, got, 1)
	require.Contains(t, got[0], "name", "the new column is read")
}

// A connection keeps at most 500 prepared statements: queries whose text
// varies (an IN list of any length) cannot fill the server's memory.
func TestPreparedStatementsAreBounded(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t, storage.Postgres)
	db.SetMaxOpenConns(1)
	for i := range 520 {
		var n int
		require.NoError(t, db.GetContext(ctx, &n, fmt.Sprintf(`SELECT %d + $1::int`, i), 1))
	}
	var prepared int
	require.NoError(t, db.GetContext(ctx, &prepared, `SELECT COUNT(*) FROM pg_prepared_statements WHERE $1::int = 1`, 1))
	require.LessOrEqual(t, prepared, 500)
	require.Greater(t, prepared, 400, "the recent ones stay prepared")
}
