package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// The bridge's own mail (here the away message) carries Auto-Submitted:
// auto-replied (RFC 3834 section 5), so the customer's autoresponder does
// not answer it; an agent's reply does not (review 12, finding 18).
func TestEmailAwayMessageIsMarkedAutoSubmittedAndAgentRepliesAreNot(t *testing.T) {
	t.Parallel()
	clk := &clock{now: middayYesterday()}
	today := clk.Now().UTC().Format("2006-01-02")
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		e := setup(t, dialect, withEmail(t, &m), withClock(clk), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    hours:
      time_zone: UTC
      weekly: {daily: ["00:00-23:59"]}
      holidays: [%q]
    away_message:
      en: "We are closed today."
`, channel, today)))
		m.imap.Deliver(customerMail("<CAKauto1@mail.example.org>", "Order 1042", "Hi, where is my order?"))
		away := m.smtp.WaitSent(t, 1, waitLong)[0]
		require.Contains(t, away.Body(), "We are closed today.")
		require.Equal(t, "auto-replied", away.Header.Get("Auto-Submitted"))

		card := e.waitCardAndThread("where is my order?")
		e.agentReplies("EvAuto1", card.TS, "1700000001.000100", "UAGENT1", "It leaves today.")
		sent := m.smtp.WaitSent(t, 2, waitLong)
		require.Contains(t, sent[1].Body(), "It leaves today.")
		require.Empty(t, sent[1].Header.Get("Auto-Submitted"), "a person's reply is not automatic")
	})
}

// Two replicas on one PostgreSQL: only the elected one runs the IMAP
// receiver (one IDLE connection, no mail imported twice); when it shuts
// down the other takes the receiver over and imports what arrives next
// (review 12, finding 11).
func TestEmailReceiverRunsOnTheLeaderOnly(t *testing.T) {
	t.Parallel()
	var m mailFakes
	e := setup(t, storage.Postgres, withEmail(t, &m))
	second, err := app.Build(context.Background(), e.cfg, e.tune)
	require.NoError(t, err)
	require.NoError(t, second.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	require.True(t, e.app.ReceiversLeader(), "the first replica leads")
	require.False(t, second.ReceiversLeader(), "Start tried the lock once: the second replica follows")

	m.imap.Deliver(customerMail("<CAKlead1@mail.example.org>", "Order 1042", "Hi, where is my order?"))
	e.waitCardAndThread("where is my order?")
	require.Equal(t, 1, m.imap.Logins(), "one IMAP connection for two replicas")
	require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM messages WHERE direction = 'in'`))

	e.stop()
	require.Eventually(t, second.ReceiversLeader, failoverBudget, 20*time.Millisecond, "the second replica takes the receiver over")
	m.imap.Deliver(customerMail("<CAKlead2@mail.example.org>", "Order 1042", "Still nothing?"))
	require.Eventually(t, func() bool {
		var n int
		_ = second.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM messages WHERE direction = 'in'`)
		return n == 2
	}, waitLong, 20*time.Millisecond, "the new leader imports the next mail")
	require.Equal(t, 2, m.imap.Logins())
}
