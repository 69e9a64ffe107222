package knowledge_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

type question struct {
	Q      string   `yaml:"q"`
	Expect []string `yaml:"expect"`
}

// labelled indexes testdata/kb into a SQLite database (with the test
// embedding when embedder is set) and loads testdata/questions.yaml.
func labelled(t testing.TB, embedder knowledge.Embedder) (*knowledge.Index, []question) {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile("testdata/questions.yaml")
	require.NoError(t, err)
	var qs []question
	require.NoError(t, yaml.Unmarshal(data, &qs))
	require.GreaterOrEqual(t, len(qs), 40)

	db := storagetest.Open(t, storage.SQLite)
	s := &knowledge.Syncer{Store: db, Embedder: embedder}
	res, err := s.Sync(ctx, []knowledge.Source{{Path: "testdata/kb"}})
	require.NoError(t, err)
	require.Empty(t, res.Problems)
	require.GreaterOrEqual(t, res.Documents, 20)
	return knowledge.NewIndex(db, knowledge.IndexOptions{Embedder: embedder}), qs
}

// recallAt3 is the share of questions with an expected file among the
// first three passages; missed lists the others.
func recallAt3(t testing.TB, index *knowledge.Index, qs []question) (recall float64, missed []string) {
	t.Helper()
	found := 0
	for _, q := range qs {
		got, err := index.Search(context.Background(), "", q.Q, 3)
		require.NoError(t, err)
		hit := false
		var cites []string
		for _, p := range got {
			cites = append(cites, p.Citation())
			hit = hit || slices.Contains(q.Expect, p.Source)
		}
		if hit {
			found++
		} else {
			missed = append(missed, fmt.Sprintf("%q → %s", q.Q, strings.Join(cites, "; ")))
		}
	}
	return float64(found) / float64(len(qs)), missed
}

// TestRetrievalRecallFloor keeps BM25 alone at recall@3 ≥ 0.85 on the
// labelled questions: a quality floor (the figures are the benchmark's).
func TestRetrievalRecallFloor(t *testing.T) {
	for _, c := range []struct {
		name     string
		embedder knowledge.Embedder
	}{{"bm25", nil}, {"hybrid", knowledgetest.Embedder{}}} {
		t.Run(c.name, func(t *testing.T) {
			index, qs := labelled(t, c.embedder)
			recall, missed := recallAt3(t, index, qs)
			t.Logf("recall@3 %.3f over %d questions; missed:\n%s", recall, len(qs), strings.Join(missed, "\n"))
			require.GreaterOrEqual(t, recall, 0.85)
		})
	}
}

// BenchmarkRetrievalRecall reports recall@3 of BM25 alone and of hybrid
// retrieval with the deterministic test embedding.
func BenchmarkRetrievalRecall(b *testing.B) {
	for _, c := range []struct {
		name     string
		embedder knowledge.Embedder
	}{{"bm25", nil}, {"hybrid", knowledgetest.Embedder{}}} {
		b.Run(c.name, func(b *testing.B) {
			index, qs := labelled(b, c.embedder)
			var recall float64
			for b.Loop() {
				recall, _ = recallAt3(b, index, qs)
			}
			b.ReportMetric(recall, "recall@3")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkSearch measures one hybrid search over synthetic chunks: where
// brute-force cosine stops being fine (Index's doc comment).
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, mode := range []string{"bm25", "hybrid"} {
			b.Run(fmt.Sprintf("%s/%d", mode, n), func(b *testing.B) {
				opts := knowledge.IndexOptions{RefreshEvery: 1 << 62}
				if mode == "hybrid" {
					opts.Embedder = knowledgetest.Embedder{}
				}
				index := knowledge.NewIndex(newSyntheticStore(n), opts)
				ctx := context.Background()
				_, err := index.Search(ctx, "", "warm up", 1)
				require.NoError(b, err)
				for b.Loop() {
					_, err := index.Search(ctx, "", "how long does a refund take to reach my card", 5)
					require.NoError(b, err)
				}
			})
		}
	}
}

// newSyntheticStore holds n chunks of random words from a 5,000-word
// vocabulary, each with a random unit vector of the test dimensions.
type syntheticStore struct{ chunks []knowledge.Chunk }

func newSyntheticStore(n int) *syntheticStore {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", i)
	}
	vocab[0], vocab[1], vocab[2] = "refund", "card", "reach"
	s := &syntheticStore{}
	for i := range n {
		var b strings.Builder
		for range 120 {
			b.WriteString(vocab[r.IntN(len(vocab))] + " ")
		}
		v := make([]float32, knowledgetest.Dimensions)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		s.chunks = append(s.chunks, knowledge.Chunk{ID: int64(i + 1), Source: "s.md", Text: b.String(), Ordinal: i,
			Vector: v, VectorModel: knowledgetest.Embedder{}.Model()})
	}
	return s
}

// The synthetic chunks are a static list, not a database: loading 100k
// rows into SQLite would measure the load, and the benchmark is about
// searching the loaded index.
func (s *syntheticStore) Chunks(context.Context) ([]knowledge.Chunk, error) { return s.chunks, nil }
func (s *syntheticStore) Version(context.Context) (int64, error)            { return 1, nil }
func (s *syntheticStore) ReplaceDocument(context.Context, knowledge.Document, []knowledge.Chunk, time.Time) (bool, error) {
	return false, errors.New("read-only")
}
func (s *syntheticStore) RemoveDocumentsExcept(context.Context, []string, []knowledge.SourceKey) (int, error) {
	return 0, errors.New("read-only")
}
func (s *syntheticStore) SetVectors(context.Context, string, map[int64][]float32) error {
	return errors.New("read-only")
}
