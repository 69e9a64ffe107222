package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/openai/openaitest"
	"github.com/switchboard/switchboard/storage"
)

// What the erased person left behind: each must be found before the
// erase (so the scan is shown to work) and nowhere after it.
const (
	erName    = "Zyxella Quintanar"
	erPhone   = "16505559876"
	erEmail   = "zyx.quintanar@example.org"
	erBody1   = "my passport number is PZ-778812 please help"
	erBody2   = "thanks, write to " + erEmail
	erReply   = "Hola Zyxella, checking PZ-778812 now"
	erNote    = "NOTE-SECRET-9931 prefers calls"
	erLabel   = "vip-zyx"
	erAttrVal = "gold-zyx-plan"
	erPhone2  = "16505554411"
	erName2   = "Quorvina Blandt"
)

// Erasing a person (switchboard contact erase) leaves none of their name,
// phone number, e-mail address, message texts, note, label, attribute or
// AI summary in any column of any table — the tables are listed from the
// database's catalogue — while every count metrics read stays the same,
// and a later message from the same number starts a fresh person.
func TestContactEraseLeavesNoPersonalDataInAnyTable(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		ai := openaitest.New(t) // its default answer echoes the conversation into the summary
		crm := newFakeCRM(t, nil)
		e := setup(t, dialect, withTopLevel(fmt.Sprintf("assistant:\n  provider: openai\n  base_url: %q\n  api_key: %q\n  model: fake\n  timeout: 5s\n  max_retries: 1\n", ai.URL, ai.Key)),
			withCRMWebhook(crm))
		ctx := context.Background()

		e.customerWrites(erPhone, erName, "wamid.er1", time.Now(), erBody1)
		card := e.waitCardAndThread("PZ-778812")
		conv := conversationID(t, card)
		e.agentReplies("EvEr1", card.TS, "1700000001.000100", "UAGENT1", erReply)
		require.Eventually(t, func() bool {
			for _, s := range e.wa.Sends() {
				if s.Text != "" && strings.Contains(s.Text, "PZ-778812") {
					return true
				}
			}
			return false
		}, waitLong, 10*time.Millisecond, "the reply reached the customer")
		e.customerWrites(erPhone, erName, "wamid.er2", time.Now(), erBody2)
		e.waitCardAndThread(erEmail)

		// The person's CRM data, written through the thread commands an
		// agent uses (review finding 1: their event log lines held values).
		for i, cmd := range []struct{ text, answer string }{
			{"!label add " + erLabel, "Label `" + erLabel + "` added"},
			{"!attr plan=" + erAttrVal, "Attribute plan = " + erAttrVal},
			{"!stage customer", "Stage: customer"},
			{"!name " + erName, "now called " + erName},
			{"!cnote " + erNote, "Note about"},
		} {
			e.agentReplies(fmt.Sprintf("EvErC%d", i), card.TS, fmt.Sprintf("1700000002.%06d", i), "UAGENT1", cmd.text)
			e.waitEphemeralWith("UAGENT1", cmd.answer)
		}
		// A second identity of the same person, merged in (finding 2):
		// its number and name, its person row and its CRM webhook lane
		// must go with the erase too.
		e.customerWrites(erPhone2, erName2, "wamid.er4", time.Now(), "from my work phone")
		second := e.waitCardIn(channel, 2)
		secondConv := conversationID(t, second)
		require.Eventually(t, func() bool {
			for _, r := range crm.delivered() {
				if strings.Contains(string(r.Raw), erPhone2) {
					return true
				}
			}
			return false
		}, waitLong, 10*time.Millisecond, "the second identity's person has webhook bodies on its own lane")
		e.agentReplies("EvErM1", card.TS, "1700000003.000100", "UAGENT1", "!merge +"+erPhone2)
		e.waitEphemeralWith("UAGENT1", "confirm")
		e.agentReplies("EvErM2", card.TS, "1700000003.000200", "UAGENT1", "!merge +"+erPhone2+" confirm")
		e.waitThreadText(card.TS, "merged contact")
		var person, merged int64
		require.NoError(t, e.app.DB.GetContext(ctx, &person, e.app.DB.Rebind(`SELECT person_id FROM contacts WHERE address = ?`), erPhone))
		require.NoError(t, e.app.DB.GetContext(ctx, &merged, e.app.DB.Rebind(`SELECT id FROM people WHERE merged_into = ?`), person))
		_, err := e.app.DB.ExecContext(ctx, e.app.DB.Rebind(`UPDATE contacts SET email = ? WHERE person_id = ? AND address = ?`), erEmail, person, erPhone)
		require.NoError(t, err, "the e-mail identity comes from the e-mail channel")

		e.clicks("trigErRes", "UAGENT1", card.TS, "resolve", conv)
		require.Eventually(t, func() bool {
			return e.count(`SELECT COUNT(*) FROM conversation_summaries WHERE text LIKE '%PZ-778812%'`) == 1
		}, waitLong, 10*time.Millisecond, "the AI summary repeats what the customer wrote")
		require.Eventually(t, func() bool {
			return e.count(`SELECT COUNT(*) FROM deliveries WHERE state = 'queued'`) == 0
		}, waitLong, 10*time.Millisecond, "everything was delivered")
		e.stop()

		db, err := storage.Open(ctx, e.dbURL, 2)
		require.NoError(t, err)
		defer db.Close()
		needles := []string{"Zyxella", "Quintanar", erPhone, erEmail, "PZ-778812", "NOTE-SECRET-9931", erLabel, erAttrVal, erPhone2, "Quorvina", "Blandt"}
		for _, n := range needles {
			require.NotEmpty(t, findAnywhere(t, db, n), "%q is stored before the erase", n)
		}
		type convRow struct {
			ID       int64  `db:"id"`
			Team     string `db:"team"`
			State    string `db:"state"`
			Assignee string `db:"assignee"`
			Opened   int64  `db:"opened_ms"`
			First    int64  `db:"first_response_ms"`
			Resolved int64  `db:"resolved_ms"`
		}
		var convsBefore, convsAfter []convRow
		const convsSQL = `SELECT id, team, state, assignee, opened_ms, first_response_ms, resolved_ms FROM conversations ORDER BY id`
		require.NoError(t, db.SelectContext(ctx, &convsBefore, convsSQL))
		before := tableCounts(t, db)

		rep, err := db.ErasePerson(ctx, person, "cli", time.Now())
		require.NoError(t, err)
		require.Contains(t, rep.String(), "messages=4") // three from the customer, one reply
		require.Contains(t, rep.String(), "merged_people=1")

		for _, n := range needles {
			require.Empty(t, findAnywhere(t, db, n), "%q is gone from every table", n)
		}
		after := tableCounts(t, db)
		for table, n := range before {
			switch table {
			case "person_labels", "person_attributes", "person_notes":
				require.Equal(t, n-1, after[table], table)
			case "audit_log", "events":
				require.Equal(t, n+1, after[table], table) // the erase's audit row; the open conversation's "resolved"
			default:
				require.Equal(t, n, after[table], "rows of %s are kept (metrics count them)", table)
			}
		}
		require.NoError(t, db.SelectContext(ctx, &convsAfter, convsSQL))
		require.Len(t, convsAfter, len(convsBefore))
		for i := range convsBefore {
			if fmt.Sprint(convsBefore[i].ID) == secondConv {
				// Finding 16: the erased person's open conversation is resolved.
				require.NotEqual(t, "resolved", convsBefore[i].State)
				require.Equal(t, "resolved", convsAfter[i].State)
				require.NotZero(t, convsAfter[i].Resolved)
				convsAfter[i].State, convsAfter[i].Resolved = convsBefore[i].State, convsBefore[i].Resolved
			}
		}
		require.Equal(t, convsBefore, convsAfter, "conversations keep their times, teams, states and assignees")
		var erased int64
		require.NoError(t, db.GetContext(ctx, &erased, db.Rebind(`SELECT erased_ms FROM people WHERE id = ?`), person))
		require.NotZero(t, erased)
		audit, err := db.PersonAudit(ctx, person)
		require.NoError(t, err)
		require.Len(t, audit, 1)
		require.Equal(t, "erase", audit[0].Action)
		require.Equal(t, "cli", audit[0].Actor)

		// A reply in the erased person's thread is refused with a clear
		// text, not sent to an "erased:" address.
		e.start()
		sendsBefore := len(e.wa.Sends())
		e.agentReplies("EvErAfter", second.TS, "1700000004.000100", "UAGENT1", "are you still there?")
		e.waitEphemeralWith("UAGENT1", "nothing can be sent")
		require.Equal(t, sendsBefore, len(e.wa.Sends()))

		// The same number writing again is a new person.
		e.customerWrites(erPhone, erName, "wamid.er3", time.Now(), "hello again")
		require.Eventually(t, func() bool {
			return e.count(fmt.Sprintf(`SELECT COUNT(*) FROM contacts WHERE address = '%s' AND person_id <> %d`, erPhone, person)) == 1
		}, waitLong, 10*time.Millisecond, "a fresh contact and person")
	})
}
