package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// Suggestions and summaries in the thread (issue 11), against the fake
// OpenAI API that the real openai-go client talks to.

const (
	aiDraft   = "¡Hola Ana! Tu pedido 4411 sale mañana por la mañana."
	aiSummary = "Ana asks where order 4411 is; it ships tomorrow."
	// aiPhone is a number the customer writes: it must never reach the
	// provider.
	aiPhone = "+34 600 123 456"
)

// withAI configures the openai provider against fake, which answers drafts
// with aiDraft and summaries with aiSummary.
func withAI(fake *openaitest.Server, extra ...string) option {
	fake.SetResponder(scriptedAI(aiDraft, aiSummary))
	return withTopLevel(fmt.Sprintf(`assistant:
  provider: openai
  base_url: %q
  api_key: %q
  model: fake
  timeout: 5s
  max_retries: 1
%s`, fake.URL, fake.Key, strings.Join(extra, "")))
}

// scriptedAI answers a summary request (its system prompt says so) with
// summary and any other with draft, as JSON when JSON is asked for.
func scriptedAI(draft, summary string) openaitest.Responder {
	return func(req openaitest.ChatRequest) string {
		text := draft
		if strings.Contains(strings.ToLower(req.System()), "summar") {
			text = summary
		}
		if !req.JSON {
			return text
		}
		sources := []int{}
		if p := openaitest.Passage(req.User(), 1); p != "" {
			// A passage was retrieved: the draft answers from it.
			text, sources = openaitest.FirstSentences(p, 200), []int{1}
		}
		b, _ := json.Marshal(map[string]any{"answer": text, "confidence": 0.9, "sources": sources})
		return string(b)
	}
}

// noPhoneReachedTheProvider checks every request the fake received.
func noPhoneReachedTheProvider(t *testing.T, fake *openaitest.Server) {
	t.Helper()
	chats := fake.Chats()
	require.NotEmpty(t, chats)
	for _, c := range chats {
		require.NotContains(t, c.Text(), "600 123 456", "phone numbers are masked before they leave")
		require.NotContains(t, c.Text(), "34600123456")
	}
}

// draftValueIn reads the conversation/draft value of a private Send.
func draftValueIn(t *testing.T, blocks json.RawMessage) string {
	t.Helper()
	raw := string(blocks)
	i := strings.Index(raw, `"action_id":"sb:send#0"`)
	require.NotEqual(t, -1, i, "the draft has Send")
	rest := raw[i:]
	j := strings.Index(rest, `"value":"`)
	require.NotEqual(t, -1, j)
	rest = rest[j+len(`"value":"`):]
	v := rest[:strings.Index(rest, `"`)]
	require.Contains(t, v, "/draft:")
	return v
}

