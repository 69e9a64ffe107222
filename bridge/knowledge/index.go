package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// BM25 parameters: the usual ones (Robertson; Lucene's defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// rrfK is reciprocal rank fusion's constant (Cormack et al. 2009):
	// a passage's fused score is the sum of 1/(rrfK+rank) over the lists
	// it is in.
	rrfK = 60
	// depth is how far down each list fusion looks.
	depth = 50
)

// DefaultRefreshEvery is how often Search asks the store whether the
// knowledge base changed (one tiny query), so another replica's indexing
// reaches this one within seconds.
const DefaultRefreshEvery = 3 * time.Second

// IndexOptions configure an Index.
type IndexOptions struct {
	// Embedder, when set, adds vector search: queries are embedded and
	// compared with the stored vectors of the same model.
	Embedder Embedder
	// RefreshEvery bounds how often Search checks Store.Version
	// (DefaultRefreshEvery when 0; negative checks on every search).
	RefreshEvery time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log reports a failed refresh or query embedding (slog.Default when nil).
	Log *slog.Logger
}

// Index is the in-memory search index of the stored chunks: BM25 over the
// analysed words of each chunk's heading and text and, with an Embedder,
// brute-force cosine over the stored vectors, fused by reciprocal rank.
// It rebuilds itself from Store.Chunks when Store.Version changes.
//
// Brute-force cosine reads every vector of the scope for each query. With
// 256-dimension vectors it takes about 2 ms at 10k chunks and 20 ms at
// 100k on one core (BenchmarkSearch), and memory is 1 KB (256 float32)
// to 6 KB (1536) per chunk: fine up to ~100k chunks; beyond that, or with
// large vectors, use an approximate index (HNSW) or the database's own
// vector search (pgvector).
type Index struct {
	store Store
	opts  IndexOptions

	mu      sync.RWMutex
	snap    *snapshot
	checked time.Time

	refreshing sync.Mutex
}

var _ Retriever = (*Index)(nil)

// NewIndex returns an empty index over store; the first Search (or
// Refresh) loads it.
func NewIndex(store Store, opts IndexOptions) *Index {
	if opts.RefreshEvery == 0 {
		opts.RefreshEvery = DefaultRefreshEvery
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return &Index{store: store, opts: opts}
}

// Refresh reloads the chunks when the store's version differs from the
// loaded one.
func (x *Index) Refresh(ctx context.Context) error {
	x.refreshing.Lock()
	defer x.refreshing.Unlock()
	return x.refresh(ctx)
}

func (x *Index) refresh(ctx context.Context) error {
	version, err := x.store.Version(ctx)
	if err != nil {
		return err
	}
	x.mu.RLock()
	current := x.snap
	x.mu.RUnlock()
	if current != nil && current.version == version {
		x.mu.Lock()
		x.checked = x.opts.Now()
		x.mu.Unlock()
		return nil
	}
	chunks, err := x.store.Chunks(ctx)
	if err != nil {
		return err
	}
	model := ""
	if x.opts.Embedder != nil {
		model = x.opts.Embedder.Model()
	}
	s := build(chunks, model)
	s.version = version
	x.mu.Lock()
	x.snap, x.checked = s, x.opts.Now()
	x.mu.Unlock()
	return nil
}

// Len is the number of chunks loaded.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.snap == nil {
		return 0
	}
	return len(x.snap.chunks)
}

// ensureFresh refreshes when the last check is older than RefreshEvery.
// Only one search refreshes at a time; the others keep using the loaded
// snapshot meanwhile. A failed refresh keeps the old snapshot (logged);
// it fails the search only when nothing was ever loaded.
func (x *Index) ensureFresh(ctx context.Context) (*snapshot, error) {
	x.mu.RLock()
	s, checked := x.snap, x.checked
	x.mu.RUnlock()
	if s != nil && x.opts.RefreshEvery > 0 && x.opts.Now().Sub(checked) < x.opts.RefreshEvery {
		return s, nil
	}
	if s == nil {
		x.refreshing.Lock() // the first search waits for the load
	} else if !x.refreshing.TryLock() {
		return s, nil
	}
	err := x.refresh(ctx)
	x.refreshing.Unlock()
	x.mu.RLock()
	s = x.snap
	x.mu.RUnlock()
	if err != nil {
		if s == nil {
			return nil, fmt.Errorf("load the knowledge base: %w", err)
		}
		x.opts.Log.Warn("knowledge base refresh failed; searching the loaded index", "err", err)
	}
	return s, nil
}

// Search finds the k passages that best answer query among team's
// documents and the global ones.
func (x *Index) Search(ctx context.Context, team, query string, k int) ([]Passage, error) {
	s, err := x.ensureFresh(ctx)
	if err != nil {
		return nil, err
	}
	if k <= 0 {
		return nil, nil
	}
	terms := distinct(Analyze(query))
	var qv []float32
	if x.opts.Embedder != nil && s.vectors > 0 {
		vs, err := x.opts.Embedder.Embed(ctx, []string{query})
		switch {
		case err != nil:
			x.opts.Log.Warn("embedding the query failed; searching by BM25 alone", "err", err)
		case len(vs) == 1:
			qv = vs[0]
		}
	}
	return s.search(team, terms, qv, k), nil
}

// snapshot is one immutable load of the chunks.
type snapshot struct {
	version int64
	chunks  []Chunk
	terms   []map[string]int // per chunk: analysed term → frequency
	lengths []int
	avgLen  float64
	// postings lists, per term, the chunks containing it.
	postings map[string][]int
	// vecs holds the vectors of model, dims each, flat; hasVec[i] tells
	// whether chunk i has one (others are zero).
	vecs    []float32
	dims    int
	hasVec  []bool
	vectors int
}

