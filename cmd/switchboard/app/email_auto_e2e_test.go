package app_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
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