// A suggestion is shown only to the agent who asked; nothing reaches the
// customer until they press Send. Someone else cannot send it. Send is the
// agent's reply (the Graph API gets exactly the draft, the thread shows it
// marked as an AI suggestion, the conversation is claimed); a second send
// of the same draft, from its edit form, sends nothing.
func TestAISuggestionIsSentOnlyByItsAgentAndOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai))
		e.customerWrites("16505551234", "Ana García", "wamid.ai1", time.Now(), "Hola, ¿dónde está mi pedido 4411? Llamadme al "+aiPhone)
		card := e.waitCardAndThread("pedido 4411")
		conv := conversationID(t, card)
		require.Contains(t, string(card.Blocks), `"action_id":"sb:suggest"`, "the card offers a suggestion")

		e.clicks("trigSug1", "UAGENT1", card.TS, "suggest", conv)
		draft := e.waitEphemeralWith("UAGENT1", aiDraft)
		require.Equal(t, card.TS, draft.ThreadTS, "shown in the thread, to the agent only")
		drafting := e.waitEphemeralWith("UAGENT1", "Drafting a reply")
		require.Equal(t, card.TS, drafting.ThreadTS)
		ephemerals := e.slack.Ephemerals()
		require.Less(t, slices.IndexFunc(ephemerals, func(m slacktest.Message) bool { return m.TS == drafting.TS }),
			slices.IndexFunc(ephemerals, func(m slacktest.Message) bool { return m.TS == draft.TS }), "the button is acknowledged before the draft comes")
		require.Contains(t, draft.Text, "Suggested reply")
		for _, id := range []string{"sb:send#0", "sb:edit_draft#1", "sb:discard#2", "sb:suggest#3"} {
			require.Contains(t, string(draft.Blocks), `"action_id":"`+id+`"`)
		}
		value := draftValueIn(t, draft.Blocks)
		require.Empty(t, e.wa.Sends(), "a suggestion sends nothing")
		noPhoneReachedTheProvider(t, ai)
		require.Contains(t, ai.Chats()[0].Text(), "pedido 4411", "the provider read the conversation")

		// Someone else sends it (a forged click: Slack shows the draft
		// to its agent only): refused, nothing sent.
		resp := e.interact(slacktest.PrivateButtonClick("trigOther", "UAGENT2", channel, card.TS, "1700000000.999999", "sb:send#0", value,
			e.slack.ResponseURL("other")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, e.waitEphemeralWith("UAGENT2", "made for").Text, "<@UAGENT1>")

		// The agent opens the edit form (and leaves it open), then sends
		// the draft as it is, with a double click.
		resp = e.interact(slacktest.PrivateButtonClick("trigEdit1", "UAGENT1", channel, card.TS, draft.TS, "sb:edit_draft#1", value,
			e.slack.ResponseURL("edit1")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)
		for _, trig := range []string{"trigSend1", "trigSend1b"} {
			resp = e.interact(slacktest.PrivateButtonClick(trig, "UAGENT1", channel, card.TS, draft.TS, "sb:send#0", value,
				e.slack.ResponseURL(trig)))
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, aiDraft, sends[0].Text)
		require.Equal(t, "16505551234", sends[0].To)
		e.waitThreadText(card.TS, "sent an AI-suggested reply")
		e.waitThreadText(card.TS, aiDraft)
		e.slack.WaitForResponses(t, func(rs []slacktest.Response) bool {
			for _, r := range rs {
				if r.ID == "trigSend1" && r.ReplaceOriginal && strings.Contains(r.Text, "Sending the suggestion") {
					return true
				}
			}
			return false
		}, waitLong)
		waitUpdates(t, e, func(u []slacktest.Message) bool { return anyContains(u, "UAGENT1") }) // claimed by the reply

		// The edit form submitted afterwards: the draft was sent already.
		resp = e.interact(e.slack.ViewSubmission(t, "trigEditSubmit", "UAGENT1", views[0].ID,
			slacktest.State{"draft": {"text": slacktest.TextInput("Otra cosa")}}))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.waitEphemeralWith("UAGENT1", "already sent or discarded")
		require.Len(t, e.wa.Sends(), 1, "a draft is sent once")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM messages WHERE direction = 'out'`))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM events WHERE kind = 'suggestion_sent'`))
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM ai_drafts WHERE state = 'sent'`))
		require.Contains(t, scrape(t, e.baseURL+"/metrics"), `switchboard_ai_requests_total{result="ok",task="suggest"} 1`)
	})
}

// Only people who may act in the team get a draft. Edit opens a modal
// holding the draft; what the agent submits is what the customer gets.
// Discard drops a draft and deletes its message.
func TestAISuggestionEditedOrDiscardedInSlack(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai))
		e.customerWrites("16505551234", "Ana García", "wamid.ae1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		card := e.waitCardAndThread("pedido 4411")

		// Someone who may not act in the team gets no draft, and is told.
		e.agentReplies("EvSugOut", card.TS, "1700000099.000100", "U0OUTSIDE1", "!suggest")
		require.Contains(t, waitEphemeral(t, e, "U0OUTSIDE1").Text, "not an agent of team support")
		require.Empty(t, ai.Chats(), "nothing was asked of the provider")

		e.agentReplies("EvSug1", card.TS, "1700000100.000100", "UAGENT1", "!suggest")
		draft := e.waitEphemeralWith("UAGENT1", aiDraft)
		value := draftValueIn(t, draft.Blocks)
		resp := e.interact(slacktest.PrivateButtonClick("trigEdit", "UAGENT1", channel, card.TS, draft.TS, "sb:edit_draft#1", value,
			e.slack.ResponseURL("edit")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		views := e.slack.WaitForViews(t, func(v []slacktest.View) bool { return len(v) == 1 }, waitLong)
		require.Equal(t, "trigEdit", views[0].TriggerID)
		require.Contains(t, string(views[0].JSON), `"initial_value":"`+aiDraft+`"`, "prefilled with the draft")

		edited := "¡Hola Ana! Tu pedido 4411 sale mañana; te aviso con el seguimiento."
		resp = e.interact(e.slack.ViewSubmission(t, "trigSubmit", "UAGENT1", views[0].ID,
			slacktest.State{"draft": {"text": slacktest.TextInput(edited)}}))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, edited, sends[0].Text, "the customer gets the edited text")
		e.waitThreadText(card.TS, "sent an AI-suggested reply, edited")
		e.slack.WaitForResponses(t, func(rs []slacktest.Response) bool {
			for _, r := range rs {
				if r.ID == "edit" && r.ReplaceOriginal {
					return true
				}
			}
			return false
		}, waitLong)

		// A second draft, discarded.
		e.agentReplies("EvSug2", card.TS, "1700000101.000100", "UAGENT1", "!suggest")
		var second slacktest.Message
		require.Eventually(t, func() bool {
			n := 0
			for _, m := range e.slack.Ephemerals() {
				if m.User == "UAGENT1" && strings.Contains(m.Text, aiDraft) {
					n, second = n+1, m
				}
			}
			return n == 2
		}, waitLong, 5*time.Millisecond, "a second draft")
		value2 := draftValueIn(t, second.Blocks)
		require.NotEqual(t, value, value2)
		resp = e.interact(slacktest.PrivateButtonClick("trigDiscard", "UAGENT1", channel, card.TS, second.TS, "sb:discard#2", value2,
			e.slack.ResponseURL("discard")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		e.slack.WaitForResponses(t, func(rs []slacktest.Response) bool {
			for _, r := range rs {
				if r.ID == "discard" && r.DeleteOriginal {
					return true
				}
			}
			return false
		}, waitLong)
		require.Eventually(t, func() bool {
			return e.count(`SELECT COUNT(*) FROM events WHERE kind = 'suggestion_discarded'`) == 1
		}, waitLong, 10*time.Millisecond)
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM events WHERE kind = 'suggestion_edited'`))
		require.Len(t, e.wa.Sends(), 1, "a discarded draft sends nothing")
	})
}

