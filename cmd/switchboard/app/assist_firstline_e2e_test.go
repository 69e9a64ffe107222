package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// refundsDoc is the knowledge base of the first-line tests: one Markdown
// file whose answer the customer asks for.
const refundsDoc = `# Refunds

## Timing

Refunds reach your card within 5 business days after we receive the parcel. You get an e-mail when the refund is made.
`

// refundAnswer is what the fake model answers from refundsDoc (the
// passage's first sentences).
const refundAnswer = "Refunds reach your card within 5 business days after we receive the parcel."

// withAssistant points switchboard's assistant at the fake OpenAI API
// and a knowledge base folder holding refundsDoc.
func withAssistant(t *testing.T, ai *openaitest.Server) option {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "refunds.md"), []byte(refundsDoc), 0o600))
	return withTopLevel(fmt.Sprintf(`assistant:
  provider: openai
  base_url: %q
  api_key: %q
  model: fake
  max_retries: 0
  timeout: 5s
  knowledge:
    sources:
      - path: %q
`, ai.URL, ai.Key, dir))
}

// firstLineTeam is the default Slack team with the first-line assistant
// on (extra: more lines of first_line, indented six spaces).
func firstLineTeam(extra string) option {
	return withTeams(fmt.Sprintf("teams:\n  - name: support\n    slack_channel: %s\n    first_line:\n      mode: always\n%s", channel, extra))
}

// waitKnowledge waits until the knowledge base is indexed in the database.
func (e *env) waitKnowledge() {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		var n int
		return e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM kb_chunks`) == nil && n > 0
	}, waitLong, 10*time.Millisecond, "the knowledge base is indexed")
}

// answerRequests are the chat requests that asked the model for an answer
// to a customer (the prompt carries the knowledge base's passages).
func answerRequests(ai *openaitest.Server) int {
	n := 0
	for _, c := range ai.Chats() {
		if strings.Contains(c.Text(), "refunds.md") || openaitest.Passage(c.User(), 1) != "" {
			n++
		}
	}
	return n
}

// waitThreadPost waits for a post containing every one of subs in the
// thread under cardTS and returns it.
func (e *env) waitThreadPost(cardTS string, subs ...string) slacktest.Message {
	e.t.Helper()
	var got slacktest.Message
	e.slack.WaitForPosts(e.t, func(posts []slacktest.Message) bool {
		for _, p := range posts {
			if p.ThreadTS != cardTS {
				continue
			}
			all := true
			for _, s := range subs {
				all = all && strings.Contains(p.Text, s)
			}
			if all {
				got = p
				return true
			}
		}
		return false
	}, waitLong)
	return got
}

// waitIdle waits until no delivery is left to run: whatever the customer's
// messages were going to cause has happened.
func (e *env) waitIdle() {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		var n int
		return e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM deliveries WHERE state = 'queued'`) == nil && n == 0
	}, waitLong, 10*time.Millisecond, "every delivery ran")
}

