package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// credentialVars are the environment variables through which the
// built-in configuration (configs/default.yaml) takes a platform
// credential, with a value each would accept.
var credentialVars = map[string]struct{ field, value string }{
	"WHATSAPP_ACCESS_TOKEN": {"whatsapp.access_token", "EAAG-a-real-looking-secret"},
	"WHATSAPP_APP_SECRET":   {"whatsapp.app_secret", "a-real-looking-secret"},
	"SLACK_BOT_TOKEN":       {"slack.bot_token", "xoxb-a-real-looking-secret"},
	"SLACK_SIGNING_SECRET":  {"slack.signing_secret", "a-real-looking-secret"},
}

// noCredentials clears every credential variable for the test.
func noCredentials(t *testing.T) {
	for env := range credentialVars {
		t.Setenv(env, "")
	}
	t.Setenv("DISCORD_BOT_TOKEN", "")
}

// Not parallel: each case sets the environment.
func TestSandboxRefusesRealCredentials(t *testing.T) {
	for env, c := range credentialVars {
		t.Run(env+" set in the environment", func(t *testing.T) {
			noCredentials(t)
			t.Setenv(env, c.value)
			// Were the credential not refused, the non-loopback address
			// would be, with another message.
			err := runWith([]string{"sandbox", "-listen", "0.0.0.0:0"}, &strings.Builder{}, &strings.Builder{})
			require.Error(t, err)
			require.Contains(t, err.Error(), "refusing to start")
			require.Contains(t, err.Error(), c.field)
			require.Contains(t, err.Error(), env, "names the variable to unset")
			require.NotContains(t, err.Error(), c.value, "never prints the secret")
		})
	}
	const teams = "teams:\n  - name: support\n    slack_channel: C0123456789\n"
	for field, yaml := range map[string]string{
		"whatsapp.access_token": "whatsapp:\n  access_token: written-in-the-file\n" + teams,
		"slack.bot_token":       "slack:\n  bot_token: xoxb-written-in-the-file\n" + teams,
		"slack.signing_secret":  "slack:\n  signing_secret: written-in-the-file\n" + teams,
		"discord.bot_token": teams + "  - name: gaming\n    discord_channel: \"1100000000000000001\"\n    discord_kind: text\n" +
			"discord:\n  bot_token: written-in-the-file\n  application_id: \"1\"\n  guild_id: \"2\"\n",
	} {
		t.Run(field+" written in the config file", func(t *testing.T) {
			noCredentials(t)
			path := filepath.Join(t.TempDir(), "real.yaml")
			require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
			err := runWith([]string{"sandbox", "-config", path, "-listen", "0.0.0.0:0"}, &strings.Builder{}, &strings.Builder{})
			require.ErrorContains(t, err, "refusing to start")
			require.ErrorContains(t, err, path)
			require.ErrorContains(t, err, field)
			require.NotContains(t, err.Error(), "written-in-the-file")
		})
	}
}

func TestSandboxRefusesANonLoopbackAddress(t *testing.T) {
	noCredentials(t)
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "10.0.0.5:8080"} {
		err := runWith([]string{"sandbox", "-listen", addr}, &strings.Builder{}, &strings.Builder{})
		require.ErrorContains(t, err, "not a loopback address", addr)
		require.ErrorContains(t, err, "127.0.0.1", "names a safe address")
	}
}

// unreachableDatabase makes the real server stop at once, before it
// listens (on loopback, should it get that far).
func unreachableDatabase(t *testing.T) {
	t.Setenv("SWITCHBOARD_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	t.Setenv("SWITCHBOARD_LISTEN", "127.0.0.1:0")
}

// startsSandbox runs `switchboard args…` with the sandbox's lifetime and
// port under the test's control, and reports whether the sandbox came up
// (its page answered) or what the command returned instead.
func startsSandbox(t *testing.T, args ...string) (started bool, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	oldCtx, oldListen, oldReady := sandboxContext, sandboxListen, sandboxReady
	t.Cleanup(func() { sandboxContext, sandboxListen, sandboxReady = oldCtx, oldListen, oldReady })
	ready := make(chan string, 1)
	sandboxContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	sandboxListen = "127.0.0.1:0"
	sandboxReady = func(url string) { ready <- url }
	done := make(chan error, 1)
	var out, errOut strings.Builder
	go func() { done <- runWith(args, &out, &errOut) }()
	select {
	case <-ready:
		cancel()
		require.NoError(t, <-done, "the sandbox stops cleanly")
		require.Contains(t, errOut.String(), "SANDBOX", "the log says it is the sandbox")
		require.Contains(t, out.String(), "SANDBOX: open http://127.0.0.1:", "one URL is printed")
		return true, nil
	case err := <-done:
		return false, err
	case <-time.After(30 * time.Second):
		t.Fatal("switchboard neither started the sandbox nor returned")
		return false, nil
	}
}

func TestServeSandboxAutoPicksTheSandboxOnlyWithoutCredentials(t *testing.T) {
	t.Run("no credential: the sandbox", func(t *testing.T) {
		noCredentials(t)
		started, err := startsSandbox(t, "serve", "-sandbox", "auto")
		require.NoError(t, err)
		require.True(t, started)
	})
	t.Run("a credential: the real server", func(t *testing.T) {
		noCredentials(t)
		t.Setenv("SLACK_BOT_TOKEN", "xoxb-a-real-looking-secret")
		unreachableDatabase(t)
		started, err := startsSandbox(t, "serve", "-sandbox", "auto")
		require.False(t, started)
		require.Error(t, err, "the real server tried to open its database")
		require.NotContains(t, err.Error(), "sandbox")
	})
	t.Run("off: never the sandbox", func(t *testing.T) {
		noCredentials(t)
		unreachableDatabase(t)
		started, err := startsSandbox(t, "serve", "-sandbox", "off")
		require.False(t, started)
		require.Error(t, err)
	})
	t.Run("switchboard sandbox", func(t *testing.T) {
		noCredentials(t)
		started, err := startsSandbox(t, "sandbox")
		require.NoError(t, err)
		require.True(t, started)
	})
}

// The binary carries the sandbox's simulators, which began as test fakes
// (and only the sandbox may use them): none of our packages may pull
// package testing into it (it would add the
// test flags' machinery to production). fiber's utils package imports
// testing for its own assertion helpers; that third-party import is the
// one allowed, and this test notices if another appears.
func TestTheBinaryDoesNotLinkTestingThroughOurPackages(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	const fakes = "github.com/switchboard/switchboard/adapters/"
	var importers, fakeUsers []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if imp == "testing" {
				importers = append(importers, fields[0])
			}
			if (imp == fakes+"slack/slacktest" || imp == fakes+"whatsapp/whatsapptest") && !strings.HasPrefix(fields[0], fakes) {
				fakeUsers = append(fakeUsers, fields[0])
			}
		}
	}
	require.Equal(t, []string{"github.com/switchboard/switchboard/cmd/switchboard/sandbox"}, slices.Compact(fakeUsers),
		"only the sandbox uses the simulators in the binary")
	require.Equal(t, []string{"github.com/gofiber/fiber/v2/utils"}, importers,
		"packages of the binary that import testing (only fiber's own helpers may)")
	require.Contains(t, string(out), "github.com/switchboard/switchboard/adapters/slack/slacktest", "the simulators are in the binary")
}
