package storage_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// Reports split by channel and filtered by label read the summary exactly
// as the reference replays the log, on both databases: conversations of
// inbox in2 are on Messenger, a third of the people are labelled vip.
func TestReportByChannelAndLabel(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	day := time.Date(2025, 3, 27, 0, 0, 0, 0, loc)
	now := day.Add(36 * time.Hour)
	week := report.LastDays(day, loc, 7)
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			randomLog(t, db, day, 120, 7)
			// Before the first refresh: the summary is written with the
			// channel the conversation has.
			_, err := db.ExecContext(ctx, `UPDATE conversations SET channel = 'messenger' WHERE inbox = 'in2'`)
			require.NoError(t, err)
			_, err = db.ExecContext(ctx, `INSERT INTO person_labels (person_id, label, created_ms)
SELECT DISTINCT person_id, 'vip', 0 FROM contacts WHERE id % 3 = 0`)
			require.NoError(t, err)
			source := storage.ReportSource{DB: db}
			for _, f := range []report.Filter{{}, {Team: "support"}, {Channel: "messenger"}, {Team: "sales", Channel: "whatsapp", ByAgent: true},
				{Label: "vip"}, {Team: "support", Label: "vip", Channel: "messenger"}, {Agent: "U2", Label: "vip"}, {Label: "nobody"}} {
				want, err := report.Loader(db.LoadReportFacts).Metrics(ctx, week, f, report.Options{}, now)
				require.NoError(t, err)
				got, err := source.Metrics(ctx, week, f, report.Options{}, now)
				require.NoError(t, err)
				require.Equal(t, want, got, "filter %+v", f)
			}

			all, err := source.Metrics(ctx, week, report.Filter{}, report.Options{}, now)
			require.NoError(t, err)
			require.Len(t, all.Channels, 2, "a row per channel")
			require.Equal(t, "messenger", all.Channels[0].Channel)
			require.Equal(t, "whatsapp", all.Channels[1].Channel)
			require.NotZero(t, all.Channels[0].Received)
			require.NotZero(t, all.Channels[1].Received)
			require.Equal(t, all.Counts.Received, all.Channels[0].Received+all.Channels[1].Received)
			require.Equal(t, all.Backlog.Open, all.Channels[0].Open+all.Channels[1].Open)

			messenger, err := source.Metrics(ctx, week, report.Filter{Channel: "messenger"}, report.Options{}, now)
			require.NoError(t, err)
			require.Equal(t, all.Channels[0].Received, messenger.Counts.Received)
			require.Equal(t, all.Channels[0].Open, messenger.Backlog.Open)

			vip, err := source.Metrics(ctx, week, report.Filter{Label: "vip"}, report.Options{}, now)
			require.NoError(t, err)
			require.NotZero(t, vip.Counts.Received)
			require.Less(t, vip.Counts.Received, all.Counts.Received, "the label narrows the figures")
			nobody, err := source.Metrics(ctx, week, report.Filter{Label: "nobody"}, report.Options{}, now)
			require.NoError(t, err)
			require.Zero(t, nobody.Counts.Received)
			require.Empty(t, nobody.Channels)

			// A label added later counts at once: the filter reads today's
			// labels, not a summary of them.
			_, err = db.ExecContext(ctx, `INSERT INTO person_labels (person_id, label, created_ms) SELECT DISTINCT person_id, 'nobody', 0 FROM contacts`)
			require.NoError(t, err)
			nobody, err = source.Metrics(ctx, week, report.Filter{Label: "nobody"}, report.Options{}, now)
			require.NoError(t, err)
			require.Equal(t, all.Counts, nobody.Counts)
		})
	}
}

// Migration 0029 backfills the channel of observations summarised before
// it; its UPDATE is run again here over rows written as WhatsApp.
func TestReportChannelBackfill(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2025, 3, 27, 0, 0, 0, 0, time.UTC)
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			db := storagetest.Open(t, dialect)
			randomLog(t, db, day, 20, 3)
			_, err := db.RefreshReport(ctx, nil)
			require.NoError(t, err)
			// As before the migration: every observation WhatsApp, some
			// conversations on Messenger.
			_, err = db.ExecContext(ctx, `UPDATE conversations SET channel = 'messenger' WHERE inbox = 'in2'`)
			require.NoError(t, err)
			_, err = db.ExecContext(ctx, `UPDATE report_observations SET channel = 'whatsapp'`)
			require.NoError(t, err)
			mismatched := func() int {
				var n int
				require.NoError(t, db.GetContext(ctx, &n, `SELECT COUNT(*) FROM report_observations o JOIN conversations c ON c.id = o.conversation_id
WHERE o.channel <> c.channel`))
				return n
			}
			require.NotZero(t, mismatched())
			sql, err := os.ReadFile("migrations/" + dialect + "/0029_report_channel.sql")
			require.NoError(t, err)
			var update string
			for _, stmt := range strings.Split(string(sql), ";") {
				if i := strings.Index(stmt, "UPDATE report_observations"); i >= 0 {
					update = stmt[i:]
				}
			}
			require.NotEmpty(t, update)
			_, err = db.ExecContext(ctx, update)
			require.NoError(t, err)
			require.Zero(t, mismatched())
		})
	}
}
