package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// Read receipts and typing (issue 17): when an agent acts on the
// customer's messages, the newest one is marked read on WhatsApp (blue
// ticks), with the typing indicator when a reply follows, once per
// message, never holding a reply back. Each test runs on Slack and on
// Discord, on both databases.

// rside is one running switchboard with one conversation, seen from the
// workspace its team lives in.
type rside struct {
	*env
	ws string
	// open waits for the conversation's thread to show each of subs.
	open func(subs ...string)
	// reply posts an agent's message in the thread; eventID makes a Slack
	// retry the same event.
	reply func(eventID, text string) (key string)
	claim func()
	// posts are what switchboard posted in the thread, the card aside.
	posts func() []string
	// waitSent waits for the sent mark on the agent message key.
	waitSent func(key string)
}

// eachWorkspace runs fn on Slack and on Discord (a text channel), on both
// databases, with readReceipts as the team's read_receipts ("" leaves the
// default).
func eachWorkspace(t *testing.T, readReceipts string, fn func(t *testing.T, s *rside), opts ...option) {
	teamOpt := ""
	if readReceipts != "" {
		teamOpt = "    read_receipts: " + readReceipts + "\n"
	}
	t.Run("slack", func(t *testing.T) {
		t.Parallel()
		eachDialect(t, func(t *testing.T, dialect string) {
			e := setup(t, dialect, append([]option{withTeams("teams:\n  - name: support\n    slack_channel: " + channel + "\n" + teamOpt)}, opts...)...)
			fn(t, slackSide(t, e))
		})
	})
	t.Run("discord", func(t *testing.T) {
		t.Parallel()
		eachDialect(t, func(t *testing.T, dialect string) {
			d := setupDiscordTeam(t, dialect, "text", func(name, home, kind string) string {
				return gamingTeam(name, home, kind) + teamOpt
			}, opts...)
			fn(t, discordSide(t, d))
		})
	})
}

func slackSide(t *testing.T, e *env) *rside {
	s := &rside{env: e, ws: "slack"}
	var card slacktest.Message
	var seq atomic.Int64
	tsOf := map[string]string{} // a retried event keeps its message's ts
	s.open = func(subs ...string) { card = e.waitCardAndThread(subs...) }
	s.reply = func(eventID, text string) string {
		ts, ok := tsOf[eventID]
		if !ok {
			ts = fmt.Sprintf("17000%05d.000100", seq.Add(1))
		}
		if eventID == "" {
			eventID = "Ev" + ts
		}
		tsOf[eventID] = ts
		e.agentReplies(eventID, card.TS, ts, "UAGENT1", text)
		return ts
	}
	s.claim = func() {
		e.clicks(fmt.Sprintf("trig%d", seq.Add(1)), "UAGENT1", card.TS, "claim", conversationID(t, card))
		e.waitCardAndThread("claimed this conversation")
	}
	s.posts = func() []string { return inThread(e.slack.Posts(), card.TS) }
	s.waitSent = func(key string) { e.slack.WaitForReactions(t, hasReaction(key, "outbox_tray"), waitLong) }
	return s
}

func discordSide(t *testing.T, d *dside) *rside {
	s := &rside{env: d.env, ws: "discord"}
	var c dconv
	s.open = func(subs ...string) {
		c = d.waitConv(t, d.home, 1)
		for _, sub := range subs {
			d.waitPost(t, c, sub)
		}
	}
	s.reply = func(_, text string) string { return d.say(t, c, dAna, text) }
	s.claim = func() {
		d.command(t, c, dAna, "claim")
		d.waitPost(t, c, "claimed this conversation")
	}
	s.posts = func() []string { return d.botPosts(c) }
	s.waitSent = func(key string) { d.waitReaction(t, c, key, "📤") }
	return s
}

// A read that would announce a reply runs ahead of that reply in the
// customer lane: once a reply is recorded by the fake, any read it needed
// is too, so counting reads after waiting for a send is sound.

