package storage

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/switchboard/switchboard/bridge/knowledge"
)

// DB keeps the knowledge base (migration 0017): every replica builds its
// search index from these rows.
var _ knowledge.Store = (*DB)(nil)

const (
	// upsertDocumentSQL updates a stored document only when its hash
	// changed, so RETURNING gives no row for an unchanged one. The
	// statement itself settles two replicas indexing the same file: the
	// second waits on the row and then sees the first one's hash.
	upsertDocumentSQL = `INSERT INTO kb_documents (team, source, title, hash, indexed_ms) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (team, source) DO UPDATE SET title = excluded.title, hash = excluded.hash, indexed_ms = excluded.indexed_ms
WHERE kb_documents.hash <> excluded.hash
RETURNING id`
	deleteChunksSQL = `DELETE FROM kb_chunks WHERE document = ?`
	insertChunkSQL  = `INSERT INTO kb_chunks (document, team, source, heading, body, ordinal, vector, vector_model)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	listChunksSQL = `SELECT id, team, source, heading, body, ordinal, vector, vector_model FROM kb_chunks
ORDER BY team, source, ordinal`
	listDocumentsSQL = `SELECT id, team, source FROM kb_documents`
	deleteDocSQL     = `DELETE FROM kb_documents WHERE id = ?`
	setVectorSQL     = `UPDATE kb_chunks SET vector = ?, vector_model = ? WHERE id = ?`
	bumpKBSQL        = `UPDATE kb_version SET version = version + 1 WHERE id = 1`
	kbVersionSQL     = `SELECT version FROM kb_version WHERE id = 1`
)

type kbChunkRow struct {
	ID          int64  `db:"id"`
	Team        string `db:"team"`
	Source      string `db:"source"`
	Heading     string `db:"heading"`
	Body        string `db:"body"`
	Ordinal     int    `db:"ordinal"`
	Vector      []byte `db:"vector"`
	VectorModel string `db:"vector_model"`
}

// ReplaceDocument stores doc's chunks in place of its old ones, in one
// transaction with the version bump, unless its hash is unchanged.
func (db *DB) ReplaceDocument(ctx context.Context, doc knowledge.Document, chunks []knowledge.Chunk, at time.Time) (bool, error) {
	changed := false
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, tx.Rebind(upsertDocumentSQL), doc.Team, doc.Source, doc.Title, doc.Hash, toMs(at)); err != nil {
			return fmt.Errorf("store document %s: %w", doc.Source, err)
		}
		if len(ids) == 0 {
			return nil // unchanged
		}
		changed = true
		if _, err := tx.ExecContext(ctx, tx.Rebind(deleteChunksSQL), ids[0]); err != nil {
			return fmt.Errorf("drop old chunks of %s: %w", doc.Source, err)
		}
		insert := tx.Rebind(insertChunkSQL)
		for _, c := range chunks {
			if _, err := tx.ExecContext(ctx, insert, ids[0], doc.Team, doc.Source, c.Heading, c.Text, c.Ordinal,
				encodeVector(c.Vector), c.VectorModel); err != nil {
				return fmt.Errorf("store chunk %d of %s: %w", c.Ordinal, doc.Source, err)
			}
		}
		return bumpKB(ctx, tx)
	})
	return changed, err
}

// RemoveDocumentsExcept deletes the documents of teams not in keep (their
// chunks go with them, ON DELETE CASCADE).
func (db *DB) RemoveDocumentsExcept(ctx context.Context, teams []string, keep []knowledge.SourceKey) (int, error) {
	inTeams := map[string]bool{}
	for _, t := range teams {
		inTeams[t] = true
	}
	kept := map[knowledge.SourceKey]bool{}
	for _, k := range keep {
		kept[k] = true
	}
	removed := 0
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var docs []struct {
			ID     int64  `db:"id"`
			Team   string `db:"team"`
			Source string `db:"source"`
		}
		if err := tx.SelectContext(ctx, &docs, listDocumentsSQL); err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		for _, d := range docs {
			if !inTeams[d.Team] || kept[knowledge.SourceKey{Team: d.Team, Source: d.Source}] {
				continue
			}
			// Chunks first: SQLite enforces ON DELETE CASCADE only with
			// foreign keys on, which a hand-opened database may not have.
			if _, err := tx.ExecContext(ctx, tx.Rebind(deleteChunksSQL), d.ID); err != nil {
				return fmt.Errorf("drop chunks of %s: %w", d.Source, err)
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(deleteDocSQL), d.ID); err != nil {
				return fmt.Errorf("drop document %s: %w", d.Source, err)
			}
			removed++
		}
		if removed == 0 {
			return nil
		}
		return bumpKB(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	return removed, nil
}

// Chunks lists every stored chunk with its vector.
func (db *DB) Chunks(ctx context.Context) ([]knowledge.Chunk, error) {
	var rows []kbChunkRow
	if err := db.SelectContext(ctx, &rows, listChunksSQL); err != nil {
		return nil, fmt.Errorf("list knowledge chunks: %w", err)
	}
	out := make([]knowledge.Chunk, len(rows))
	for i, r := range rows {
		out[i] = knowledge.Chunk{ID: r.ID, Team: r.Team, Source: r.Source, Heading: r.Heading, Text: r.Body,
			Ordinal: r.Ordinal, Vector: decodeVector(r.Vector), VectorModel: r.VectorModel}
	}
	return out, nil
}

// SetVectors stores embeddings and bumps the version, so other replicas
// load them too.
func (db *DB) SetVectors(ctx context.Context, model string, vectors map[int64][]float32) error {
	if len(vectors) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *sqlx.Tx) error {
		set := tx.Rebind(setVectorSQL)
		for id, v := range vectors {
			if _, err := tx.ExecContext(ctx, set, encodeVector(v), model, id); err != nil {
				return fmt.Errorf("store vector of chunk %d: %w", id, err)
			}
		}
		return bumpKB(ctx, tx)
	})
}

// Version is the knowledge base's change counter.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := db.GetContext(ctx, &v, kbVersionSQL); err != nil {
		return 0, fmt.Errorf("read knowledge version: %w", err)
	}
	return v, nil
}

func bumpKB(ctx context.Context, tx *sqlx.Tx) error {
	if _, err := tx.ExecContext(ctx, bumpKBSQL); err != nil {
		return fmt.Errorf("bump knowledge version: %w", err)
	}
	return nil
}

// inTx runs fn in one transaction of the pool.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// encodeVector stores a vector as little-endian float32s (nil stays NULL).
func encodeVector(v []float32) []byte {
	if v == nil {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	if len(b) == 0 {
		return nil
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
