// Package knowledgetest holds what tests, benchmarks and the fake AI
// provider share about the knowledge base: a deterministic embedding, so
// hybrid retrieval can be measured and tested without a model.
package knowledgetest

import (
	"context"
	"hash/fnv"
	"math"

	"github.com/switchboard/switchboard/bridge/knowledge"
)

// Dimensions is the length of Embed's vectors.
const Dimensions = 256

// trigramWeight is a word piece's weight against a whole word's 1: pieces
// let "devolucion" and "devolucao" or "refund" and "refunded" be near
// without drowning the words themselves.
const trigramWeight = 0.5

// Embed is a deterministic embedding of text: the fake OpenAI server
// (adapters/openai/openaitest) answers /v1/embeddings with it, and the
// retrieval benchmark uses it for hybrid recall. Similar texts get
// similar vectors (shared words and word pieces), unit length.
//
// It is the hashing trick: every analysed word (knowledge.Analyze: case
// and accents folded, stop words dropped, lightly stemmed) and every
// character trigram of it ("#re", "ref", …, "nd#") adds ±weight to one of
// Dimensions coordinates picked by its FNV-1a hash (the sign by another
// bit, so collisions cancel out on average instead of piling up).
func Embed(text string) []float32 {
	v := make([]float32, Dimensions)
	add := func(feature string, weight float32) {
		h := fnv.New64a()
		h.Write([]byte(feature))
		sum := h.Sum64()
		i := sum % Dimensions
		if (sum>>32)&1 == 1 {
			weight = -weight
		}
		v[i] += weight
	}
	for _, w := range knowledge.Analyze(text) {
		add("w:"+w, 1)
		padded := []rune("#" + w + "#")
		for i := 0; i+3 <= len(padded); i++ {
			add("t:"+string(padded[i:i+3]), trigramWeight)
		}
	}
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v // no words: the zero vector, similar to nothing
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// Embedder is Embed as a knowledge.Embedder, for tests and benchmarks
// that need no fake server.
type Embedder struct{}

var _ knowledge.Embedder = Embedder{}

// Model names the embedding.
func (Embedder) Model() string { return "knowledgetest-hash-256" }

// Embed embeds each text.
func (Embedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = Embed(t)
	}
	return out, nil
}
