package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// AI drafts and conversation summaries (bridge/store_assist.go SuggestTx).
// A draft's state moves by a conditional update (WHERE state = from): of
// two presses of Send racing each other, one moves it and the other finds
// it moved, on both databases.
const (
	draftColumns   = `id, conversation_id, user_id, text, language, sources, state, created_ms`
	insertDraftSQL = `INSERT INTO ai_drafts (conversation_id, user_id, text, language, sources, state, created_ms, updated_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	getDraftSQL        = `SELECT ` + draftColumns + ` FROM ai_drafts WHERE id = ?`
	moveDraftSQL       = `UPDATE ai_drafts SET state = ?, updated_ms = ? WHERE id = ? AND state = ?`
	addSummarySQL      = `INSERT INTO conversation_summaries (conversation_id, reason, text, created_ms) VALUES (?, ?, ?, ?)`
	forgetSummariesSQL = `DELETE FROM conversation_summaries WHERE conversation_id = ?`
	forgetDraftsSQL    = `UPDATE ai_drafts SET text = '', updated_ms = ?,
state = CASE WHEN state = 'shown' THEN 'discarded' ELSE state END WHERE conversation_id = ?`
	// A customer's deletion is a 'deleted' revision of the original (m,
	// whose conversation's AI text it erases) with the stored revoke as
	// its source (s, customeredit.go): s.created_ms is when we stored it.
	// The revoke itself may sit in a newer conversation.
	customerDeletedSinceSQL = `SELECT COUNT(*) FROM message_revisions r
JOIN messages m ON m.id = r.message_id JOIN messages s ON s.id = r.source_id
WHERE r.kind = 'deleted' AND m.conversation_id = ? AND m.direction = 'in' AND s.created_ms >= ?`
	latestSummarySQL = `SELECT conversation_id, reason, text, created_ms FROM conversation_summaries
WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`
)

type draftRow struct {
	ID             int64  `db:"id"`
	ConversationID int64  `db:"conversation_id"`
	UserID         string `db:"user_id"`
	Text           string `db:"text"`
	Language       string `db:"language"`
	Sources        string `db:"sources"`
	State          string `db:"state"`
	CreatedMs      int64  `db:"created_ms"`
}

// draftSource is what a draft keeps of a cited passage: where it is, not
// what it says (the knowledge base may change; the citation stays true to
// what the agent was shown).
type draftSource struct {
	ChunkID int64  `json:"chunk_id,omitempty"`
	Team    string `json:"team,omitempty"`
	Source  string `json:"source"`
	Heading string `json:"heading,omitempty"`
}

type summaryRow struct {
	ConversationID int64  `db:"conversation_id"`
	Reason         string `db:"reason"`
	Text           string `db:"text"`
	CreatedMs      int64  `db:"created_ms"`
}

func (r *txRepo) InsertDraft(ctx context.Context, d bridge.Draft) (bridge.DraftID, error) {
	sources := make([]draftSource, 0, len(d.Sources))
	for _, p := range d.Sources {
		sources = append(sources, draftSource{ChunkID: p.ChunkID, Team: p.Team, Source: p.Source, Heading: p.Heading})
	}
	raw, err := json.Marshal(sources)
	if err != nil {
		return 0, fmt.Errorf("encode draft sources: %w", err)
	}
	state := d.State
	if state == "" {
		state = bridge.DraftShown
	}
	var id int64
	if err := r.get(ctx, &id, insertDraftSQL, int64(d.ConversationID), d.UserID, d.Text, d.Language, string(raw),
		string(state), toMs(d.At), toMs(d.At)); err != nil {
		return 0, fmt.Errorf("insert draft: %w", err)
	}
	return bridge.DraftID(id), nil
}

func (r *txRepo) GetDraft(ctx context.Context, id bridge.DraftID) (bridge.Draft, error) {
	var row draftRow
	if err := notFound(r.get(ctx, &row, getDraftSQL, int64(id)), fmt.Sprintf("draft %d", id)); err != nil {
		return bridge.Draft{}, err
	}
	var sources []draftSource
	if err := json.Unmarshal([]byte(row.Sources), &sources); err != nil {
		return bridge.Draft{}, fmt.Errorf("decode sources of draft %d: %w", id, err)
	}
	d := bridge.Draft{ID: bridge.DraftID(row.ID), ConversationID: bridge.ConversationID(row.ConversationID), UserID: row.UserID,
		Text: row.Text, Language: row.Language, State: bridge.DraftState(row.State), At: fromMs(row.CreatedMs)}
	for _, s := range sources {
		d.Sources = append(d.Sources, knowledge.Passage{ChunkID: s.ChunkID, Team: s.Team, Source: s.Source, Heading: s.Heading})
	}
	return d, nil
}

func (r *txRepo) MoveDraft(ctx context.Context, id bridge.DraftID, from, to bridge.DraftState, at time.Time) (bool, error) {
	res, err := r.exec(ctx, moveDraftSQL, string(to), toMs(at), int64(id), string(from))
	if err != nil {
		return false, fmt.Errorf("move draft %d to %s: %w", id, to, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) AddSummary(ctx context.Context, s bridge.ConversationSummary) error {
	if _, err := r.exec(ctx, addSummarySQL, int64(s.ConversationID), s.Reason, s.Text, toMs(s.At)); err != nil {
		return fmt.Errorf("add summary of conversation %d: %w", s.ConversationID, err)
	}
	return nil
}

func (r *txRepo) LatestSummary(ctx context.Context, conv bridge.ConversationID) (bridge.ConversationSummary, error) {
	var row summaryRow
	if err := notFound(r.get(ctx, &row, latestSummarySQL, int64(conv)), fmt.Sprintf("summary of conversation %d", conv)); err != nil {
		return bridge.ConversationSummary{}, err
	}
	return bridge.ConversationSummary{ConversationID: bridge.ConversationID(row.ConversationID), Reason: row.Reason,
		Text: row.Text, At: fromMs(row.CreatedMs)}, nil
}

func (r *txRepo) ForgetAIText(ctx context.Context, conv bridge.ConversationID, at time.Time) error {
	if _, err := r.exec(ctx, forgetSummariesSQL, int64(conv)); err != nil {
		return fmt.Errorf("delete summaries of conversation %d: %w", conv, err)
	}
	if _, err := r.exec(ctx, forgetDraftsSQL, toMs(at), int64(conv)); err != nil {
		return fmt.Errorf("blank drafts of conversation %d: %w", conv, err)
	}
	return nil
}

func (r *txRepo) CustomerDeletedSince(ctx context.Context, conv bridge.ConversationID, since time.Time) (bool, error) {
	var n int64
	if err := r.get(ctx, &n, customerDeletedSinceSQL, int64(conv), toMs(since)); err != nil {
		return false, fmt.Errorf("deletions in conversation %d: %w", conv, err)
	}
	return n > 0, nil
}

var _ bridge.SuggestTx = (*txRepo)(nil)