// The customer asks what the knowledge base answers: the assistant holds
// the new conversation (the card says so), the Graph API receives its
// answer, the first one saying it is an automated assistant and how to
// reach a person, and the thread shows it marked 🤖 with its source. A
// second answer does not repeat the introduction.
func TestFirstLineAnswersFromTheKnowledgeBaseWithItsSource(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, firstLineTeam(""), withAssistant(t, ai))
		e.waitKnowledge()

		e.customerWrites("16505551234", "Ana Smith", "wamid.fl1", time.Now(), "How long do refunds take?")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "16505551234", sends[0].To)
		require.Contains(t, sends[0].Text, "automated assistant", "the first answer says what it is")
		require.Contains(t, sends[0].Text, "“agent”", "and how to reach a person")
		require.Contains(t, sends[0].Text, refundAnswer)

		card := e.waitCardAndThread("How long do refunds take?")
		post := e.waitThreadPost(card.TS, "🤖 Assistant", refundAnswer)
		require.Contains(t, post.Text, "refunds.md", "the thread cites the source")
		require.Contains(t, post.Text, "Timing", "with its heading")
		e.waitThreadPost(card.TS, "assistant is answering this customer first")
		require.Contains(t, string(card.Blocks), "Assistant (answering)", "the card says the assistant is answering")
		require.Contains(t, string(card.Blocks), "Take over")

		e.customerWrites("16505551234", "Ana Smith", "wamid.fl2", time.Now(), "And when do refunds reach my card?")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Contains(t, sends[1].Text, refundAnswer)
		require.NotContains(t, sends[1].Text, "automated assistant", "introduced once")
		require.Empty(t, ai.Unauthorized())

		metrics := scrape(t, e.baseURL+"/metrics")
		require.Contains(t, metrics, `switchboard_ai_requests_total{result="ok",task="answer"} 2`)

		// Resolved while the assistant holds it: the assistant's.
		e.clicks("trigFLResolve", "UAGENT1", card.TS, "resolve", conversationID(t, card))
		require.Eventually(t, func() bool {
			resp, err := http.Get(e.baseURL + "/metrics")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			return err == nil && strings.Contains(string(body), `switchboard_assistant_resolved_total{team="support"} 1`)
		}, waitLong, 10*time.Millisecond, "counted as resolved by the assistant")
	})
}

// A team without the first-line assistant never sends AI text to a
// customer, even with an assistant configured and a knowledge base that
// holds the exact answer: the customer's messages reach the thread, the
// model is never asked for an answer, and the Graph API receives nothing.
func TestFirstLineOffNeverSendsAITextToTheCustomer(t *testing.T) {
	t.Parallel()
	for name, team := range map[string]string{
		"no first_line": "",
		"mode never":    "    first_line:\n      mode: never\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dialect string) {
				ai := openaitest.New(t)
				e := setup(t, dialect, withAssistant(t, ai),
					withTeams(fmt.Sprintf("teams:\n  - name: support\n    slack_channel: %s\n%s", channel, team)))
				e.waitKnowledge()
				e.customerWrites("16505551234", "Ana Smith", "wamid.off1", time.Now(), "How long do refunds take?")
				e.customerWrites("16505551234", "Ana Smith", "wamid.off2", time.Now().Add(time.Second), "When do refunds reach my card?")
				card := e.waitCardAndThread("How long do refunds take?", "When do refunds reach my card?")
				e.waitIdle()
				require.Empty(t, e.wa.Sends(), "nothing was sent to the customer")
				require.Zero(t, answerRequests(ai), "the model was never asked for an answer")
				var n int
				require.NoError(t, e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM deliveries WHERE kind = 'assist_answer'`))
				require.Zero(t, n, "no answer job was queued")
				for _, text := range inThread(e.slack.Posts(), card.TS) {
					require.NotContains(t, text, "🤖", "no assistant post in the thread")
				}
			})
		})
	}
}

// "quiero hablar con un humano" hands over at once, without asking the
// model: the customer is told in Spanish that a person will answer, the
// thread says why, the conversation goes to people, and the hand-over is
// counted by reason.
func TestFirstLineHandsOverWhenTheCustomerAsksForAPerson(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, firstLineTeam(""), withAssistant(t, ai))
		e.waitKnowledge()
		e.customerWrites("34600111222", "Ana García", "wamid.h1", time.Now(), "Hola, quiero hablar con un humano por favor")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Te paso con una persona de nuestro equipo; te responderá aquí en breve.", sends[0].Text)
		card := e.waitCardAndThread("quiero hablar con un humano")
		e.waitThreadPost(card.TS, "Handed over to people: the customer asked for a person")
		e.waitIdle()
		require.Len(t, e.wa.Sends(), 1, "no AI text")
		require.Zero(t, answerRequests(ai), "decided without the model")
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_assistant_handovers_total{reason="requested",team="support"} 1`)

		// The conversation is the team's now: an agent's reply goes out.
		e.agentReplies("EvH1", card.TS, "1700000200.000100", "UAGENT1", "Hola Ana, soy Bruno. ¿En qué te ayudo?")
		sends = e.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Hola Ana, soy Bruno. ¿En qué te ayudo?", sends[1].Text)
	})
}