func build(chunks []Chunk, model string) *snapshot {
	chunks = slices.Clone(chunks)
	s := &snapshot{chunks: chunks, terms: make([]map[string]int, len(chunks)), lengths: make([]int, len(chunks)),
		postings: map[string][]int{}, hasVec: make([]bool, len(chunks))}
	total := 0
	for i, c := range chunks {
		tf := map[string]int{}
		n := 0
		for _, t := range Analyze(c.Heading + "\n" + c.Text) {
			tf[t]++
			n++
		}
		s.terms[i], s.lengths[i] = tf, n
		total += n
		for t := range tf {
			s.postings[t] = append(s.postings[t], i)
		}
		if model != "" && c.VectorModel == model && len(c.Vector) > 0 && (s.dims == 0 || len(c.Vector) == s.dims) {
			s.dims = len(c.Vector)
			s.hasVec[i] = true
			s.vectors++
		}
	}
	if len(chunks) > 0 {
		s.avgLen = float64(total) / float64(len(chunks))
	}
	if s.vectors > 0 {
		s.vecs = make([]float32, len(chunks)*s.dims)
		for i, c := range chunks {
			if s.hasVec[i] {
				copy(s.vecs[i*s.dims:], normalised(c.Vector))
			}
		}
	}
	// The chunks' texts stay for the passages; the vectors now live in vecs.
	for i := range s.chunks {
		s.chunks[i].Vector = nil
	}
	return s
}

type hit struct {
	i     int
	score float64
}

func (s *snapshot) inScope(i int, team string) bool {
	t := s.chunks[i].Team
	return t == "" || t == team
}

// bm25 ranks the chunks of team's scope containing any of terms.
func (s *snapshot) bm25(team string, terms []string) []hit {
	scores := map[int]float64{}
	n := float64(len(s.chunks))
	for _, t := range terms {
		list := s.postings[t]
		if len(list) == 0 {
			continue
		}
		df := float64(len(list))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, i := range list {
			if !s.inScope(i, team) {
				continue
			}
			tf := float64(s.terms[i][t])
			norm := bm25K1 * (1 - bm25B + bm25B*float64(s.lengths[i])/s.avgLen)
			scores[i] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	hits := make([]hit, 0, len(scores))
	for i, sc := range scores {
		hits = append(hits, hit{i, sc})
	}
	return top(hits, depth)
}

// cosine ranks team's chunks by the cosine of their vector with q.
func (s *snapshot) cosine(team string, q []float32) []hit {
	if len(q) != s.dims {
		return nil
	}
	q = normalised(q)
	hits := make([]hit, 0, s.vectors)
	for i := range s.chunks {
		if !s.hasVec[i] || !s.inScope(i, team) {
			continue
		}
		v := s.vecs[i*s.dims : (i+1)*s.dims]
		var dot float32
		for j, x := range q {
			dot += x * v[j]
		}
		if dot > 0 {
			hits = append(hits, hit{i, float64(dot)})
		}
	}
	return top(hits, depth)
}

// search fuses the BM25 and cosine lists by reciprocal rank.
func (s *snapshot) search(team string, terms []string, q []float32, k int) []Passage {
	type part struct{ fused, bm25, cosine float64 }
	parts := map[int]*part{}
	get := func(i int) *part {
		p := parts[i]
		if p == nil {
			p = &part{}
			parts[i] = p
		}
		return p
	}
	for rank, h := range s.bm25(team, terms) {
		p := get(h.i)
		p.bm25 = h.score
		p.fused += 1 / float64(rrfK+rank+1)
	}
	if q != nil {
		for rank, h := range s.cosine(team, q) {
			p := get(h.i)
			p.cosine = h.score
			p.fused += 1 / float64(rrfK+rank+1)
		}
	}
	hits := make([]hit, 0, len(parts))
	for i, p := range parts {
		// BM25 breaks ties between equal fused ranks.
		hits = append(hits, hit{i, p.fused + p.bm25*1e-9})
	}
	hits = top(hits, k)
	out := make([]Passage, len(hits))
	for n, h := range hits {
		c, p := s.chunks[h.i], parts[h.i]
		out[n] = Passage{ChunkID: c.ID, Team: c.Team, Source: c.Source, Heading: c.Heading, Text: c.Text,
			Score: p.fused, BM25: p.bm25, Cosine: p.cosine, Coverage: coverage(terms, s.terms[h.i])}
	}
	return out
}

// coverage is the share of terms present in tf.
func coverage(terms []string, tf map[string]int) float64 {
	if len(terms) == 0 {
		return 0
	}
	found := 0
	for _, t := range terms {
		if tf[t] > 0 {
			found++
		}
	}
	return float64(found) / float64(len(terms))
}

// Coverage is the share of query's distinct analysed terms that text
// contains (Passage.Coverage), for callers that score text of their own.
func Coverage(query, text string) float64 {
	tf := map[string]int{}
	for _, t := range Analyze(text) {
		tf[t]++
	}
	return coverage(distinct(Analyze(query)), tf)
}

// top sorts hits best first (ties by position, so results are stable)
// and keeps n.
func top(hits []hit, n int) []hit {
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].score != hits[b].score {
			return hits[a].score > hits[b].score
		}
		return hits[a].i < hits[b].i
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits
}

func distinct(terms []string) []string {
	seen := map[string]bool{}
	out := terms[:0:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// normalised returns v scaled to unit length (v itself when zero).
func normalised(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x * inv
	}
	return out
}
