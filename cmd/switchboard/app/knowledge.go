package app

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// watchDebounce is how long a folder must be quiet before it is indexed
// again: an editor's save or a copied folder is many events.
const watchDebounce = 500 * time.Millisecond

// knowledgeSide is the knowledge base of this replica (issue 11): it
// indexes the configured sources into the database at start-up and when
// their files change, and keeps an in-memory search index in step with
// the database's chunks, so replicas share one knowledge base.
type knowledgeSide struct {
	index   *knowledge.Index
	syncer  *knowledge.Syncer
	sources []knowledge.Source
	watch   bool
	log     *slog.Logger
	// retryEvery spaces the attempts of a failed pass (knowledgeRetry).
	retryEvery time.Duration
	watcher    *fsnotify.Watcher
}

// knowledgeRetry is how long a failed indexing pass (database or
// embedding provider down) waits before it is tried again.
const knowledgeRetry = time.Minute

// newKnowledgeSide prepares the knowledge base; embedder is nil when no
// embedding model is configured (BM25 only). It reads nothing yet: Start
// indexes.
func newKnowledgeSide(ctx context.Context, cfg *configs.Config, db *storage.DB, embedder knowledge.Embedder, log *slog.Logger) (*knowledgeSide, error) {
	kc := cfg.Assistant.Knowledge
	return &knowledgeSide{
		index:   knowledge.NewIndex(db, knowledge.IndexOptions{Embedder: embedder, Log: log}),
		syncer:  newSyncer(kc, db, embedder),
		sources: knowledgeSources(kc),
		watch:   kc.Watch == nil || *kc.Watch,
		log:     log,

		retryEvery: knowledgeRetry,
	}, nil
}

// newSyncer is the indexer the configuration describes (also used by
// `switchboard kb index`).
func newSyncer(kc configs.Knowledge, store knowledge.Store, embedder knowledge.Embedder) *knowledge.Syncer {
	s := &knowledge.Syncer{Store: store, Embedder: embedder, ChunkChars: kc.ChunkChars, OverlapChars: kc.OverlapChars}
	if kc.AllowFetch {
		s.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	return s
}

// knowledgeSources lists the configured sources.
func knowledgeSources(kc configs.Knowledge) []knowledge.Source {
	var out []knowledge.Source
	for _, s := range kc.Sources {
		out = append(out, knowledge.Source{Team: s.Team, Path: s.Path, URL: s.URL})
	}
	return out
}

// KnowledgeIndexer is `switchboard kb index`'s indexer, with the sources
// the configuration lists: the same one serve runs.
func KnowledgeIndexer(cfg *configs.Config, db *storage.DB, embedder knowledge.Embedder) (*knowledge.Syncer, []knowledge.Source) {
	return newSyncer(cfg.Assistant.Knowledge, db, embedder), knowledgeSources(cfg.Assistant.Knowledge)
}

// KnowledgeIndex is `switchboard kb search`'s index: the same one serve
// searches.
func KnowledgeIndex(db *storage.DB, embedder knowledge.Embedder, log *slog.Logger) *knowledge.Index {
	return knowledge.NewIndex(db, knowledge.IndexOptions{Embedder: embedder, Log: log})
}

// KnowledgeEmbedder is the embedder the configuration asks for
// (assistant.embedding_model with the openai provider), built as serve
// builds it (buildAssistant) so that `kb search` ranks as serve retrieves.
// It is nil, with a nil error, when the configuration asks for none (BM25
// alone); a client that cannot be built is an error, never a silent
// fall-back to BM25.
func KnowledgeEmbedder(cfg *configs.Config, log *slog.Logger) (knowledge.Embedder, error) {
	a := cfg.Assistant
	if a.Provider != "openai" || a.EmbeddingModel == "" {
		return nil, nil
	}
	client, err := newOpenAI(a, Tuning{})
	if err != nil {
		return nil, fmt.Errorf("kb: the embedding model %s: %w", a.EmbeddingModel, err)
	}
	log.Debug("knowledge: hybrid retrieval with the provider's embeddings", "embedding_model", a.EmbeddingModel)
	return client, nil
}

// Retriever searches the knowledge base.
func (k *knowledgeSide) Retriever() knowledge.Retriever { return k.index }

// Start indexes the sources and watches them until ctx ends. A pass that
// failed (the database or the embedding provider unreachable) is tried
// again after retryEvery, watched or not.
func (k *knowledgeSide) Start(ctx context.Context) error {
	if len(k.sources) == 0 {
		return k.index.Refresh(ctx) // documents another replica's config indexed
	}
	var events <-chan fsnotify.Event
	var errs <-chan error
	if k.watch {
		if w, err := k.watchFolders(); err != nil {
			k.log.Warn("knowledge folders are not watched; restart to index changes", "err", err)
		} else {
			defer w.Close()
			events, errs = w.Events, w.Errors
			k.watcher = w
		}
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	var retry <-chan time.Time
	pass := func() {
		retry = nil
		if !k.sync(ctx) {
			retry = time.After(k.retryEvery)
		}
	}
	pass()
	if events == nil && retry == nil {
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					_ = addTree(k.watcher, ev.Name) // a new sub-folder
				}
			}
			debounce.Reset(watchDebounce)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			k.log.Warn("watching knowledge folders", "err", err)
		case <-debounce.C:
			pass()
		case <-retry:
			pass()
		}
		if events == nil && retry == nil {
			return nil
		}
	}
}

// sync indexes once and reloads the search index; it logs counts, never
// document text. It reports false when the pass should be tried again.
func (k *knowledgeSide) sync(ctx context.Context) bool {
	started := time.Now()
	res, err := k.syncer.Sync(ctx, k.sources)
	if err != nil {
		if ctx.Err() == nil {
			k.log.Error("knowledge base not indexed; trying again", "in", k.retryEvery, "err", err)
		}
		return false
	}
	for _, p := range res.Problems {
		k.log.Warn("knowledge document skipped", "err", p)
	}
	if err := k.index.Refresh(ctx); err != nil && ctx.Err() == nil {
		k.log.Warn("knowledge index not reloaded", "err", err)
	}
	k.log.Info("knowledge base indexed", "documents", res.Documents, "added", res.Added, "changed", res.Changed,
		"unchanged", res.Unchanged, "removed", res.Removed, "chunks", res.Chunks, "embedded", res.Embedded,
		"took", time.Since(started).Round(time.Millisecond))
	return !res.EmbedFailed
}

// watchFolders watches every folder source and its sub-folders (a file
// source: its folder).
func (k *knowledgeSide) watchFolders() (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	for _, s := range k.sources {
		if s.Path == "" {
			continue
		}
		root := s.Path
		if info, err := os.Stat(root); err == nil && !info.IsDir() {
			root = filepath.Dir(root)
		}
		if err := addTree(w, root); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

func addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return w.Add(p)
	})
}

// startKnowledge indexes and watches the knowledge base in the background
// (a.bg), so a slow folder never holds start-up.
func (a *App) startKnowledge() {
	if a.knowledge == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	prev := a.bgCancel // Shutdown cancels both the template sync and this
	a.bgCancel = func() {
		cancel()
		if prev != nil {
			prev()
		}
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		defer cancel()
		if err := a.knowledge.Start(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("knowledge base not loaded", "err", err)
		}
	}()
}

// Knowledge is the knowledge base this replica searches (nil before Build).
func (a *App) Knowledge() knowledge.Retriever {
	if a.knowledge == nil {
		return nil
	}
	return a.knowledge.Retriever()
}
