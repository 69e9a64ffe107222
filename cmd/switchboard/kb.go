package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// kbOptions are the flags of `switchboard kb index|search "question"`
// (issue 11): index the configured knowledge sources into the database
// now, or show what retrieval finds for a question and why.
type kbOptions struct {
	team *string
	k    *int
}

func addKBFlags(fs *flag.FlagSet) *kbOptions {
	return &kbOptions{
		team: fs.String("team", "", "search this team's documents and the global ones (default: global only)"),
		k:    fs.Int("k", 5, "how many passages search shows"),
	}
}

const kbUsage = `usage: switchboard kb index | switchboard kb search "question" [-team T] [-k 5]`

// run is `kb index` or `kb search "question"`. Flags may also follow the
// question (kb search "refund timing" -team support), as people type them.
func (o *kbOptions) run(cfg *configs.Config, args []string, stdout io.Writer) error {
	words, err := o.parseMixed(args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		return errors.New(kbUsage)
	}
	ctx := context.Background()
	log := newLogger(cfg.Server.LogLevel)
	open := func() (*storage.DB, error) {
		db, err := storage.Open(ctx, app.DatabaseURL(cfg), cfg.Database.MaxOpenConns)
		if err != nil {
			return nil, err
		}
		// The knowledge tables come with a migration: apply it, as serve does.
		if err := db.MigrateWith(ctx, storage.MigrateOptions{Log: log}); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	embedder, err := app.KnowledgeEmbedder(cfg, log)
	if err != nil {
		return err
	}
	switch words[0] {
	case "index":
		if len(words) > 1 {
			return errors.New(kbUsage)
		}
		syncer, sources := app.KnowledgeIndexer(cfg, nil, embedder)
		if len(sources) == 0 {
			return fmt.Errorf("kb index: no sources in %s: list folders under assistant.knowledge.sources", cfg.Source())
		}
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		syncer.Store = db
		res, err := syncer.Sync(ctx, sources)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "indexed", res.String())
		for _, p := range res.Problems {
			fmt.Fprintln(stdout, "skipped:", p)
		}
		return nil
	case "search":
		question := strings.TrimSpace(strings.Join(words[1:], " "))
		if question == "" {
			return errors.New(`kb search: write the question, e.g. switchboard kb search "how long does a refund take?"`)
		}
		if *o.k < 1 {
			return fmt.Errorf("kb search -k %d: show at least 1 passage", *o.k)
		}
		if *o.team != "" && !slices.ContainsFunc(cfg.Teams, func(t configs.Team) bool { return t.Name == *o.team }) {
			return fmt.Errorf("kb search -team %q: no team of that name in %s", *o.team, cfg.Source())
		}
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		passages, err := app.KnowledgeIndex(db, embedder, log).Search(ctx, *o.team, question, *o.k)
		if err != nil {
			return err
		}
		if len(passages) == 0 {
			fmt.Fprintln(stdout, "nothing found (is the knowledge base indexed? run switchboard kb index)")
			return nil
		}
		for i, p := range passages {
			fmt.Fprintf(stdout, "%d. %s\n   fused %.4f  bm25 %.3f  cosine %.3f  coverage %.2f\n   %s\n",
				i+1, p.Citation(), p.Score, p.BM25, p.Cosine, p.Coverage, excerpt(p.Text, 200))
		}
		return nil
	}
	return fmt.Errorf("kb %q: %s", words[0], kbUsage)
}

// parseMixed reads flags placed anywhere among args (the standard flag
// package stops at the first word) and returns the words.
func (o *kbOptions) parseMixed(args []string) ([]string, error) {
	fs := flag.NewFlagSet("kb", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(o.team, "team", *o.team, "")
	fs.IntVar(o.k, "k", *o.k, "")
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("kb: %v (%s)", err, kbUsage)
		}
		if fs.NArg() == 0 {
			return words, nil
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// excerpt is text on one line, cut at a word near n bytes.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndex(text[:n], " ")
	for cut <= 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	if cut <= 0 {
		cut = n
	}
	return text[:cut] + " …"
}
