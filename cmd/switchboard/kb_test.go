package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
)

// kbConfig writes a configuration with a SQLite database and a knowledge
// folder (global, with a support sub-folder) into a temporary folder.
func kbConfig(t *testing.T) (config, dir string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]string{
		"kb/refunds.md":     "# Refunds\n\n## Timing\n\nA refund reaches your card within 5 working days.\n",
		"kb/envios.md":      "# Envíos\n\nLos envíos a Canarias tardan de 5 a 8 días.\n",
		"kb/support/vip.md": "# VIP\n\nVIP customers get their refund the same day.\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	config = filepath.Join(dir, "switchboard.yaml")
	require.NoError(t, os.WriteFile(config, []byte(fmt.Sprintf(`
database:
  url: "sqlite:%s"
teams:
  - name: support
    slack_channel: C0123456789
  - name: sales
    slack_channel: C0987654321
assistant:
  knowledge:
    sources:
      - path: kb
      - {team: support, path: kb/support}
`, filepath.Join(dir, "sb.db"))), 0o600))
	return config, dir
}

func kb(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut strings.Builder
	err := runWith(append([]string{"kb"}, args...), &out, &errOut)
	return out.String(), err
}

// kb index stores the documents and says what changed; search shows the
// ranked passages with their citation and scores, within a team's scope.
func TestKBIndexAndSearch(t *testing.T) {
	config, dir := kbConfig(t)
	out, err := kb(t, "-config", config, "index")
	require.NoError(t, err)
	require.Contains(t, out, "indexed 3 documents: 3 added, 0 changed, 0 unchanged, 0 removed; 3 chunks stored")

	out, err = kb(t, "-config", config, "index")
	require.NoError(t, err)
	require.Contains(t, out, "3 documents: 0 added, 0 changed, 3 unchanged, 0 removed", "nothing changed, nothing stored")

	require.NoError(t, os.Remove(filepath.Join(dir, "kb", "envios.md")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kb", "refunds.md"), []byte("# Refunds\n\n## Timing\n\nA refund takes 3 days.\n"), 0o644))
	out, err = kb(t, "-config", config, "index")
	require.NoError(t, err)
	require.Contains(t, out, "2 documents: 0 added, 1 changed, 1 unchanged, 1 removed")

	out, err = kb(t, "-config", config, "search", "how long does a refund take?", "-k", "1")
	require.NoError(t, err)
	require.Regexp(t, `^1\. refunds\.md › Refunds › Timing\n   fused 0\.\d+  bm25 \d+\.\d+  cosine 0\.000  coverage 0\.67\n   A refund takes 3 days\.\n$`, out)

	out, err = kb(t, "-config", config, "search", "-team", "support", "refund", "same", "day")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(out, "1. vip.md › VIP\n"), out)

	out, err = kb(t, "-config", config, "search", "refund same day", "--team", "sales")
	require.NoError(t, err)
	require.NotContains(t, out, "vip.md", "sales does not read support's documents")

	_, err = kb(t, "-config", config, "search", "refund", "-team", "billing")
	require.ErrorContains(t, err, `kb search -team "billing": no team of that name`)
	_, err = kb(t, "-config", config, "search")
	require.ErrorContains(t, err, "write the question")
	_, err = kb(t, "-config", config, "reindex")
	require.ErrorContains(t, err, `kb "reindex"`)
}

// With an embedding_model and the openai provider, kb index stores the
// provider's vectors and kb search embeds the question and ranks by them
// too, as serve does: the cosine column is the embedding's similarity.
func TestKBSearchUsesTheProvidersEmbeddings(t *testing.T) {
	config, _ := kbConfig(t)
	ai := openaitest.New(t)
	f, err := os.OpenFile(config, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = fmt.Fprintf(f, "  provider: openai\n  base_url: %s\n  api_key: %s\n  model: gpt-4o-mini\n  embedding_model: text-embedding-3-small\n", ai.URL, openaitest.DefaultKey)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	out, err := kb(t, "-config", config, "index")
	require.NoError(t, err)
	require.Contains(t, out, "indexed 3 documents")
	require.NotEmpty(t, ai.Embeddings(), "kb index embedded the chunks")

	before := len(ai.Embeddings())
	out, err = kb(t, "-config", config, "search", "how long does a refund take?", "-k", "1")
	require.NoError(t, err)
	require.Regexp(t, `^1\. refunds\.md › Refunds › Timing\n   fused 0\.\d+  bm25 \d+\.\d+  cosine 0\.\d*[1-9]\d*  coverage`, out, "a cosine score, not 0.000")
	require.Len(t, ai.Embeddings(), before+1, "the question was embedded")
}
