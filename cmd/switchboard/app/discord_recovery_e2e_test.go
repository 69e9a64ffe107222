package app_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// withDiscordRecovery shortens the gateway's store attempts and the time
// it keeps trying a message that could not be stored.
func withDiscordRecovery(store, recoverFor time.Duration) option {
	return func(e *env, _ *strings.Builder) {
		e.tune.DiscordStoreTimeout, e.tune.DiscordRecoverFor = store, recoverFor
	}
}

// holdWrites takes the database away from switchboard's writers, for real,
// until release: on PostgreSQL a session holds an ACCESS EXCLUSIVE lock on
// processed_events (every stored event passes there first), on SQLite a
// connection holds an EXCLUSIVE transaction on the file.
func holdWrites(t *testing.T, e *env) (release func()) {
	t.Helper()
	ctx := context.Background()
	driver, dsn := "postgres", e.dbURL
	if path, ok := strings.CutPrefix(e.dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	if driver == "sqlite" {
		_, err = conn.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	} else {
		_, err = conn.ExecContext(ctx, `BEGIN`)
		if err == nil {
			_, err = conn.ExecContext(ctx, `LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE`)
		}
	}
	require.NoError(t, err)
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		_, _ = conn.ExecContext(ctx, `ROLLBACK`)
		_ = conn.Close()
		_ = db.Close()
	}
	t.Cleanup(release)
	return release
}

// sentTexts are the texts the customer received, in order.
func sentTexts(sends []whatsapptest.Send) []string {
	var out []string
	for _, s := range sends {
		out = append(out, s.Text)
	}
	return out
}

// waitFetched waits until switchboard fetched the thread's messages over
// REST at least n times.
func (d *dside) waitFetched(t *testing.T, c dconv, n int) {
	t.Helper()
	d.fake.WaitFor(t, waitLong, "messages fetched again over REST", func() bool {
		got := 0
		for _, r := range d.fake.Requests() {
			if r.Route == discordtest.RouteGetMessages && strings.Contains(r.Path, "/channels/"+c.thread+"/") {
				got++
			}
		}
		return got >= n
	})
}

// An agent's reply that could not be stored because the database refused
// writes is fetched again over REST once the database is back, and
// reaches the customer exactly once, in order.
func TestDiscordReplyNotStoredDuringADatabaseOutageReachesTheCustomerOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withDiscordRecovery(time.Second, time.Hour))
		d.customerWrites("34612345678", "Ana", "wamid.rc1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dAna, "one")
		d.wa.WaitForSends(t, 1, waitLong)

		release := holdWrites(t, d.env)
		d.say(t, c, dAna, "two")
		d.waitFetched(t, c, 1) // not stored: recovery is trying
		release()

		d.wa.WaitForSends(t, 2, waitLong)
		d.say(t, c, dAna, "three")
		sends := d.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, []string{"one", "two", "three"}, sentTexts(sends))
	})
}

// The database itself goes down (a throwaway PostgreSQL cluster is
// stopped): the leader loses its lock and the gateway, an agent's reply
// written meanwhile is fetched from the thread's stored mark when the
// gateway is held again, and reaches the customer exactly once.
func TestDiscordReplyWrittenWhileTheDatabaseIsDownIsFetchedAfterRecovery(t *testing.T) {
	t.Parallel()
	pg := startThrowawayPostgres(t)
	d := setupDiscord(t, storage.SQLite, "text", withDatabaseURL(pg.url), withJobTimeout(5*time.Second))
	d.customerWrites("34612345678", "Ana", "wamid.rc2", time.Now(), "Hola")
	c := d.waitConv(t, d.home, 1)
	// The reply's "sent" mark shows its delivery was recorded: an outage
	// before that may send it twice, which is the lanes' business, not
	// this test's.
	d.waitReaction(t, c, d.say(t, c, dAna, "one"), "📤")

	pg.stop(t)
	d.say(t, c, dAna, "two")
	require.Eventually(t, func() bool { return !d.app.DiscordLeader() }, waitLong, 20*time.Millisecond,
		"without its database the replica gives the gateway up")
	pg.start(t)
	d.fake.WaitIdentified(t, 2)

	d.wa.WaitForSends(t, 2, failoverBudget)
	d.say(t, c, dAna, "three")
	sends := d.wa.WaitForSends(t, 3, waitLong)
	require.Equal(t, []string{"one", "two", "three"}, sentTexts(sends))
}