// !summary posts a marked summary in the thread; a transfer's new thread
// gets one after its context block; a resolve stores one, which the
// customer's next card shows.
func TestAISummariesInTheThreadAtTransferAndOnTheNextCard(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		// A new conversation, not a reopened one, when the customer writes
		// after the resolve.
		e := setup(t, dialect, append(twoTeams(""), withAI(ai), withReopenWindow("0s"))...)
		e.customerWrites("34611111111", "Ana", "wamid.as1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		old := e.waitCardIn(channel, 1)
		e.replyIn(channel, "EvSum1", old.TS, "1700000300.000100", "U0AGENTA01", "!summary")
		e.waitThreadText(old.TS, "Summary* (AI, may be wrong), asked by <@U0AGENTA01>")
		e.waitThreadText(old.TS, aiSummary)

		e.replyIn(channel, "EvSum2", old.TS, "1700000301.000100", "U0AGENTA01", "!transfer sales wants a refund")
		fresh := e.waitCardIn(salesChannel, 1)
		e.waitThreadText(fresh.TS, "Summary so far* (AI, may be wrong)")
		texts := inThread(e.slack.Posts(), fresh.TS)
		context, summary := -1, -1
		for i, s := range texts {
			if strings.Contains(s, "Transferred from team support") && context < 0 {
				context = i
			}
			if strings.Contains(s, "Summary so far") {
				summary = i
			}
		}
		require.GreaterOrEqual(t, context, 0)
		require.Greater(t, summary, context, "the summary follows the context block")
		require.Contains(t, texts[summary], aiSummary)
		require.Empty(t, e.wa.Sends(), "summaries never reach the customer")

		e.clicks("trigRes", "U0SALES001", fresh.TS, "resolve", conversationID(t, fresh))
		require.Eventually(t, func() bool {
			return e.count(`SELECT COUNT(*) FROM conversation_summaries WHERE reason = 'resolve'`) == 1
		}, waitLong, 10*time.Millisecond)
		e.customerWrites("34611111111", "Ana", "wamid.as2", time.Now().Add(time.Second), "Otra pregunta")
		e.slack.WaitForPosts(t, func(p []slacktest.Message) bool {
			for _, c := range cards(p) {
				if strings.Contains(string(c.Blocks), "Last time (AI): "+aiSummary) {
					return true
				}
			}
			return false
		}, waitLong)
		for _, send := range e.wa.Sends() {
			require.NotEqual(t, "text", send.Type, "no text reached the customer (the satisfaction survey did)")
		}
	})
}

