package main

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"debug/elf"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver "postgres"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
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

// freshPostgres creates an empty database (no schema: the image's
// `migrate` makes it) and drops it when the test ends. Without a reachable
// PostgreSQL the test skips, except under CI=true where it fails.
func freshPostgres(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = storagetest.DefaultURL
	}
	db, err := sql.Open("postgres", admin)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		msg := "PostgreSQL unavailable (set TEST_DATABASE_URL; `make test` starts one): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "sbdeploy_" + hex.EncodeToString(b)
	_, err = db.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	env := []string{
		"SWITCHBOARD_LISTEN=" + addr,
		"SWITCHBOARD_DATABASE_URL=" + freshPostgres(t),
		"SWITCHBOARD_SHUTDOWN_TIMEOUT=10s",
		"SWITCHBOARD_DRAIN_DELAY=1s",
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
	base := "http://" + addr
	require.Eventually(t, func() bool {
		return status(base+"/healthz") == http.StatusOK && status(base+"/readyz") == http.StatusOK
	}, 60*time.Second, 50*time.Millisecond, "healthy and ready; log:\n%s", &logs)

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
	require.Equal(t, http.StatusOK, status(base+"/healthz"), "while the process still serves")
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("exit code %d, want 0; log:\n%s", exit.ExitCode(), &logs)
		}
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15 s after SIGTERM (shutdown timeout 10 s); log:\n%s", &logs)
	}
	require.Less(t, time.Since(stopping), 10*time.Second, "within the shutdown timeout")

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
