package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

const docDatabase = "docs/doctor.md#database"

// database checks that the database answers and every migration is
// applied, as /readyz does, naming what is pending.
func (c *checker) database(ctx context.Context) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	url := app.DatabaseURL(c.cfg)
	dialect := c.cfg.Database.Dialect()
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok && path != ":memory:" {
		// Opening a SQLite file that is not there would create it; the
		// doctor changes nothing.
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			c.fail("database", "reachable", fmt.Sprintf("SQLite file %s does not exist", path),
				"run `switchboard migrate` to create it, or correct database.url (SWITCHBOARD_DATABASE_URL)", docDatabase)
			return
		}
	}
	db, err := storage.Open(ctx, url, 1)
	if err != nil {
		c.fail("database", "reachable", fmt.Sprintf("%s: %v", dialect, err),
			"start the database or correct database.url (SWITCHBOARD_DATABASE_URL), then run `switchboard migrate`", docDatabase)
		return
	}
	defer db.Close()
	c.ok("database", "reachable", dialect+" answers")
	pending, err := db.PendingMigrations(ctx)
	switch {
	case err != nil:
		c.fail("database", "migrations", fmt.Sprintf("cannot read the applied migrations: %v", err),
			"run `switchboard migrate`", docDatabase)
	case len(pending) > 0:
		c.fail("database", "migrations", fmt.Sprintf("%d pending: %s", len(pending), strings.Join(pending, ", ")),
			"run `switchboard migrate` (serve also migrates at start-up)", docDatabase)
	default:
		c.ok("database", "migrations", "all applied")
	}
}
