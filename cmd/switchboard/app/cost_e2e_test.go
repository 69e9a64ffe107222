package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// costPricing is the rate table of the cost tests: Brazil's marketing
// rate differs from the default.
const costPricing = `pricing:
  currency: USD
  rates: {marketing: 0.0250, utility: 0.0040, authentication: 0.0035}
  countries:
    BR: {marketing: 0.0625}
`

// pricedStatus posts a status webhook for wamid, sent to recipient, with
// a per-message pricing object (category, type) as Meta sends it.
func (e *env) pricedStatus(wamid, status, recipient, category, typ string) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.PricedStatusUpdate(phoneID, wamid, status, recipient, time.Now(), whatsapptest.Pricing(category, typ)))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// waitRecorded waits until switchboard has recorded the wamid of each
// send (the statuses then find their conversation's team).
func (e *env) waitRecorded(sends ...whatsapptest.Send) {
	e.t.Helper()
	for _, s := range sends {
		require.NotEmpty(e.t, s.WAMID)
		require.Eventually(e.t, func() bool {
			return e.count(fmt.Sprintf("SELECT COUNT(*) FROM messages WHERE external_id = '%s'", s.WAMID)) == 1
		}, waitLong, 10*time.Millisecond, "the send of %q is recorded", s.Text)
	}
}

// sendTo finds the message send whose text contains sub.
func sendTo(t *testing.T, sends []whatsapptest.Send, sub string) whatsapptest.Send {
	t.Helper()
	for _, s := range sends {
		if strings.Contains(s.Text, sub) {
			return s
		}
	}
	t.Fatalf("no send contains %q", sub)
	return whatsapptest.Send{}
}

// The pricing of status webhooks is stored once per message and shown by
// /switchboard metrics per team and category, priced with the config's
// rates (a country's own rate where it has one), on both databases.
func TestSlackMetricsShowBillableMessagesAndTheirCost(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTopLevel(costPricing), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    supervisors: [U0SUPERV01]
    csat: {enabled: false}
`, channel)))
		e.customerWrites("34611111111", "Ana", "wamid.cost-a", time.Now(), "hola")
		ana := e.waitCardIn(channel, 1)
		e.customerWrites("5511987654321", "Bruno", "wamid.cost-b", time.Now(), "oi")
		bruno := e.waitCardIn(channel, 2)
		e.replyIn(channel, "EvCost1", ana.TS, "1700000601.000100", "U0AGENTA01", "offer one")
		e.replyIn(channel, "EvCost2", ana.TS, "1700000602.000100", "U0AGENTA01", "your order shipped")
		e.replyIn(channel, "EvCost3", ana.TS, "1700000603.000100", "U0AGENTA01", "anything else?")
		e.replyIn(channel, "EvCost4", bruno.TS, "1700000604.000100", "U0AGENTA01", "offer two")
		sends := e.waitMessageSends(4)
		offer1, shipped, anything, offer2 := sendTo(t, sends, "offer one"), sendTo(t, sends, "shipped"), sendTo(t, sends, "anything"), sendTo(t, sends, "offer two")
		e.waitRecorded(offer1, shipped, anything, offer2)

		// Meta prices each message on its statuses; the category here is
		// made up for the test (a real marketing message is a template).
		e.pricedStatus(offer1.WAMID, "sent", "34611111111", "marketing", "regular")
		e.pricedStatus(offer1.WAMID, "sent", "34611111111", "marketing", "regular") // Meta's retry
		e.pricedStatus(offer1.WAMID, "delivered", "34611111111", "marketing", "regular")
		e.pricedStatus(offer1.WAMID, "read", "34611111111", "utility", "regular") // the first pricing stays
		e.pricedStatus(shipped.WAMID, "sent", "34611111111", "utility", "regular")
		e.pricedStatus(anything.WAMID, "sent", "34611111111", "service", "free_customer_service")
		e.pricedStatus(offer2.WAMID, "delivered", "5511987654321", "marketing", "regular")
		require.Equal(t, 4, e.count("SELECT COUNT(*) FROM message_costs"), "one row per message")

		table := e.slash("U0SUPERV01", "metrics "+periodAround(time.Now()))
		require.Regexp(t, `Cost\s+Billable\s+Free\s+USD\n`, table)
		require.Regexp(t, `support · marketing\s+2\s+0\s+0\.0875\n`, table, "0.0250 in Spain + 0.0625 in Brazil")
		require.Regexp(t, `support · utility\s+1\s+0\s+0\.0040\n`, table)
		require.Regexp(t, `support · service\s+0\s+1\s+0\.00\n`, table)
		require.Regexp(t, `Total\s+3\s+1\s+0\.0915\n`, table)

		require.NotContains(t, e.slash("U0SUPERV01", "metrics @U0AGENTA01 "+periodAround(time.Now())), "Billable",
			"costs belong to teams, not to an agent's figures")
		require.NotContains(t, e.slash("U0SUPERV01", "metrics "+periodAround(time.Now().AddDate(0, 0, -10))), "Billable",
			"nothing priced in another period")
	})
}

// The same figures on a Discord team's /metrics.
func TestDiscordMetricsShowBillableMessagesAndTheirCost(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text", withTopLevel(costPricing))
		d.customerWrites("34611111111", "Ana", "wamid.dcost-a", time.Now(), "hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dAna, "offer one")
		d.say(t, c, dAna, "your code is 123")
		sends := d.waitMessageSends(2)
		offer, code := sendTo(t, sends, "offer one"), sendTo(t, sends, "your code")
		d.waitRecorded(offer, code)
		d.pricedStatus(offer.WAMID, "sent", "34611111111", "marketing", "regular")
		d.pricedStatus(offer.WAMID, "sent", "34611111111", "marketing", "regular")
		d.pricedStatus(code.WAMID, "delivered", "34611111111", "authentication", "regular")

		table := d.command(t, c, dSuper, "metrics")
		require.Regexp(t, `gaming · marketing\s+1\s+0\s+0\.0250\n`, table)
		require.Regexp(t, `gaming · authentication\s+1\s+0\s+0\.0035\n`, table)
		require.Regexp(t, `Total\s+2\s+0\s+0\.0285\n`, table)
	})
}
