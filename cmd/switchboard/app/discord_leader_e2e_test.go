package app_test

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// failoverBudget is what we promise: another replica holds the gateway
// within 30 s of the leader's death.
const failoverBudget = 30 * time.Second

// gatewayLockKey is the advisory lock key of the Discord gateway, computed
// as the app does (FNV-1a of "switchboard/discord-gateway"), so the test
// can find the holder's session in pg_locks.
func gatewayLockKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("switchboard/discord-gateway"))
	return int64(h.Sum64())
}

// lockHolderPID returns the server pid of the session holding the gateway
// lock, or 0.
func lockHolderPID(t *testing.T, db *storage.DB) int {
	t.Helper()
	key := uint64(gatewayLockKey())
	var pids []int
	require.NoError(t, db.SelectContext(context.Background(), &pids, `
SELECT pid FROM pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 1
  AND classid = $1 AND objid = $2
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
		int64(key>>32), int64(key&0xffffffff)))
	require.LessOrEqual(t, len(pids), 1, "one holder at most")
	if len(pids) == 0 {
		return 0
	}
	return pids[0]
}

// leaders returns the indexes of the replicas that hold the gateway.
func leaders(apps []*app.App) []int {
	var out []int
	for i, a := range apps {
		if a != nil && a.DiscordLeader() {
			out = append(out, i)
		}
	}
	return out
}

// waitOneLeader waits until exactly one live replica leads and the fake
// sees exactly one gateway connection, and returns the leader's index.
func waitOneLeader(t *testing.T, fake *discordtest.Server, apps []*app.App) int {
	t.Helper()
	require.Eventually(t, func() bool { return len(leaders(apps)) == 1 && fake.Connections() == 1 },
		failoverBudget, 20*time.Millisecond, "exactly one replica holds the gateway")
	return leaders(apps)[0]
}

// waitIdentifies waits for the n-th IDENTIFY and returns when it came.
func waitIdentifies(t *testing.T, fake *discordtest.Server, n int) time.Time {
	t.Helper()
	fake.WaitFor(t, failoverBudget, fmt.Sprintf("IDENTIFY number %d", n), func() bool { return len(fake.Identifies()) >= n })
	return time.Now()
}

// Two replicas on one PostgreSQL: exactly one holds the gateway. When its
// lock session is killed, and later when it shuts down, the other takes
// over within 30 s; HTTP and jobs go on on both, and agents' messages keep
// reaching the customer.
func TestDiscordGatewayHasOneLeaderAndFailsOver(t *testing.T) {
	t.Parallel()
	d := setupDiscord(t, storage.Postgres, "text")
	second, err := app.Build(context.Background(), d.cfg, d.tune)
	require.NoError(t, err)
	require.NoError(t, second.Start(context.Background()))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = second.Serve(ln) }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = second.Shutdown(ctx)
		}
	})
	secondURL := "http://" + ln.Addr().String()
	apps := []*app.App{d.app, second}

	require.False(t, second.DiscordLeader(), "Start tried the lock once: the second replica follows")
	require.Equal(t, 0, waitOneLeader(t, d.fake, apps), "the first replica leads")
	require.Len(t, d.fake.Identifies(), 1)

	// Both replicas take webhooks and run jobs.
	resp := whatsapptest.PostWebhook(t, secondURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.TextMessage(phoneID, "34612345678", "Ana", "wamid.lead1", time.Now(), "Hola"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	c := d.waitConv(t, d.home, 1)
	d.say(t, c, dAna, "before failover")
	d.wa.WaitForSends(t, 1, waitLong)

	t.Run("the leader's lock session is killed", func(t *testing.T) {
		pid := lockHolderPID(t, d.app.DB)
		require.NotZero(t, pid)
		var ok bool
		require.NoError(t, d.app.DB.GetContext(context.Background(), &ok, `SELECT pg_terminate_backend($1)`, pid))
		require.True(t, ok)
		killed := time.Now()
		took := waitIdentifies(t, d.fake, 2).Sub(killed)
		leader := waitOneLeader(t, d.fake, apps)
		t.Logf("lock session killed: replica %d holds the gateway after %v", leader+1, took.Round(time.Millisecond))
		require.Less(t, took, failoverBudget)
		require.NotEqual(t, pid, lockHolderPID(t, d.app.DB), "a new session holds the lock")
	})

	d.say(t, c, dAna, "after the first failover")
	d.wa.WaitForSends(t, 2, waitLong)

	t.Run("the leader shuts down", func(t *testing.T) {
		leader := leaders(apps)[0]
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		down := time.Now()
		if leader == 0 {
			d.stop()
		} else {
			require.NoError(t, second.Shutdown(ctx))
			stopped = true
		}
		apps[leader] = nil
		took := waitIdentifies(t, d.fake, 3).Sub(down)
		next := waitOneLeader(t, d.fake, apps)
		t.Logf("replica %d shut down: replica %d holds the gateway after %v", leader+1, next+1, took.Round(time.Millisecond))
		require.Less(t, took, failoverBudget)
	})

	d.say(t, c, dAna, "after the second failover")
	sends := d.wa.WaitForSends(t, 3, waitLong)
	require.Equal(t, "after the second failover", sends[2].Text)
}

// The real command, twice, on one PostgreSQL: SIGKILL the replica holding
// the gateway and the other takes it over within 30 s (measured).
func TestDiscordGatewayFailsOverWhenTheLeaderIsKilled(t *testing.T) {
	t.Parallel()
	bin := switchboardBinary(t)
	wa, slack, fake := whatsapptest.New(t), slacktest.New(t), discordtest.New(t)
	home := fake.AddTextChannel("gaming")
	dbURL := storagetest.URL(t, storage.Postgres)

	type replica struct {
		cmd  *exec.Cmd
		addr string
	}
	start := func(name string) replica {
		addr := freeAddr(t)
		cfgPath := filepath.Join(t.TempDir(), name+".yaml")
		require.NoError(t, os.WriteFile(cfgPath, []byte(fmt.Sprintf(`
server:
  listen: %q
  shutdown_timeout: 2s
database:
  url: %q
whatsapp:
  graph_api_url: %q
  access_token: %q
  app_secret: %q
  verify_token: verify-me
  inboxes:
    - phone_number_id: %q
slack:
  api_url: %q
  bot_token: %q
  signing_secret: %q
teams:
%sdiscord:
  bot_token: fake-discord-token
  guild_id: %q
  api_url: %q
delivery:
  poll_interval: 10ms
`, addr, dbURL, wa.URL, wa.Token, appSecret, phoneID, slack.URL(), slacktest.Token, signingSecret,
			gamingTeam("gaming", home, "text"), discordtest.GuildID, fake.URL())), 0o600))
		cmd := exec.Command(bin, "serve", "-config", cfgPath)
		if testing.Verbose() {
			cmd.Stderr = os.Stderr
		}
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		require.Eventually(t, func() bool {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		}, waitLong, 20*time.Millisecond, "%s became ready", name)
		return replica{cmd: cmd, addr: addr}
	}
	// leaderGauge reads switchboard_discord_gateway_leader from /metrics.
	leaderGauge := func(r replica) string {
		resp, err := http.Get("http://" + r.addr + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "switchboard_discord_gateway_leader "); ok {
				return v
			}
		}
		return ""
	}

	first := start("first")
	waitIdentifies(t, fake, 1)
	require.Eventually(t, func() bool { return leaderGauge(first) == "1" }, waitLong, 20*time.Millisecond)
	second := start("second")
	require.Equal(t, "0", leaderGauge(second), "the second replica follows")
	require.Equal(t, 1, fake.Connections())

	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	_ = first.cmd.Wait()
	took := waitIdentifies(t, fake, 2).Sub(killed)
	t.Logf("leader killed (SIGKILL): the other replica holds the gateway after %v", took.Round(time.Millisecond))
	require.Less(t, took, failoverBudget)
	require.Eventually(t, func() bool { return leaderGauge(second) == "1" && fake.Connections() == 1 }, waitLong, 20*time.Millisecond)

	// The survivor serves the conversation end to end.
	resp := whatsapptest.PostWebhook(t, "http://"+second.addr+"/webhooks/whatsapp", appSecret,
		whatsapptest.TextMessage(phoneID, "34612345678", "Ana", "wamid.kill1", time.Now(), "Hola"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var thread string
	fake.WaitFor(t, waitLong, "a thread with the customer's message", func() bool {
		for _, th := range fake.Threads(home) {
			for _, m := range fake.Messages(th.ID) {
				if strings.Contains(m.Content, "Hola") {
					thread = th.ID
					return true
				}
			}
		}
		return false
	})
	fake.SendMessage(t, discordtest.MessageSpec{ChannelID: thread, Author: dAna, Content: "served by the survivor"})
	sends := wa.WaitForSends(t, 1, waitLong)
	require.Equal(t, "served by the survivor", sends[0].Text)
}