// A question the knowledge base cannot answer hands over on low
// confidence: the customer gets only the hand-over text, never the
// model's unsure answer.
func TestFirstLineHandsOverOnLowConfidence(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		ai.SetResponder(func(req openaitest.ChatRequest) string {
			if openaitest.Passage(req.User(), 1) != "" {
				return `{"answer":"Maybe try turning it off and on.","confidence":0.2,"sources":[1]}`
			}
			return openaitest.Default(req)
		})
		e := setup(t, dialect, firstLineTeam(""), withAssistant(t, ai))
		e.waitKnowledge()
		e.customerWrites("16505551234", "Ana Smith", "wamid.lc1", time.Now(), "Do refunds work for electric bicycles bought abroad?")
		card := e.waitCardAndThread("electric bicycles")
		e.waitThreadPost(card.TS, "Handed over to people: the knowledge base has no confident answer")
		e.waitIdle()
		sends := e.wa.Sends()
		require.Len(t, sends, 1)
		require.Equal(t, "I'm passing you to a person from our team; they will answer you here shortly.", sends[0].Text)
		require.NotContains(t, sends[0].Text, "turning it off")
	})
}

// Any agent of the team, not only a supervisor, takes over with
// !takeover; the answer the assistant had already queued for the
// customer (held by the reply order window) is not sent, the thread says
// so, and the agent's own reply goes out. The customer's next message is
// the agent's: the model is not asked again.
func TestFirstLineAgentTakeoverHoldsAQueuedAnswer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, firstLineTeam(""), withAssistant(t, ai), withReplyOrderWindow(2*time.Second))
		e.waitKnowledge()
		e.customerWrites("16505551234", "Ana Smith", "wamid.t1", time.Now(), "How long do refunds take?")
		card := e.waitCardAndThread("How long do refunds take?")
		// The answer is stored and posted in the thread at once; its send
		// waits for the reply order window.
		e.waitThreadPost(card.TS, "🤖 Assistant", refundAnswer)
		e.agentReplies("EvT1", card.TS, "1700000300.000100", "UAGENT1", "!takeover")
		e.waitThreadPost(card.TS, "<@UAGENT1> took over from the assistant")
		e.waitThreadPost(card.TS, "🤖 Assistant, this message was not delivered") // the queued answer was held

		e.agentReplies("EvT2", card.TS, "1700000300.000200", "UAGENT1", "Hi Ana, Bruno here: 5 days.")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Hi Ana, Bruno here: 5 days.", sends[0].Text)
		asked := answerRequests(ai)
		e.customerWrites("16505551234", "Ana Smith", "wamid.t2", time.Now(), "Thanks! And exchanges?")
		e.waitCardAndThread("And exchanges?")
		e.waitIdle()
		require.Len(t, e.wa.Sends(), 1, "the assistant's answer never reached the customer")
		require.Equal(t, asked, answerRequests(ai), "the agent holds it now")
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_assistant_handovers_total{reason="agent",team="support"} 1`)
	})
}

// With the provider down, the conversation goes to people at once: the
// thread says the provider is unavailable, the customer gets the usual
// hand-over text and no AI text.
func TestFirstLineProviderDownHandsOver(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, firstLineTeam(""), withAssistant(t, ai))
		e.waitKnowledge()
		ai.SetMode(openaitest.Failing)
		e.customerWrites("16505551234", "Ana Smith", "wamid.d1", time.Now(), "How long do refunds take?")
		card := e.waitCardAndThread("How long do refunds take?")
		e.waitThreadPost(card.TS, "Handed over to people: the AI provider is unavailable")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "I'm passing you to a person from our team; they will answer you here shortly.", sends[0].Text)
		e.waitIdle()
		require.Len(t, e.wa.Sends(), 1)
		require.NotEmpty(t, ai.Chats(), "the provider was asked")
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_assistant_handovers_total{reason="unavailable",team="support"} 1`)
	})
}