// The provider down: the agent who asked is told privately, in words
// they understand; nothing reaches the customer, whose messages still
// reach the thread.
func TestAIProviderDownTellsTheAgentAndSparesTheCustomer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai))
		ai.SetMode(openaitest.Failing)
		e.customerWrites("16505551234", "Ana García", "wamid.ad1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		card := e.waitCardAndThread("pedido 4411")
		e.clicks("trigSugDown", "UAGENT1", card.TS, "suggest", conversationID(t, card))
		told := e.waitEphemeralWith("UAGENT1", "not answering right now")
		require.Contains(t, told.Text, "Nothing was sent to the customer")
		require.Contains(t, string(told.Blocks), `"action_id":"sb:suggest#0"`, "Try again")
		e.agentReplies("EvSumDown", card.TS, "1700000100.000100", "UAGENT1", "!summary")
		e.waitEphemeralWith("UAGENT1", "so there is no summary")

		e.customerWrites("16505551234", "Ana García", "wamid.ad2", time.Now().Add(time.Second), "¿Hola?")
		e.waitThreadText(card.TS, "¿Hola?")
		require.Empty(t, e.wa.Sends(), "the customer is never sent AI text")
		require.Zero(t, e.count(`SELECT COUNT(*) FROM ai_drafts`))
		metrics := scrape(t, e.baseURL+"/metrics")
		require.Contains(t, metrics, `switchboard_ai_requests_total{result="failed",task="suggest"} 1`)
		require.Contains(t, metrics, `switchboard_ai_requests_total{result="failed",task="summary"} 1`)
	})
}

// In Discord: /suggest answers privately at once, the draft follows as an
// ephemeral follow-up; Send replaces it and sends; Edit answers with a
// modal holding the draft whose submission sends the edited text; Discard
// replaces it; /summary posts in the thread; with the provider down the
// agent is told privately.
func TestDiscordAISuggestionsAndSummaries(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t)
		d := setupDiscord(t, dialect, "text", withAI(ai))
		d.customerWrites("16505551234", "Ana García", "wamid.dai1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		c := d.waitConv(t, d.home, 1)

		followup := func(in discordtest.Interaction, sub string) discordtest.Message {
			t.Helper()
			var got discordtest.Message
			d.fake.WaitFor(t, waitLong, "a private follow-up with "+sub, func() bool {
				for _, f := range d.fake.Followups() {
					if f.ChannelID == "webhook:"+in.Token && strings.Contains(f.Content, sub) {
						got = f
						return true
					}
				}
				return false
			})
			require.Contains(t, string(got.Payload), `"flags":64`, "only the agent sees it")
			return got
		}
		draftID := func(m discordtest.Message) string {
			raw := string(m.Payload)
			i := strings.Index(raw, `"custom_id":"sb:send:`)
			require.NotEqual(t, -1, i, "the draft has Send")
			rest := raw[i+len(`"custom_id":"`):]
			return rest[:strings.Index(rest, `"`)]
		}

		in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: dAna, Name: "suggest"})
		cb := d.fake.WaitCallback(t, in)
		require.True(t, cb.Ephemeral())
		require.Contains(t, cb.Content, "Drafting a reply")
		draft := followup(in, aiDraft)
		send := draftID(draft)
		require.Empty(t, d.wa.Sends(), "a suggestion sends nothing")

		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: draft.ID, User: dAna, CustomID: send}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type, "the draft is replaced")
		require.Contains(t, string(cb.Payload), `"components":[]`, "without its buttons")
		sends := d.wa.WaitForSends(t, 1, waitLong)
		require.Equal(t, aiDraft, sends[0].Text)
		d.waitPost(t, c, "sent an AI-suggested reply")

		// The card's button, then Edit: a modal holding the draft.
		require.Contains(t, d.click(t, c, dAna, "suggest"), "Drafting a reply")
		var second discordtest.Message
		d.fake.WaitFor(t, waitLong, "a second draft", func() bool {
			n := 0
			for _, f := range d.fake.Followups() {
				if strings.Contains(f.Content, aiDraft) {
					n, second = n+1, f
				}
			}
			return n == 2
		})
		edit := strings.Replace(draftID(second), "sb:send:", "sb:edit_draft:", 1)
		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: second.ID, User: dAna, CustomID: edit}))
		require.Equal(t, discordtest.CallbackModal, cb.Type)
		require.NotNil(t, cb.Modal)
		require.Len(t, cb.Modal.Inputs, 1)
		require.Equal(t, aiDraft, cb.Modal.Inputs[0].Value, "prefilled with the draft")
		require.Equal(t, 2, cb.Modal.Inputs[0].Style, "a paragraph")
		edited := "¡Hola Ana! Sale mañana, te paso el seguimiento."
		cb = d.fake.WaitCallback(t, d.fake.SubmitModal(t, discordtest.ModalSpec{ChannelID: c.thread, User: dAna, CustomID: cb.Modal.CustomID,
			Fields: []discordtest.ModalField{{CustomID: cb.Modal.Inputs[0].CustomID, Value: edited}}}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type)
		sends = d.wa.WaitForSends(t, 2, waitLong)
		require.Equal(t, edited, sends[1].Text, "the customer gets the edited text")
		d.waitPost(t, c, "sent an AI-suggested reply, edited")

		// A third draft, discarded.
		in = d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: dAna, Name: "suggest"})
		d.fake.WaitCallback(t, in)
		third := followup(in, aiDraft)
		discard := strings.Replace(draftID(third), "sb:send:", "sb:discard:", 1)
		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: third.ID, User: dAna, CustomID: discard}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type)
		require.Contains(t, cb.Content, "discarded")
		// Its Send pressed late (another device still showing it): nothing
		// is sent and the message says the draft is gone, without buttons.
		cb = d.fake.WaitCallback(t, d.fake.ClickButton(t, discordtest.ButtonSpec{ChannelID: c.thread, MessageID: third.ID, User: dAna, CustomID: draftID(third)}))
		require.Equal(t, discordtest.CallbackUpdate, cb.Type)
		require.Contains(t, cb.Content, "This draft is gone")
		require.Contains(t, string(cb.Payload), `"components":[]`, "without its buttons")
		require.Len(t, d.wa.Sends(), 2, "a discarded draft sends nothing")

		require.Contains(t, d.command(t, c, dAna, "summary"), "Summarising")
		d.waitPost(t, c, aiSummary)

		ai.SetMode(openaitest.Failing)
		in = d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: c.thread, User: dAna, Name: "suggest"})
		d.fake.WaitCallback(t, in)
		followup(in, "not answering right now")
		require.Len(t, d.wa.Sends(), 2, "nothing more reached the customer")
	})
}

