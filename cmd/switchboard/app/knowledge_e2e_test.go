package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
)

// The knowledge base is indexed in the background at start-up and again
// when a watched folder changes: a new file becomes searchable, a removed
// one disappears, without a restart. A second replica on the same
// database that lists no sources searches the same documents.
func TestKnowledgeIndexedAtStartAndWhenFilesChange(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		write := func(name, text string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
		}
		write("refunds.md", "# Refunds\n\n## Timing\n\nA refund reaches your card within 5 working days.\n")
		e := setup(t, dialect, withTopLevel(fmt.Sprintf("assistant:\n  knowledge:\n    sources:\n      - team: support\n        path: %q\n", dir)))
		ctx := context.Background()
		// found reports the citation of the best passage for query ("" if none).
		found := func(query string) func() string {
			return func() string {
				got, err := e.app.Knowledge().Search(ctx, "support", query, 1)
				if err != nil || len(got) == 0 {
					return ""
				}
				return got[0].Citation()
			}
		}
		eventually := func(want string, get func() string, msg string) {
			t.Helper()
			require.Eventually(t, func() bool { return get() == want }, 15*time.Second, 20*time.Millisecond, "%s (last: %q)", msg, get())
		}
		eventually("refunds.md › Refunds › Timing", found("refund timing"), "indexed at start-up")

		write("shipping.md", "# Shipping\n\nParcels to the Canary Islands take 5 to 8 days.\n")
		eventually("shipping.md › Shipping", found("canary islands parcels"), "a new file in the watched folder is indexed")

		require.NoError(t, os.Remove(filepath.Join(dir, "refunds.md")))
		eventually("", found("refund timing"), "a removed file leaves the index")

		// Another replica: the same database, no sources of its own.
		cfg := *e.cfg
		cfg.Assistant.Knowledge.Sources = nil
		second, err := app.Build(ctx, &cfg, e.tune)
		require.NoError(t, err)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = second.Shutdown(ctx)
		})
		got, err := second.Knowledge().Search(ctx, "support", "canary islands parcels", 1)
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, "shipping.md › Shipping", got[0].Citation(), "the other replica reads the stored knowledge base")
	})
}