// on_reply (the default): a claim marks nothing; the first reply marks the
// newest of the customer's messages read, with typing, before the
// reply's text; a second reply to the same messages reads nothing again;
// a new customer message is read by the next reply.
func TestReadReceiptsOnReplyMarkTheNewestMessageOnceWithTyping(t *testing.T) {
	t.Parallel()
	eachWorkspace(t, "", func(t *testing.T, s *rside) {
		base := time.Now().Add(-time.Minute) // the third message, written now, is newer
		s.customerWrites("34612345678", "Ana", "wamid.rr1", base, "first question")
		s.customerWrites("34612345678", "Ana", "wamid.rr2", base.Add(time.Second), "second question")
		s.open("first question", "second question")

		s.claim()
		s.reply("", "One answer")
		sends := s.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "One answer", sends[0].Text)
		require.Equal(t, []whatsapptest.Read{{PhoneNumberID: phoneID, MessageID: "wamid.rr2", Typing: true, SendsBefore: 0}},
			s.wa.Reads(), "the claim read nothing; the reply read the newest message once, typing, before its text")

		s.reply("", "And another thing")
		sends = s.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "And another thing", sends[1].Text)
		require.Len(t, s.wa.Reads(), 1, "a second reply to the same messages reads nothing again (and shows no typing)")

		s.customerWrites("34612345678", "Ana", "wamid.rr3", time.Now(), "third question")
		s.open("third question")
		s.reply("", "Third answer")
		s.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, []whatsapptest.Read{
			{PhoneNumberID: phoneID, MessageID: "wamid.rr2", Typing: true, SendsBefore: 0},
			{PhoneNumberID: phoneID, MessageID: "wamid.rr3", Typing: true, SendsBefore: 2},
		}, s.wa.Reads(), "the new message is read by the next reply, before it")
	})
}

// on_claim: the claim marks the customer's message read without typing
// (no reply follows yet); the reply after it reads nothing again.
func TestReadReceiptsOnClaimMarkReadWithoutTyping(t *testing.T) {
	t.Parallel()
	eachWorkspace(t, "on_claim", func(t *testing.T, s *rside) {
		s.customerWrites("34612345678", "Ana", "wamid.rc1", time.Now(), "anyone there?")
		s.open("anyone there?")

		s.claim()
		reads := s.wa.WaitForReads(t, 1, waitLong)
		require.Equal(t, []whatsapptest.Read{{PhoneNumberID: phoneID, MessageID: "wamid.rc1"}}, reads, "read on the claim, no typing")

		s.reply("", "Yes, here")
		sends := s.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Yes, here", sends[0].Text)
		require.Len(t, s.wa.Reads(), 1, "the reply after the claim reads nothing again")
	})
}

// never: no read call at all, whatever the agents do; replies still go.
func TestReadReceiptsNeverMarkNothing(t *testing.T) {
	t.Parallel()
	eachWorkspace(t, "never", func(t *testing.T, s *rside) {
		s.customerWrites("34612345678", "Ana", "wamid.rn1", time.Now(), "hello?")
		s.open("hello?")
		s.claim()
		s.reply("", "Hello!")
		sends := s.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hello!", sends[0].Text)
		require.Empty(t, s.wa.Reads(), "never: no blue ticks, and so no typing either")
	})
}

// A mark-read that WhatsApp refuses (500, then 400 for an old message) is
// dropped: the replies still arrive, in order, and the thread shows no
// failure for it.
func TestReadReceiptFailuresNeverHoldBackAReply(t *testing.T) {
	t.Parallel()
	for _, f := range []whatsapptest.Failure{
		{Status: http.StatusInternalServerError, Code: 131000, Transient: true, Message: "Something went wrong"},
		{Status: http.StatusBadRequest, Code: 100, Message: "(#100) Invalid parameter"},
	} {
		t.Run(fmt.Sprint(f.Status), func(t *testing.T) {
			t.Parallel()
			eachWorkspace(t, "", func(t *testing.T, s *rside) {
				s.customerWrites("34612345678", "Ana", "wamid.rf1", time.Now(), "are you open?")
				s.open("are you open?")
				before := len(s.posts())
				s.wa.ScriptReads(f)

				first := s.reply("", "We are")
				second := s.reply("", "until eight")
				sends := s.wa.WaitForSends(t, 2, waitLong)
				require.Equal(t, []string{"We are", "until eight"}, []string{sends[0].Text, sends[1].Text}, "in order")
				require.Empty(t, s.wa.Reads(), "the refused read was tried once, and not again for the second reply")

				s.waitSent(first)
				s.waitSent(second)
				require.Len(t, s.posts(), before, "no failure line in the thread for a read")
				for _, p := range s.posts() {
					require.NotContains(t, p, "not delivered")
				}
				require.True(t, strings.Contains(metrics(t, s.env), `switchboard_deliveries_total{platform="whatsapp_read",result="dropped"} 1`),
					"the dropped read is counted")
			})
		})
	}
}

