package configs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that it returns exactly one of a
// Config or an error, that an accepted Config can be summarised, and that no
// secret from the environment leaks into an error or a summary.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("switchboard.example.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add(defaultYAML)
	f.Add([]byte(minimal))
	for _, seed := range []string{
		"teams:\n  - name: support\n    slak: C0123456789\n",
		"teams:\n  - name: support\n    slack_channel: \"#support\"\n",
		minimal + "default_team: suport\n",
		minimal + "options:\n  note_prefixes: [\"/note\"]\n",
		minimal + "options:\n  reopen_window: 2 days\n",
		minimal + "slack:\n  bot_token: ${SLACK_BOT_TOKEN}x\n",
		minimal + "  - name: support\n",
		minimal + "x: &a [*a]\n",
		"a: &a [1,2]\nteams: *a\n",
		"teams:\n  - &t {name: a}\n  - *t\n",
		"<<: {server: {}}\n",
		"teams: [{name: a, supervisors: [${A:-U1}]}]\n",
		"---\n---\n",
		"\t",
		"!!binary teams: x",
	} {
		f.Add([]byte(seed))
	}
	env := fakeEnv(nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml", env)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", c != nil, err)
		}
		var out string
		if err != nil {
			out = err.Error()
			if out == "" {
				t.Fatal("empty error message")
			}
		} else {
			out = c.Summary()
			_ = c.Missing()
			if d := c.Database.Dialect(); d != "sqlite" && d != "postgres" {
				t.Fatalf("dialect %q", d)
			}
			if !strings.HasSuffix(c.Slack.APIURL, "/") {
				t.Fatalf("slack api url %q lacks its slash", c.Slack.APIURL)
			}
			if _, ok := c.Team(c.DefaultTeam); !ok {
				t.Fatalf("default team %q does not exist", c.DefaultTeam)
			}
		}
		for _, secret := range secretValues {
			if !strings.Contains(out, secret) || bytes.Contains(data, []byte(secret)) {
				continue
			}
			// A summary shows non-secret fields, even when the file fills
			// one from a variable holding a secret; errors never do.
			shown := false
			if c != nil {
				for path, v := range c.env {
					shown = shown || (!isSecretPath(path) && env(v) == secret)
				}
			}
			if !shown {
				t.Fatalf("output shows a secret:\n%s", out)
			}
		}
	})
}