// A draft answers from the team's knowledge base and cites the passage
// it used; sent, it is what the customer reads.
func TestAISuggestionCitesTheKnowledgeBase(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		kb := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(kb, "refunds.md"),
			[]byte("# Refunds\n\n## Timing\n\nRefunds reach your card within 5 business days after we receive the parcel.\n"), 0o644))
		ai := openaitest.New(t)
		e := setup(t, dialect, withAI(ai, fmt.Sprintf("  knowledge:\n    watch: false\n    sources:\n      - path: %q\n", kb)))
		e.customerWrites("16505551234", "Ana García", "wamid.akb1", time.Now(), "When will I get my refund for the parcel?")
		card := e.waitCardAndThread("my refund")
		require.Eventually(t, func() bool { return e.count(`SELECT COUNT(*) FROM kb_chunks`) > 0 }, waitLong, 20*time.Millisecond,
			"the knowledge base is indexed")

		// Indexing runs in the background: ask again until the index has
		// it (each ask is a new draft), within the deadline.
		var draft slacktest.Message
		deadline := time.Now().Add(waitLong)
		for n := 1; ; n++ {
			e.agentReplies(fmt.Sprintf("EvKb%d", n), card.TS, fmt.Sprintf("1700000100.%06d", n), "UAGENT1", "!suggest")
			draft = waitEphemeralCount(t, e, "UAGENT1", n)[n-1]
			if strings.Contains(draft.Text, "Sources:") || time.Now().After(deadline) {
				break
			}
		}
		require.Contains(t, draft.Text, "📚 Sources: refunds.md › Refunds › Timing")
		require.Contains(t, draft.Text, "within 5 business days")
		resp := e.interact(slacktest.PrivateButtonClick("trigKbSend", "UAGENT1", channel, card.TS, draft.TS, "sb:send#0",
			draftValueIn(t, draft.Blocks), e.slack.ResponseURL("kbsend")))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Contains(t, sends[0].Text, "Refunds reach your card within 5 business days")
	})
}