// A Slack event delivered again (same event_id) reads and sends nothing
// twice.
func TestReadReceiptsSlackEventRetryChangesNothing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		s := slackSide(t, e)
		s.customerWrites("34612345678", "Ana", "wamid.rs1", time.Now(), "ping")
		s.open("ping")
		for range 3 {
			s.reply("EvRetry1", "pong") // one event, delivered three times
		}
		s.wa.WaitForSends(t, 1, waitLong)
		// A marker reply after the retries proves the lane drained past them.
		s.reply("EvMarker", "marker")
		sends := s.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, []string{"pong", "marker"}, []string{sends[0].Text, sends[1].Text}, "the retried event was sent once")
		require.Equal(t, []whatsapptest.Read{{PhoneNumberID: phoneID, MessageID: "wamid.rs1", Typing: true}}, s.wa.Reads(),
			"and read once")
	})
}

// metrics scrapes /metrics.
func metrics(t *testing.T, e *env) string {
	t.Helper()
	resp, err := http.Get(e.baseURL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return buf.String()
}

// Discord's counterpart of an event retry: an agent's message dispatched
// while the gateway is down comes back on RESUME (and the catch-up may
// fetch it again); it reads and sends once.
func TestReadReceiptsDiscordResumeChangesNothing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.dg1", time.Now().Add(-time.Minute), "Hola")
		c := d.waitConv(t, d.home, 1)
		d.say(t, c, dAna, "one")
		d.wa.WaitForSends(t, 1, waitLong)

		d.customerWrites("34612345678", "Ana", "wamid.dg2", time.Now(), "still there?")
		d.waitPost(t, c, "still there?")
		d.fake.DropConnection(t)
		d.say(t, c, dAna, "two") // dispatched while nobody is connected, replayed on resume
		d.fake.WaitResumed(t, 1)
		d.wa.WaitForSends(t, 2, waitLong)

		d.say(t, c, dAna, "marker") // proves the lane drained past any double
		sends := d.wa.WaitForSends(t, 3, waitLong)
		require.Equal(t, []string{"one", "two", "marker"}, []string{sends[0].Text, sends[1].Text, sends[2].Text})
		require.Equal(t, []whatsapptest.Read{
			{PhoneNumberID: phoneID, MessageID: "wamid.dg1", Typing: true, SendsBefore: 0},
			{PhoneNumberID: phoneID, MessageID: "wamid.dg2", Typing: true, SendsBefore: 1},
		}, d.wa.Reads(), "each customer message read once, before the reply that answered it")
	})
}

// The other direction, already built: the receipts of our replies show on
// the agent's message in the thread. Slack has its test
// (TestAgentReplyReachesCustomerWithReceipts, TestFailedStatusIsExplainedInTheThread);
// this is Discord's for a typed reply: 📤 sent, ☑️ delivered, 👁️ read,
// each replacing the one before, and ❌ with the reason for a failed one.
func TestDiscordReplyReceiptsShowSentDeliveredReadAndFailed(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34612345678", "Ana", "wamid.dd1", time.Now(), "Hola")
		c := d.waitConv(t, d.home, 1)
		status := func(wamid, s string, code int) {
			resp := whatsapptest.PostWebhook(t, d.baseURL+"/webhooks/whatsapp", appSecret,
				whatsapptest.StatusUpdate(phoneID, wamid, s, time.Now(), code))
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
		only := func(key, emoji string) {
			t.Helper()
			d.fake.WaitFor(t, waitLong, "only "+emoji+" on "+key, func() bool {
				rs := d.fake.Reactions(c.thread, key)
				return len(rs) == 1 && rs[0] == emoji
			})
		}

		first := d.say(t, c, dAna, "first")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		only(first, "📤")
		status(sends[0].WAMID, "delivered", 0)
		only(first, "☑️")
		status(sends[0].WAMID, "read", 0)
		only(first, "👁️")

		second := d.say(t, c, dAna, "second")
		sends = d.wa.WaitForSends(t, 2, waitLong)
		only(second, "📤")
		status(sends[1].WAMID, "failed", 131047)
		only(second, "❌")
		d.waitPost(t, c, "24 hours")
	})
}

