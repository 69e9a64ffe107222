package storage

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
)

// rehomeThreadSQL moves a thread only while it has no key: once the
// open-thread delivery has run, the thread exists on the platform where
// it is and a new channel would point nowhere.
const rehomeThreadSQL = `UPDATE threads SET workspace = ?, channel_id = ? WHERE id = ? AND thread_key = ''`

func (r *txRepo) RehomeThread(ctx context.Context, threadID int64, ref bridge.ThreadRef) error {
	res, err := r.exec(ctx, rehomeThreadSQL, string(ref.Workspace), ref.ChannelID, threadID)
	if err != nil {
		return fmt.Errorf("rehome thread %d: %w", threadID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("rehome thread %d (opened already, or gone): %w", threadID, bridge.ErrNotFound)
	}
	return nil
}
