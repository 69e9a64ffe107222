package sandbox

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
)

// TestSandboxRunsTheExampleConfiguration ties buildConfig, a hand copy, to
// configs/switchboard.example.yaml: the page's script and docs/sandbox.md
// promise the example's routing, classifier, canned responses and the
// support and sales teams' ways of working, so a change there must be
// made here too.
func TestSandboxRunsTheExampleConfiguration(t *testing.T) {
	t.Parallel()
	example, err := configs.Load("../../../configs/switchboard.example.yaml", func(string) string { return "" })
	require.NoError(t, err)
	sandbox, err := buildConfig(t.TempDir(), "http://127.0.0.1:1", "http://127.0.0.1:2", newSecrets())
	require.NoError(t, err)

	require.Equal(t, rules(example.Routing), rules(sandbox.Routing), "routing")
	require.Equal(t, example.Classifier, sandbox.Classifier, "classifier")
	require.Equal(t, example.DefaultTeam, sandbox.DefaultTeam, "default_team")
	// The example's Discord teams have no canned responses of their own.
	require.Equal(t, example.CannedResponses(), sandbox.CannedResponses(), "global and teams' canned_responses")
	for _, name := range []string{"support", "sales"} {
		want, got := team(t, example, name), team(t, sandbox, name)
		require.Equal(t, want.Language, got.Language, "%s: language", name)
		require.Equal(t, want.Capacity, got.Capacity, "%s: capacity", name)
		require.Equal(t, want.ReadReceipts, got.ReadReceipts, "%s: read_receipts", name)
		if name == "support" {
			// On purpose (docs/sandbox.md): round robin shows both agents
			// at work; the example's sticky would pick by least_busy on a
			// fresh database anyway.
			require.Equal(t, routing.Strategy("sticky"), want.Strategy, "the example changed: reconsider the sandbox's round robin")
			require.Equal(t, routing.Strategy("round_robin"), got.Strategy, "support: strategy")
			continue
		}
		require.Equal(t, want.Strategy, got.Strategy, "%s: strategy", name)
	}
	// The knowledge base: the example's sources, for the same teams, with
	// the same documents (the sandbox writes its built-in copy of
	// configs/knowledge/ into its temporary folder).
	require.Equal(t, knowledgeSources(t, example), knowledgeSources(t, sandbox), "assistant.knowledge.sources and their documents")
	require.Equal(t, example.Assistant.Knowledge.ChunkChars, sandbox.Assistant.Knowledge.ChunkChars, "chunk_chars")
	require.Equal(t, example.Assistant.Knowledge.OverlapChars, sandbox.Assistant.Knowledge.OverlapChars, "overlap_chars")
}

// source is a knowledge source as its documents: its team and every file
// under its folder, by relative name, with its text.
type source struct {
	Team      string
	Documents map[string]string
}

func knowledgeSources(t *testing.T, c *configs.Config) []source {
	t.Helper()
	var out []source
	for _, s := range c.Assistant.Knowledge.Sources {
		docs := map[string]string{}
		require.NoError(t, filepath.WalkDir(s.Path, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			text, err := os.ReadFile(path)
			rel, _ := filepath.Rel(s.Path, path)
			docs[filepath.ToSlash(rel)] = string(text)
			return err
		}))
		require.NotEmpty(t, docs, "source %s has documents", s.Path)
		out = append(out, source{Team: s.Team, Documents: docs})
	}
	return out
}

// rule is a route as written in the configuration (a compiled Route also
// holds every team of its configuration).
type rule struct {
	ID, Team string
	Match    routing.Matchers
	Continue bool
	Routes   []rule
}

func rules(r *routing.Route) rule {
	out := rule{ID: r.ID, Team: r.Team, Match: r.Match, Continue: r.Continue}
	for _, child := range r.Routes {
		out.Routes = append(out.Routes, rules(child))
	}
	return out
}

func team(t *testing.T, c *configs.Config, name string) configs.Team {
	t.Helper()
	for _, tm := range c.Teams {
		if tm.Name == name {
			return tm
		}
	}
	t.Fatalf("no team %q", name)
	return configs.Team{}
}
