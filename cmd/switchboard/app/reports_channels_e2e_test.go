package app_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
)

// Reports by channel and label, end to end on Slack: a WhatsApp customer
// (labelled vip by an agent's !label) and a Messenger customer each get
// an answer; /switchboard metrics shows one row per channel, and
// channel: and label: narrow the figures.
func TestMetricsByChannelAndLabel(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		clk := &clock{now: time.Now()}
		fake := messengertest.New(t)
		fake.AddProfile(customerPSID, "Peter", "Chang")
		e := setup(t, dialect, withClock(clk), withMessenger(fake, "support"), withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    members: [U0AGENTA01]
    supervisors: [U0SUPERV01]
    csat: {enabled: false}
`, channel)))

		e.customerWrites("34611111111", "Ana", "wamid.rc1", clk.Now(), "hello from WhatsApp")
		ana := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvRc1", ana.TS, "1700000700.000100", "U0AGENTA01", "!label add VIP")
		e.waitEphemeralWith("U0AGENTA01", "Label `vip` added")
		clk.Advance(time.Minute)
		e.replyIn(channel, "EvRc2", ana.TS, "1700000700.000200", "U0AGENTA01", "Hi Ana")
		e.wa.WaitForSends(t, 1, waitLong)

		e.messengerWrites("m_rc1", clk.Now(), "hello from Messenger")
		peter := e.waitCardIn(channel, 2)
		clk.Advance(2 * time.Minute)
		e.replyIn(channel, "EvRc3", peter.TS, "1700000700.000300", "U0AGENTA01", "Hi Peter")
		fake.WaitForMessages(t, 1, waitLong)

		span := periodAround(clk.Now())
		// The reply is counted once its event is written; the figures are
		// asked until both replies show (the sends above come after it).
		var table string
		require.Eventually(t, func() bool {
			table = e.slash("U0SUPERV01", "metrics "+span)
			return regexpMatch(`Replies\s+2`, table)
		}, waitLong, 20*time.Millisecond, "both replies counted")

		t.Run("one row per channel", func(t *testing.T) {
			require.Regexp(t, `Received\s+2\s+Resolved\s+0`, table)
			require.Regexp(t, `Channel\s+Recv\s+Strt\s+Repl\s+Res\s+Open\n`, table)
			require.Regexp(t, `Messenger\s+1\s+0\s+1\s+0\s+1\n`, table)
			require.Regexp(t, `WhatsApp\s+1\s+0\s+1\s+0\s+1\n`, table)
		})
		t.Run("channel: narrows to one channel", func(t *testing.T) {
			one := e.slash("U0SUPERV01", "metrics channel:messenger "+span)
			require.Contains(t, one, "support · channel Messenger")
			require.Regexp(t, `Received\s+1\s+Resolved\s+0`, one)
			require.Regexp(t, `First response\s+2m\s+2m\s+1`, one, "Peter's answer, not Ana's")
			require.Regexp(t, `Backlog now\s+1 open`, one)
			require.NotContains(t, one, "Recv", "a single channel needs no channel rows")
		})
		t.Run("label: narrows to the people carrying it", func(t *testing.T) {
			vip := e.slash("U0SUPERV01", "metrics label:vip "+span)
			require.Contains(t, vip, "support · label vip")
			require.Regexp(t, `Received\s+1\s+Resolved\s+0`, vip)
			require.Regexp(t, `First response\s+1m\s+1m\s+1`, vip, "Ana's answer")
			require.Regexp(t, `Backlog now\s+1 open`, vip)
			none := e.slash("U0SUPERV01", "metrics label:wholesale channel:whatsapp "+span)
			require.Regexp(t, `Received\s+0\s+Resolved\s+0`, none)
			require.Regexp(t, `Backlog now\s+0 open`, none)
		})
		t.Run("an unknown channel is explained", func(t *testing.T) {
			reply := e.slash("U0SUPERV01", "metrics channel:telegram")
			require.Contains(t, reply, "could not read “channel:telegram”")
			require.Contains(t, reply, "Channels: whatsapp, messenger, instagram, email")
		})
	})
}

func regexpMatch(pattern, s string) bool {
	return regexp.MustCompile(pattern).MatchString(s)
}