// firstLineGaming is the Discord test team with the first-line assistant on.
func firstLineGaming(name, home, kind string) string {
	return gamingTeam(name, home, kind) + "    first_line:\n      mode: always\n"
}

// On Discord too: the answer reaches the customer and the thread shows it
// under "🤖 Assistant" with its source; an agent who simply replies in
// the thread takes over, and their reply is what the customer gets next.
func TestDiscordFirstLineAnswersAndAnAgentTakesOverByReplying(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		d := setupDiscordTeam(t, dialect, "text", firstLineGaming, withAssistant(t, ai))
		d.waitKnowledge()
		d.customerWrites("16505551234", "Ana Smith", "wamid.dfl1", time.Now(), "How long do refunds take?")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Contains(t, sends[0].Text, refundAnswer)
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "**🤖 Assistant:**")
		var post string
		for _, p := range d.botPosts(c) {
			if strings.Contains(p, "🤖 Assistant:") {
				post = p
			}
		}
		require.Contains(t, post, refundAnswer)
		require.Contains(t, post, "refunds.md", "the source is cited")
		d.waitCardShows(t, c, "Assistant (answering)")

		d.say(t, c, dBruno, "Bruno here: anything else I can do?")
		sends = d.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, "Bruno here: anything else I can do?", sends[1].Text)
		d.waitPost(t, c, "took over from the assistant")
		d.waitCardShows(t, c, dBruno.ID)
	})
}

// On Discord, "falar com atendente" hands over at once: the customer is
// told in Portuguese, the thread says why.
func TestDiscordFirstLineHandsOverOnRequest(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		d := setupDiscordTeam(t, dialect, "text", firstLineGaming, withAssistant(t, ai))
		d.waitKnowledge()
		d.customerWrites("5511987654321", "João Silva", "wamid.dh1", time.Now(), "Oi, quero falar com atendente")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, "Vou passar você para uma pessoa da nossa equipe; ela vai responder aqui em breve.", sends[0].Text)
		c := d.waitConv(t, d.home, 1)
		d.waitPost(t, c, "Handed over to people: the customer asked for a person")
		require.Zero(t, answerRequests(ai))
	})
}

// out_of_hours: the assistant answers while the team's hours say it is
// closed (yesterday, today and tomorrow are holidays), and never while
// it is open (open around the clock).
func TestFirstLineOutOfHoursAnswersOnlyWhileTheTeamIsClosed(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	var holidays []string
	for _, d := range []int{-1, 0, 1} {
		holidays = append(holidays, fmt.Sprintf("%q", now.AddDate(0, 0, d).Format("01-02")))
	}
	for _, tc := range []struct {
		name    string
		hours   string
		answers bool
	}{
		{"closed", `{time_zone: UTC, weekly: {mon-sun: ["09:00-18:00"]}, holidays: [` + strings.Join(holidays, ", ") + `]}`, true},
		{"open", `{time_zone: UTC, weekly: {mon-sun: ["00:00-12:00", "12:00-00:00"]}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachDialect(t, func(t *testing.T, dialect string) {
				ai := openaitest.New(t)
				e := setup(t, dialect, withAssistant(t, ai), withTeams(fmt.Sprintf(
					"teams:\n  - name: support\n    slack_channel: %s\n    hours: %s\n    first_line:\n      mode: out_of_hours\n", channel, tc.hours)))
				e.waitKnowledge()
				e.customerWrites("16505551234", "Ana Smith", "wamid.oh1", time.Now(), "How long do refunds take?")
				e.waitCardAndThread("How long do refunds take?")
				e.waitIdle()
				if tc.answers {
					sends := e.wa.WaitForSends(t, 1, waitLong)
					require.Contains(t, sends[0].Text, refundAnswer)
					return
				}
				require.Empty(t, e.wa.Sends(), "the team is open: people answer")
				require.Zero(t, answerRequests(ai))
			})
		})
	}
}
