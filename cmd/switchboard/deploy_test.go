package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// imageUser is the uid and gid the image runs as (distroless' nonroot;
// USER in configs/deploy/Dockerfile).
const imageUser = 65532

// buildAsTheImage builds the binary with the script the Dockerfile runs.
func buildAsTheImage(t *testing.T, version string) string {
	t.Helper()
	dir := reachableTempDir(t)
	bin := filepath.Join(dir, "switchboard")
	cmd := exec.Command("./configs/deploy/build.sh", bin, version)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "configs/deploy/build.sh: %s", out)
	return bin
}

// reachableTempDir is a new temporary folder the image's user can enter
// (the test's temporary folders are 0700, owned by the user running it).
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	return dir
}

// lockedBuffer collects a process's output while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// status is the HTTP status of a GET, 0 when nothing answers.
func status(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// The binary is built exactly as the image builds it (configs/deploy/build.sh)
// and run as the image runs it: as uid/gid 65532, in an empty working
// directory it may not write to, configured by environment variables only,
// against a fresh PostgreSQL and the fake platforms. It migrates, serves a
// customer's message into Slack, and on SIGTERM answers /readyz 503 for the
// drain delay, then exits 0 within the shutdown timeout.
func TestBinaryRunsAsTheImageRunsIt(t *testing.T) {
	t.Parallel()
	const version = "v0.0.0-imagetest"
	bin := buildAsTheImage(t, version)

	f, err := elf.Open(bin)
	require.NoError(t, err)
	for _, p := range f.Progs {
		require.NotEqual(t, elf.PT_INTERP, p.Type, "static: no program interpreter (the image has no libc)")
		require.NotEqual(t, elf.PT_DYNAMIC, p.Type, "static: no dynamic section")
	}
	f.Close()

	const (
		appSecret     = "deploy-app-secret"
		signingSecret = "deploy-signing-secret"
		phoneID       = "106540352242922"
		channel       = "C0DEPLOY001"
	)
	wa, slack := whatsapptest.New(t), slacktest.New(t)
	slack.DefaultChannelMembers("UAGENT1")
	const (
		shutdownTimeout = 20 * time.Second
		// drainDelay is long enough that /healthz is asked well inside it
		// even on a loaded machine; the test says so when it was not.
		drainDelay = 5 * time.Second
	)
	env := []string{
		// Port 0: the kernel picks a free port, read back from the log;
		// a port picked beforehand could be taken by a parallel test.
		"SWITCHBOARD_LISTEN=127.0.0.1:0",
		// Empty: the image's `migrate` makes the schema.
		"SWITCHBOARD_DATABASE_URL=" + storagetest.EmptyURL(t, storage.Postgres),
		"SWITCHBOARD_SHUTDOWN_TIMEOUT=" + shutdownTimeout.String(),
		"SWITCHBOARD_DRAIN_DELAY=" + drainDelay.String(),
		"WHATSAPP_GRAPH_API_URL=" + wa.URL,
		"WHATSAPP_ACCESS_TOKEN=" + wa.Token,
		"WHATSAPP_APP_SECRET=" + appSecret,
		"WHATSAPP_VERIFY_TOKEN=deploy-verify",
		"WHATSAPP_PHONE_NUMBER_ID=" + phoneID,
		"SLACK_API_URL=" + slack.URL(),
		"SLACK_BOT_TOKEN=" + slacktest.Token,
		"SLACK_SIGNING_SECRET=" + signingSecret,
		"SLACK_CHANNEL_ID=" + channel,
	}
	// The image's working directory is empty; with PostgreSQL nothing may
	// be written there (compose runs the container read-only).
	workdir := reachableTempDir(t)
	require.NoError(t, os.Chmod(workdir, 0o555))
	asImage := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = workdir, env
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: imageUser, Gid: imageUser, NoSetGroups: true}}
		} else {
			t.Logf("not root: running as uid %d instead of %d", os.Geteuid(), imageUser)
		}
		return cmd
	}

	out, err := asImage("version").CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, "switchboard "+version+"\n", string(out), "the version is stamped")
	out, err = asImage("migrate").CombinedOutput()
	require.NoError(t, err, "the one-shot migrate of compose and systemd: %s", out)
	require.Contains(t, string(out), "database is up to date")

	var logs lockedBuffer
	serve := asImage("serve")
	serve.Stdout, serve.Stderr = &logs, &logs
	require.NoError(t, serve.Start())
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	t.Cleanup(func() { _ = serve.Process.Kill() })
	listening := regexp.MustCompile(`msg="switchboard is listening" addr=(\S+)`)
	var base string
	require.Eventually(t, func() bool {
		if base == "" {
			m := listening.FindStringSubmatch(logs.String())
			if m == nil {
				return false
			}
			base = "http://" + m[1]
		}
		return status(base+"/healthz") == http.StatusOK && status(base+"/readyz") == http.StatusOK
	}, 60*time.Second, 50*time.Millisecond, "listening, healthy and ready; log:\n%s", &logs)

	resp := whatsapptest.PostWebhook(t, base+"/webhooks/whatsapp", appSecret,
		whatsapptest.TextMessage(phoneID, "34612345678", "Ana", "wamid.image1", time.Now(), "hello from the image"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	slack.WaitForPosts(t, func(posts []slacktest.Message) bool {
		for _, p := range posts {
			if strings.Contains(p.Text, "hello from the image") {
				return true
			}
		}
		return false
	}, 30*time.Second)

	require.NoError(t, serve.Process.Signal(syscall.SIGTERM))
	stopping := time.Now()
	require.Eventually(t, func() bool { return status(base+"/readyz") == http.StatusServiceUnavailable },
		5*time.Second, 20*time.Millisecond, "readiness drops as soon as the shutdown starts")
	// The drain started after `stopping`: an answer that came back before
	// stopping+drainDelay was served while draining, and must be a 200.
	healthz := status(base + "/healthz")
	if time.Since(stopping) < drainDelay {
		require.Equal(t, http.StatusOK, healthz, "while draining the process still serves")
	} else {
		t.Logf("/healthz asked %s after SIGTERM, past the %s drain: not checked", time.Since(stopping), drainDelay)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("exit code %d, want 0; log:\n%s", exit.ExitCode(), &logs)
		}
		require.NoError(t, err)
	case <-time.After(shutdownTimeout + 10*time.Second):
		t.Fatalf("still running %s after SIGTERM (shutdown timeout %s); log:\n%s", shutdownTimeout+10*time.Second, shutdownTimeout, &logs)
	}
	require.GreaterOrEqual(t, time.Since(stopping), drainDelay, "SWITCHBOARD_DRAIN_DELAY kept it serving")
	require.Less(t, time.Since(stopping), shutdownTimeout, "within the shutdown timeout")

	log := logs.String()
	require.Contains(t, log, "version="+version)
	require.Contains(t, log, "draining")
	for _, secret := range []string{wa.Token, slacktest.Token, appSecret, signingSecret} {
		require.NotContains(t, log, secret, "logs never print a token or secret")
	}
	entries, err := os.ReadDir(workdir)
	require.NoError(t, err)
	require.Empty(t, entries, "nothing written to the working directory")
}
