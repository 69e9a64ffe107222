// Package knowledgetest holds what tests, benchmarks and the fake AI
// provider share about the knowledge base: a deterministic embedding, so
// hybrid retrieval can be measured and tested without a model.
package knowledgetest

// Dimensions is the length of Embed's vectors.
const Dimensions = 256

// Embed is a deterministic embedding of text: the fake OpenAI server
// (adapters/openai/openaitest) answers /v1/embeddings with it, and the
// retrieval benchmark uses it for hybrid recall. Similar texts get
// similar vectors (shared words and word pieces), unit length.
func Embed(text string) []float32 {
	v := make([]float32, Dimensions)
	v[0] = 1 // TODO(knowledge): the real hashing embedding
	return v
}
