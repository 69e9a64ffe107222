package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// noteVariants are notes as agents type them, in each workspace's raw
// form (what the platform delivers, before the adapter converts it).
var (
	commonNoteVariants = []string{
		"NOTE: upper case",
		"ｎｏｔｅ： full width",
		"note : space before the colon",
		"Notes: plural",
		"\u00a0note: after a no-break space",
		"\u2007note: after a figure space",
		"\u202fnote: after a narrow no-break space",
		"\u200bnote: after a zero-width space",
		"\u200cnote: after a zero-width non-joiner",
		"\u200dnote: after a zero-width joiner",
		"\u2060note: after a word joiner",
		"\ufeffnote: after a BOM",
		"\r\nnote: after a CRLF",
		"no\u200bte: zero-width inside",
		"📝 note: after an emoji",
		"🔒note: after a glued emoji",
	}
	slackNoteVariants = append([]string{
		"*note:* bold",
		"_note:_ italic",
		"~note:~ strike",
		"`note:` code",
		"&gt; note: quoted",
		"&gt;&gt;&gt; note: block quote",
		":memo: note: after a shortcode",
		"• note: in a list",
		"*Note*: bold word, colon outside",
		"<@U0COLLEAGUE> note: for a colleague",
		"<@U0COLLEAGUE|ana> *note:* for a colleague, bold",
	}, commonNoteVariants...)
	discordNoteVariants = append([]string{
		"**note:** bold",
		"*note:* italic",
		"_note:_ italic",
		"__note:__ underline",
		"~~note:~~ strike",
		"||note:|| spoiler",
		"`note:` code",
		"> note: quoted",
		">>> note: block quote",
		"# note: heading",
		"<:secret:123456789012345678> note: after a custom emoji",
		"**Note**: bold word, colon outside",
		"<@123456789012345678> note: for a colleague",
	}, commonNoteVariants...)
)

func TestNoteVariantsNeverReachTheCustomerFromSlack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		e.customerWrites("34612345678", "Ana", "wamid.nv1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		for i, text := range slackNoteVariants {
			e.agentReplies(fmt.Sprintf("EvNV%d", i), card.TS, fmt.Sprintf("1700000100.%06d", i), "UAGENT1", text)
		}
		for i := range slackNoteVariants {
			e.slack.WaitForReactions(t, hasReaction(fmt.Sprintf("1700000100.%06d", i), "memo"), waitLong)
		}
		// A real reply after them all: the customer lane is ordered, so a
		// leaked note would reach the Graph fake before it.
		e.agentReplies("EvNVReply", card.TS, "1700000200.000100", "UAGENT1", "A real answer")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		e.slack.WaitForReactions(t, hasReaction("1700000200.000100", "outbox_tray"), waitLong)
		require.Len(t, e.wa.Sends(), 1, "no note variant was sent")
		require.Equal(t, "A real answer", sends[0].Text)
	})
}

func TestNoteVariantsNeverReachTheCustomerFromDiscord(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.nv2", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		ids := make([]string, len(discordNoteVariants))
		for i, text := range discordNoteVariants {
			ids[i] = d.say(t, c, dAna, text)
		}
		for _, id := range ids {
			d.waitReaction(t, c, id, "📝")
		}
		reply := d.say(t, c, dAna, "A real answer")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		d.waitReaction(t, c, reply, "📤")
		require.Len(t, d.wa.Sends(), 1, "no note variant was sent")
		require.Equal(t, "A real answer", sends[0].Text)
	})
}

func TestNoteByDefaultTeamSendsOnlyReplyPrefixedMessagesFromSlack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams("teams:\n  - name: support\n    slack_channel: "+channel+"\n    note_by_default: true\n"))
		e.customerWrites("34612345678", "Ana", "wamid.nd1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")

		e.agentReplies("EvND1", card.TS, "1700000301.000100", "UAGENT1", "she called yesterday too")
		e.agentReplies("EvND2", card.TS, "1700000302.000100", "UAGENT1", "reply: note: still a note")
		e.agentReplies("EvND4", card.TS, "1700000302.000200", "UAGENT1", "&gt; reply: quoting a colleague's draft")
		e.agentReplies("EvND3", card.TS, "1700000303.000100", "UAGENT1", "*Reply:* Hello *Ana*, we have it")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		e.slack.WaitForReactions(t, func(rs []slacktest.Reaction) bool {
			return hasReaction("1700000301.000100", "memo")(rs) && hasReaction("1700000302.000100", "memo")(rs) &&
				hasReaction("1700000302.000200", "memo")(rs) && hasReaction("1700000303.000100", "outbox_tray")(rs)
		}, waitLong)
		require.Len(t, e.wa.Sends(), 1, "only the reply-prefixed message is sent")
		require.Equal(t, "Hello *Ana*, we have it", sends[0].Text, "sent without the prefix")
	})
}

func TestNoteByDefaultTeamSendsOnlyReplyPrefixedMessagesFromDiscord(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		team := func(name, home, kind string) string {
			return gamingTeam(name, home, kind) + "    note_by_default: true\n"
		}
		d := setupDiscordTeam(t, dialect, "text", team)
		d.customerWrites("34612345678", "Ana", "wamid.nd2", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)

		plain := d.say(t, c, dAna, "she called yesterday too")
		both := d.say(t, c, dAna, "reply: ;; still a note")
		reply := d.say(t, c, dAna, "**REPLY:** Hello **Ana**, we have it")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		d.waitReaction(t, c, plain, "📝")
		d.waitReaction(t, c, both, "📝")
		d.waitReaction(t, c, reply, "📤")
		require.Len(t, d.wa.Sends(), 1, "only the reply-prefixed message is sent")
		require.Equal(t, "Hello *Ana*, we have it", sends[0].Text, "sent without the prefix")
	})
}
