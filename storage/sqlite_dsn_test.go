package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// A SQLite path holding what a file: URI gives a meaning to ("#", "?",
// "%") opens exactly that file: repeated subtest names ("TestX#01") once
// cut the path at "#", so subtests shared one database.
func TestSQLitePathWithURICharacters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	cases := []struct{ name, dir string }{
		{"a repeated subtest's #01", "TestX#01"},
		{"a repeated subtest's #02", "TestX#02"},
		{"a question mark", "what?"},
		{"a percent escape", "100%41"},
		{"a percent sign alone", "100%"},
	}
	for i, tc := range cases {
		path := filepath.Join(base, tc.dir, "switchboard.db")
		db, err := storage.Open(ctx, "sqlite:"+path, 1)
		require.NoError(t, err, tc.name)
		_, err = db.ExecContext(ctx, `CREATE TABLE marker (n INTEGER)`)
		require.NoError(t, err, "%s: a fresh database, not one an earlier case created", tc.name)
		_, err = db.ExecContext(ctx, `INSERT INTO marker (n) VALUES (?)`, i)
		require.NoError(t, err)
		require.NoError(t, db.Close())
		_, err = os.Stat(path)
		require.NoError(t, err, "%s: the file is where the path says", tc.name)
	}
	entries, err := os.ReadDir(base)
	require.NoError(t, err)
	require.Len(t, entries, len(cases), "one folder per case and nothing else")
}

// Subtests of one name ("same", "same#01", "same#02") each get their own
// SQLite database from storagetest.
func TestRepeatedSubtestNamesGetTheirOwnSQLiteDatabase(t *testing.T) {
	t.Parallel()
	for i := range 3 {
		t.Run("same", func(t *testing.T) {
			db := storagetest.Open(t, storage.SQLite)
			var n int
			require.NoError(t, db.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM conversations`))
			require.Zero(t, n, "run %d starts empty", i)
			_, err := db.ExecContext(context.Background(), `CREATE TABLE only_mine (n INTEGER)`)
			require.NoError(t, err, "run %d (%s) has a database of its own", i, t.Name())
		})
	}
}
