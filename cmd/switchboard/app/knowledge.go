package app

import (
	"context"
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
	// synced receives the result of every indexing pass (tests wait on it).
	synced chan knowledge.SyncResult
}

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
		synced:  make(chan knowledge.SyncResult, 1),
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

// NewKnowledgeIndexer is `switchboard kb index`'s indexer and
// NewKnowledgeIndex its search index: the same ones serve uses.
func NewKnowledgeIndexer(cfg *configs.Config, db *storage.DB) (*knowledge.Syncer, []knowledge.Source) {
	return newSyncer(cfg.Assistant.Knowledge, db, nil), knowledgeSources(cfg.Assistant.Knowledge)
}

// Retriever searches the knowledge base.
func (k *knowledgeSide) Retriever() knowledge.Retriever { return k.index }

// Start indexes the sources and watches them until ctx ends.
func (k *knowledgeSide) Start(ctx context.Context) error {
	if len(k.sources) == 0 {
		return k.index.Refresh(ctx) // documents another replica's config indexed
	}
	var w *fsnotify.Watcher
	if k.watch {
		var err error
		if w, err = k.watchFolders(); err != nil {
			k.log.Warn("knowledge folders are not watched; restart to index changes", "err", err)
		} else {
			defer w.Close()
		}
	}
	k.sync(ctx)
	if w == nil {
		return nil
	}
	var (
		timer   *time.Timer
		timerC  <-chan time.Time
		pending bool
	)
	for {
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					_ = addTree(w, ev.Name) // a new sub-folder
				}
			}
			if !pending {
				pending = true
				timer = time.NewTimer(watchDebounce)
				timerC = timer.C
			} else {
				timer.Reset(watchDebounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			k.log.Warn("watching knowledge folders", "err", err)
		case <-timerC:
			pending, timerC = false, nil
			k.sync(ctx)
		}
	}
}

// sync indexes once and reloads the search index; it logs counts, never
// document text.
func (k *knowledgeSide) sync(ctx context.Context) {
	started := time.Now()
	res, err := k.syncer.Sync(ctx, k.sources)
	if err != nil {
		if ctx.Err() == nil {
			k.log.Error("knowledge base not indexed", "err", err)
		}
		return
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
	select { // keep the latest result for whoever waits
	case <-k.synced:
	default:
	}
	k.synced <- res
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
