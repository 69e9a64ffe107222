package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Source is one configured folder, file or URL of a team ("" is global).
type Source struct {
	Team string
	Path string
	URL  string
}

// Syncer brings the stored knowledge base in line with its sources:
// changed documents are chunked and stored again, unchanged ones (same
// hash) are skipped, removed ones are deleted, and chunks without a
// vector of the embedder's model are embedded in batches.
type Syncer struct {
	Store    Store
	Embedder Embedder // nil: no vectors
	// ChunkChars and OverlapChars size the chunks (defaults when 0).
	ChunkChars, OverlapChars int
	// HTTP fetches URL sources; nil refuses them (allow_fetch is off).
	HTTP *http.Client
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// EmbedBatch is how many chunks one Embed call takes (default 64).
	EmbedBatch int
}

// SyncResult counts what a Sync did.
type SyncResult struct {
	Documents, Added, Changed, Unchanged, Removed int
	// Chunks is how many chunks the added and changed documents have.
	Chunks int
	// Embedded is how many chunks got a vector.
	Embedded int
	// Problems are the files and URLs that could not be read (skipped,
	// their stored version kept) and a failed embedding.
	Problems []error
}

func (r SyncResult) String() string {
	return fmt.Sprintf("%d documents: %d added, %d changed, %d unchanged, %d removed; %d chunks stored, %d embedded",
		r.Documents, r.Added, r.Changed, r.Unchanged, r.Removed, r.Chunks, r.Embedded)
}

// Sync indexes sources into the store. It fails only when the store
// does; unreadable files are listed in Problems.
func (s *Syncer) Sync(ctx context.Context, sources []Source) (SyncResult, error) {
	var res SyncResult
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	stored, err := s.Store.Chunks(ctx)
	if err != nil {
		return res, err
	}
	known := map[SourceKey]bool{}
	teams := map[string]bool{}
	for _, c := range stored {
		known[SourceKey{c.Team, c.Source}] = true
		teams[c.Team] = true
	}

	var keep []SourceKey
	failed := map[string]bool{} // teams with a source that could not be read
	for _, src := range sources {
		teams[src.Team] = true
		docs, problems := s.read(ctx, src, sources)
		res.Problems = append(res.Problems, problems...)
		if len(problems) > 0 {
			failed[src.Team] = true
		}
		for _, doc := range docs {
			key := SourceKey{doc.Team, doc.Source}
			if slices.Contains(keep, key) {
				res.Problems = append(res.Problems, fmt.Errorf("%s: two sources of team %q have a document of this name; the first is kept", doc.Source, doc.Team))
				continue
			}
			keep = append(keep, key)
			res.Documents++
			chunks := Split(doc, s.ChunkChars, s.OverlapChars)
			// The chunk sizes are part of the hash: changing them cuts
			// every document again.
			doc.Hash = hashOf(fmt.Sprintf("%d/%d/%s", s.ChunkChars, s.OverlapChars, doc.Hash))
			changed, err := s.Store.ReplaceDocument(ctx, doc, chunks, now())
			if err != nil {
				return res, err
			}
			switch {
			case !changed:
				res.Unchanged++
			case known[key]:
				res.Changed++
				res.Chunks += len(chunks)
			default:
				res.Added++
				res.Chunks += len(chunks)
			}
		}
	}
	// A team whose folder could not be read keeps its stored documents:
	// a missing mount must not empty the knowledge base.
	for key := range known {
		if failed[key.Team] {
			keep = append(keep, key)
		}
	}
	var teamList []string
	for t := range teams {
		teamList = append(teamList, t)
	}
	if res.Removed, err = s.Store.RemoveDocumentsExcept(ctx, teamList, keep); err != nil {
		return res, err
	}
	if s.Embedder != nil {
		n, err := s.embed(ctx)
		res.Embedded = n
		if err != nil {
			res.Problems = append(res.Problems, err)
		}
	}
	return res, nil
}

// read loads one source; the folders of other sources inside it are
// theirs.
func (s *Syncer) read(ctx context.Context, src Source, all []Source) ([]Document, []error) {
	if src.URL != "" {
		doc, err := s.fetch(ctx, src)
		if err != nil {
			return nil, []error{err}
		}
		return []Document{doc}, nil
	}
	root := filepath.Clean(src.Path)
	var skip []string
	for _, o := range all {
		if o.Path != "" && filepath.Clean(o.Path) != root {
			skip = append(skip, filepath.Clean(o.Path))
		}
	}
	docs, problems, err := ReadFolder(src.Team, root, skip...)
	if err != nil {
		problems = append(problems, fmt.Errorf("read knowledge folder %s: %w", src.Path, err))
	}
	return docs, problems
}

// fetch reads a URL source (only when HTTP is set: allow_fetch).
func (s *Syncer) fetch(ctx context.Context, src Source) (Document, error) {
	if s.HTTP == nil {
		return Document{}, fmt.Errorf("%s: fetching URLs is off (set assistant.knowledge.allow_fetch: true)", src.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return Document{}, err
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return Document{}, fmt.Errorf("fetch %s: %w", src.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Document{}, fmt.Errorf("fetch %s: %s", src.URL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return Document{}, fmt.Errorf("fetch %s: %w", src.URL, err)
	}
	// The content type, else the URL's extension, decides the format;
	// the source keeps the URL for citations.
	ext := ".txt"
	if u, err := url.Parse(src.URL); err == nil && IsDocument(u.Path) {
		ext = strings.ToLower(path.Ext(u.Path))
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "html") {
		ext = ".html"
	}
	doc, err := Parse(src.Team, "page"+ext, data)
	if doc.Title == "page" {
		doc.Title = src.URL
	}
	doc.Source = src.URL
	return doc, err
}

// embed computes the missing vectors (none, or of another model).
func (s *Syncer) embed(ctx context.Context) (int, error) {
	chunks, err := s.Store.Chunks(ctx)
	if err != nil {
		return 0, err
	}
	model := s.Embedder.Model()
	var todo []Chunk
	for _, c := range chunks {
		if len(c.Vector) == 0 || c.VectorModel != model {
			todo = append(todo, c)
		}
	}
	batch := s.EmbedBatch
	if batch <= 0 {
		batch = 64
	}
	done := 0
	for start := 0; start < len(todo); start += batch {
		part := todo[start:min(start+batch, len(todo))]
		texts := make([]string, len(part))
		for i, c := range part {
			texts[i] = EmbeddingText(c)
		}
		vectors, err := s.Embedder.Embed(ctx, texts)
		if err != nil {
			return done, fmt.Errorf("embed %d chunks with %s: %w", len(part), model, err)
		}
		if len(vectors) != len(part) {
			return done, fmt.Errorf("embed %d chunks with %s: got %d vectors", len(part), model, len(vectors))
		}
		set := map[int64][]float32{}
		for i, c := range part {
			set[c.ID] = vectors[i]
		}
		if err := s.Store.SetVectors(ctx, model, set); err != nil {
			return done, err
		}
		done += len(part)
	}
	return done, nil
}

// EmbeddingText is what is embedded for a chunk: its heading path and text.
func EmbeddingText(c Chunk) string {
	if c.Heading == "" {
		return c.Text
	}
	return c.Heading + "\n" + c.Text
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ErrNoSources is returned by callers that need at least one source.
var ErrNoSources = errors.New("no knowledge sources are configured (assistant.knowledge.sources)")
