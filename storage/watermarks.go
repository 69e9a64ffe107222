package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

const (
	// advanceWatermarkSQL only ever moves a mark forward, so a replay or a
	// late writer cannot take it back.
	advanceWatermarkSQL = `INSERT INTO thread_watermarks (workspace, thread_key, message_id, updated_ms) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace, thread_key) DO UPDATE SET message_id = excluded.message_id, updated_ms = excluded.updated_ms
WHERE excluded.message_id > thread_watermarks.message_id`
	// recentThreadsSQL lists the current threads of open conversations
	// touched since a time (opened, a customer message, a thread made, an
	// agent message stored), newest first.
	recentThreadsSQL = `SELECT t.channel_id, t.thread_key, COALESCE(w.message_id, 0) AS message_id
FROM threads t
JOIN conversations c ON c.id = t.conversation_id
LEFT JOIN thread_watermarks w ON w.workspace = t.workspace AND w.thread_key = t.thread_key
WHERE t.workspace = ? AND t.thread_key <> '' AND t.is_current = ? AND c.state <> 'resolved'
  AND (c.opened_ms >= ? OR c.last_customer_ms >= ? OR t.created_ms >= ? OR COALESCE(w.updated_ms, 0) >= ?)
ORDER BY t.id DESC
LIMIT ?`
)

// ThreadWatermark is a thread and the id of the newest of its messages
// stored; MessageID is "" when none was.
type ThreadWatermark struct {
	ChannelID string
	ThreadKey string
	MessageID string
}

// AdvanceWatermark records messageID (a decimal snowflake) as stored in
// the thread, unless a newer one already is.
func (db *DB) AdvanceWatermark(ctx context.Context, workspace, threadKey, messageID string, now time.Time) error {
	id, err := strconv.ParseInt(messageID, 10, 64)
	if err != nil {
		return fmt.Errorf("advance watermark of %s: message id %q is not a number", threadKey, messageID)
	}
	if _, err := db.ExecContext(ctx, db.Rebind(advanceWatermarkSQL), workspace, threadKey, id, toMs(now)); err != nil {
		return fmt.Errorf("advance watermark of %s: %w", threadKey, err)
	}
	return nil
}

// RecentThreads returns at most limit current threads of open
// conversations in workspace touched since since, with their watermarks.
func (db *DB) RecentThreads(ctx context.Context, workspace string, since time.Time, limit int) ([]ThreadWatermark, error) {
	var rows []struct {
		ChannelID string `db:"channel_id"`
		ThreadKey string `db:"thread_key"`
		MessageID int64  `db:"message_id"`
	}
	ms := toMs(since)
	if err := db.SelectContext(ctx, &rows, db.Rebind(recentThreadsSQL), workspace, true, ms, ms, ms, ms, limit); err != nil {
		return nil, fmt.Errorf("recent threads of %s: %w", workspace, err)
	}
	out := make([]ThreadWatermark, 0, len(rows))
	for _, r := range rows {
		w := ThreadWatermark{ChannelID: r.ChannelID, ThreadKey: r.ThreadKey}
		if r.MessageID != 0 {
			w.MessageID = strconv.FormatInt(r.MessageID, 10)
		}
		out = append(out, w)
	}
	return out, nil
}