// Messages the gateway never delivered (written while the connection was
// down, and not replayed by Discord) are fetched over REST after the
// session is resumed, or after a new session's READY, and reach the
// customer exactly once, in the order written, before later ones.
func TestDiscordMessagesTheGatewayMissedAreFetchedInOrder(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"resumed", "identified again"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dialect string) {
				d := setupDiscord(t, dialect, "text")
				d.customerWrites("34612345678", "Ana", "wamid.gm1", time.Now(), "Hola")
				c := d.waitConv(t, d.home, 1)
				d.say(t, c, dAna, "one")
				d.wa.WaitForSends(t, 1, waitLong)

				if how == "identified again" {
					d.fake.RefuseResume()
				}
				d.fake.DropConnection(t)
				for _, text := range []string{"two", "three"} {
					d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: dAna, Content: text, Lost: true})
				}
				if how == "resumed" {
					d.fake.WaitResumed(t, 1)
				} else {
					d.fake.WaitIdentified(t, 2)
				}
				d.say(t, c, dAna, "four")
				d.wa.WaitForSends(t, 4, waitLong)
				d.say(t, c, dAna, "marker")
				sends := d.wa.WaitForSends(t, 5, waitLong)
				require.Equal(t, []string{"one", "two", "three", "four", "marker"}, sentTexts(sends))
			})
		})
	}
}

// When a message still cannot be stored after the recovery time, its
// author is told in the thread, in the team's language, to send it again;
// it is never sent later.
func TestDiscordMessageNeverStoredIsReportedToItsAuthor(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withDiscordRecovery(500*time.Millisecond, 2*time.Second))
		d.customerWrites("34612345678", "Ana", "wamid.ns1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dAna, "one")
		d.wa.WaitForSends(t, 1, waitLong)

		release := holdWrites(t, d.env)
		d.say(t, c, dAna, "two")
		d.fake.WaitFor(t, waitLong, "the author is told", func() bool {
			for _, p := range d.botPosts(c) {
				if strings.HasPrefix(p, "<@"+dAna.ID+">") && strings.Contains(p, "could not be saved") {
					return true
				}
			}
			return false
		})
		release()

		d.say(t, c, dAna, "three")
		d.wa.WaitForSends(t, 2, waitLong)
		d.say(t, c, dAna, "marker")
		sends := d.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, []string{"one", "three", "marker"}, sentTexts(sends), "the message given up is never sent")
	})
}

// The replica holding the gateway shuts down; agents' messages written
// before another replica holds it are never delivered by Discord to the
// new session. The new leader fetches them from the thread's mark, which
// the old leader stored in the database, and the customer gets each once,
// in order.
func TestDiscordNewLeaderFetchesWhatNoReplicaReceived(t *testing.T) {
	t.Parallel()
	d := setupDiscord(t, storage.Postgres, "text")
	second, err := app.Build(context.Background(), d.cfg, d.tune)
	require.NoError(t, err)
	require.NoError(t, second.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	apps := []*app.App{d.app, second}
	require.Equal(t, 0, waitOneLeader(t, d.fake, apps))

	d.customerWrites("34612345678", "Ana", "wamid.nl1", time.Now(), "Hola")
	c := d.waitConv(t, d.home, 1)
	d.waitReaction(t, c, d.say(t, c, dAna, "one"), "📤")

	d.stop()
	apps[0] = nil
	for _, text := range []string{"two", "three"} {
		d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: dAna, Content: text, Lost: true})
	}
	waitIdentifies(t, d.fake, 2)
	require.Equal(t, 1, waitOneLeader(t, d.fake, apps))

	d.say(t, c, dAna, "four")
	d.wa.WaitForSends(t, 4, waitLong)
	d.say(t, c, dAna, "marker")
	sends := d.wa.WaitForSends(t, 5, waitLong)
	require.Equal(t, []string{"one", "two", "three", "four", "marker"}, sentTexts(sends))
}

// A message the gateway missed is fetched over REST without its author's
// roles; when Discord fails to tell them for a while (GET
// /guilds/{guild}/members/{user} answers 500), the message of an agent of
// a team by role is kept and tried again, not dropped as an outsider's:
// it reaches the customer once, in order.
func TestDiscordMissedReplyWhoseAuthorsRolesCannotBeReadReachesTheCustomer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscordTeam(t, dialect, "text", roleTeam)
		d.customerWrites("34612345678", "Ana", "wamid.mr1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dRoleAna, "one")
		d.wa.WaitForSends(t, 1, waitLong)

		d.fake.FailNext(discordtest.RouteGetMember, discordtest.ServerError(500), discordtest.ServerError(500))
		d.fake.DropConnection(t)
		d.fake.SendMessage(t, discordtest.MessageSpec{ChannelID: c.thread, Author: dRoleAna, Content: "two", Lost: true})
		d.fake.WaitResumed(t, 1)
		d.say(t, c, dRoleAna, "three")
		sends := d.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, []string{"one", "two", "three"}, sentTexts(sends))
	})
}
