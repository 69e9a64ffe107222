package configs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// knowledgeYAML is a configuration with one team and the given
// assistant.knowledge lines (indented under knowledge:).
func knowledgeYAML(lines string) string {
	return minimal + "assistant:\n  knowledge:\n" + lines
}

// A relative source path starts at the configuration file's folder and
// is replaced by the resolved one; URL sources pass with allow_fetch.
func TestKnowledgeSourcesAreResolved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "kb", "support"), 0o755))
	c, err := Parse([]byte(knowledgeYAML(`    allow_fetch: true
    sources:
      - path: ./kb
      - {team: support, path: kb/support}
      - {url: "https://example.com/help.html"}
`)), filepath.Join(dir, "switchboard.yaml"), noEnv)
	require.NoError(t, err)
	src := c.Assistant.Knowledge.Sources
	require.Equal(t, filepath.Join(dir, "kb"), src[0].Path)
	require.Equal(t, filepath.Join(dir, "kb", "support"), src[1].Path)
	require.Equal(t, "support", src[1].Team)
	require.Equal(t, "https://example.com/help.html", src[2].URL)
}

func TestKnowledgeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "kb"), 0o755))
	for _, tc := range []struct {
		name  string
		lines string
		field string
		want  string
	}{
		{"a team that does not exist", "    sources:\n      - {team: billing, path: ./kb}\n",
			"assistant.knowledge.sources[0].team", `"billing" is not a team of teams; name one, or remove team`},
		{"a missing folder", "    sources:\n      - path: ./nowhere\n",
			"assistant.knowledge.sources[0].path", `"./nowhere" cannot be read (no such file or directory); create the folder or fix the path`},
		{"path and url", "    allow_fetch: true\n    sources:\n      - {path: ./kb, url: \"https://example.com/a\"}\n",
			"assistant.knowledge.sources[0].url", "is set with path; a source is a folder (path) or a page (url)"},
		{"neither path nor url", "    sources:\n      - team: support\n",
			"assistant.knowledge.sources[0]", "needs path"},
		{"a url without allow_fetch", "    sources:\n      - url: https://example.com/help\n",
			"assistant.knowledge.sources[0].url", "is fetched only with assistant.knowledge.allow_fetch: true"},
		{"a url that is not http", "    allow_fetch: true\n    sources:\n      - url: ftp://example.com/help\n",
			"assistant.knowledge.sources[0].url", "is not an http(s) URL"},
		{"tiny chunks", "    chunk_chars: 50\n", "assistant.knowledge.chunk_chars", "is 50; write a size from 200 to 8000"},
		{"huge chunks", "    chunk_chars: 100000\n", "assistant.knowledge.chunk_chars", "write a size from 200 to 8000"},
		{"an overlap as big as half a chunk", "    chunk_chars: 400\n    overlap_chars: 200\n",
			"assistant.knowledge.overlap_chars", "is 200; write a value from 0 to less than half of chunk_chars (400)"},
		{"a negative overlap", "    overlap_chars: -1\n", "assistant.knowledge.overlap_chars", "is -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			yaml := knowledgeYAML(tc.lines)
			_, err := Parse([]byte(yaml), filepath.Join(dir, "x.yaml"), noEnv)
			require.Error(t, err)
			require.ErrorContains(t, err, tc.want)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tc.field, fe.Field)
			// The error points at the line of the field (or its parent).
			lines := strings.Split(yaml, "\n")
			require.Positive(t, fe.Line)
			key := tc.field[strings.LastIndex(tc.field, ".")+1:]
			if i := strings.Index(key, "["); i >= 0 {
				key = "- "
			}
			require.Contains(t, lines[fe.Line-1], key, "line %d", fe.Line)
		})
	}
}
