// Package knowledge is a team's knowledge base: documents (Markdown, text,
// HTML, PDF) cut into overlapping chunks, stored in the database so every
// replica shares them, and searched by BM25 and, when the AI provider
// gives embeddings, by vectors too, the two lists merged by reciprocal
// rank fusion. It is pure apart from reading files: storage keeps the
// chunks (Store), the AI provider computes vectors (Embedder).
//
// This file is the package's contract; the rest of the package implements it.
package knowledge

import (
	"context"
	"time"
)

// Document is one source file or page as plain text.
type Document struct {
	// Team owns it; "" is the global knowledge base every team reads.
	Team string
	// Source names it for citations: a path relative to its configured
	// folder ("billing/refunds.md") or a URL.
	Source string
	// Title is its first heading or file name.
	Title string
	// Text is the plain text, with Markdown-style headings ("# …") kept
	// so chunks know the heading they fall under.
	Text string
	// Hash is the content's SHA-256 (hex): an unchanged document is not
	// chunked or embedded again.
	Hash string
}

// Chunk is one retrievable piece of a document.
type Chunk struct {
	ID      int64
	Team    string
	Source  string
	Heading string // the nearest heading above the chunk ("Refunds › Timing")
	Text    string
	Ordinal int // position in its document, from 0
	// Vector is the chunk's embedding (nil when none was computed);
	// VectorModel names the model that computed it, so a model change
	// re-embeds instead of comparing vectors of two spaces.
	Vector      []float32
	VectorModel string
}

// Passage is a chunk found for a query, with how it ranked.
type Passage struct {
	ChunkID int64
	Team    string
	Source  string
	Heading string
	Text    string
	// Score is the fused score (higher is better); BM25 and Cosine are
	// the parts it came from (0 when that retriever did not find it).
	Score  float64
	BM25   float64
	Cosine float64
	// Coverage is the share (0–1) of the query's distinct terms, after
	// analysis (case, accents, stems), that the passage contains: a
	// retriever-independent measure of how well it answers the query,
	// which the assistant turns into its confidence.
	Coverage float64
}

// Citation is how a passage is cited in a thread: "billing/refunds.md › Timing".
func (p Passage) Citation() string {
	if p.Heading == "" {
		return p.Source
	}
	return p.Source + " › " + p.Heading
}

// Retriever finds the passages that best answer query for team (the
// team's own documents and the global ones), best first, at most k.
// Implementations are safe for concurrent use.
type Retriever interface {
	Search(ctx context.Context, team, query string, k int) ([]Passage, error)
}

// Embedder turns texts into vectors (the AI provider's embeddings); the
// index uses it for chunks when they are stored and for queries.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Model names the embedding model, stored with each vector.
	Model() string
}

// SourceKey names one stored document.
type SourceKey struct{ Team, Source string }

// Store keeps chunks in the database (storage implements it). Every
// replica indexes from it; Version tells a replica its index is stale.
type Store interface {
	// ReplaceDocument stores doc's chunks in place of the ones it had,
	// unless the stored hash is doc.Hash already (changed=false).
	ReplaceDocument(ctx context.Context, doc Document, chunks []Chunk, at time.Time) (changed bool, err error)
	// RemoveDocumentsExcept deletes every stored document of the given
	// teams that is not in keep (a file removed from its folder).
	RemoveDocumentsExcept(ctx context.Context, teams []string, keep []SourceKey) (removed int, err error)
	// Chunks lists every stored chunk, with vectors.
	Chunks(ctx context.Context) ([]Chunk, error)
	// SetVectors stores embeddings computed by model for chunks by id.
	SetVectors(ctx context.Context, model string, vectors map[int64][]float32) error
	// Version changes whenever a document is replaced or removed or
	// vectors are stored, so other replicas reload.
	Version(ctx context.Context) (int64, error)
}