// A mark-read call that hangs is given up after a few seconds and
// dropped; the reply behind it goes out long before a job's own timeout
// (30 s per call) would have let it.
func TestReadReceiptThatHangsIsGivenUpQuickly(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect)
		s := slackSide(t, e)
		s.wa.HoldReads(time.Minute)
		s.customerWrites("34612345678", "Ana", "wamid.rh1", time.Now(), "hello?")
		s.open("hello?")
		s.reply("", "Hi!")
		sends := s.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hi!", sends[0].Text)
		require.Empty(t, s.wa.Reads())
		require.True(t, strings.Contains(metrics(t, s.env), `switchboard_deliveries_total{platform="whatsapp_read",result="dropped"} 1`),
			"the abandoned read is counted")
	})
}

// Two replicas on one PostgreSQL receive, at the same moment, two
// different replies to the same customer message (and each the other's
// event again, as a Slack retry): the message is read once, with typing,
// before both replies, whichever commits first and whatever order their
// timestamps put them in.
func TestReadReceiptsTwoReplicasRacingReadOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, storage.Postgres)
	second, err := app.Build(context.Background(), e.cfg, e.tune)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = second.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(ctx)
	})
	urls := []string{e.baseURL, "http://" + ln.Addr().String()}

	e.customerWrites("34612345678", "Ana", "wamid.rx1", time.Now(), "who answers?")
	card := e.waitCardAndThread("who answers?")
	events := [][]byte{
		slacktest.ThreadReply("EvRaceA", channel, card.TS, "1700000901.000100", "UAGENT1", "from A"),
		slacktest.ThreadReply("EvRaceB", channel, card.TS, "1700000900.000100", "UAGENT1", "from B"), // the older ts
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, url := range urls {
		for _, ev := range [][]byte{events[i], events[1-i]} {
			wg.Go(func() {
				<-start
				resp := slacktest.PostEvent(t, url+"/slack/events", signingSecret, ev)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("event answered %d", resp.StatusCode)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	sends := e.wa.WaitForSends(t, 2, waitLong)
	require.ElementsMatch(t, []string{"from A", "from B"}, []string{sends[0].Text, sends[1].Text})
	require.Equal(t, []whatsapptest.Read{{PhoneNumberID: phoneID, MessageID: "wamid.rx1", Typing: true, SendsBefore: 0}}, e.wa.Reads(),
		"read once, before both replies")
	e.agentReplies("EvRaceMarker", card.TS, "1700000902.000100", "UAGENT1", "marker") // drains past any double
	require.Len(t, e.wa.WaitForSends(t, 3, waitLong), 3)
	require.Len(t, e.wa.Reads(), 1)
}

// On Slack a claim typed in the thread (!claim; Slack delivers no slash
// command inside threads) marks read like the card's button.
func TestReadReceiptsOnClaimTypedInTheSlackThread(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTeams("teams:\n  - name: support\n    slack_channel: "+channel+"\n    read_receipts: on_claim\n"))
		s := slackSide(t, e)
		s.customerWrites("34612345678", "Ana", "wamid.rt1", time.Now(), "hi")
		s.open("hi")
		s.reply("", "!claim")
		s.open("claimed this conversation")
		require.Equal(t, []whatsapptest.Read{{PhoneNumberID: phoneID, MessageID: "wamid.rt1"}}, e.wa.WaitForReads(t, 1, waitLong))
		require.Empty(t, e.wa.Sends(), "a command is no reply")
	})
}
