package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// labelPerson adds a label the way the crm branch's !label command does:
// the row, then the change recorded for the webhook.
func labelPerson(t *testing.T, e *env, phone, label string) int64 {
	t.Helper()
	ctx := context.Background()
	var person int64
	require.NoError(t, e.app.DB.GetContext(ctx, &person, e.app.DB.Rebind(`SELECT person_id FROM contacts WHERE address = ?`), phone))
	_, err := e.app.DB.ExecContext(ctx, e.app.DB.Rebind(`INSERT INTO person_labels (person_id, label, created_ms) VALUES (?, ?, ?)`),
		person, label, time.Now().UnixMilli())
	require.NoError(t, err)
	require.NoError(t, e.app.Bridge.RecordCRMChange(ctx, contacts.Change{Kind: contacts.ChangeContactUpdated, PersonID: person,
		Actor: "UAGENT1", At: time.Now(), Data: map[string]string{"label_added": label}}))
	return person
}

// The CRM receives a person's changes signed and in order: the new
// person (contact.created), the conversation opening, a label, the
// resolve. A 500 is retried with the
// same id and body and the change arrives once.
func TestCRMWebhookDeliversSignedChangesInOrder(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, func(n int, _ crmBody) int {
			if n == 1 {
				return http.StatusInternalServerError
			}
			return http.StatusOK
		})
		e := setup(t, dialect, withCRMWebhook(crm))
		e.customerWrites("16505551234", "Ana García", "wamid.crm1", time.Now(), "Hola, ¿dónde está mi pedido 4411?")
		card := e.waitCardAndThread("pedido 4411")
		crm.waitDelivered(t, 2)
		person := labelPerson(t, e, "16505551234", "vip")
		crm.waitDelivered(t, 3)
		e.clicks("trigCRMRes", "UAGENT1", card.TS, "resolve", conversationID(t, card))
		got := crm.waitDelivered(t, 4)

		kinds := []string{}
		for _, r := range got {
			verifyCRMSignature(t, r)
			require.Equal(t, person, r.Body.Person.ID)
			kinds = append(kinds, r.Body.Kind)
		}
		require.Equal(t, []string{"contact.created", "conversation.opened", "contact.updated", "conversation.resolved"}, kinds)

		all := crm.all()
		require.Equal(t, http.StatusInternalServerError, all[0].Status)
		require.Equal(t, all[0].Body.ID, all[1].Body.ID, "the retry sends the same id")
		require.Equal(t, string(all[0].Raw), string(all[1].Raw), "and the same body")
		ids := map[string]int{}
		for _, r := range got {
			ids[r.Body.ID]++
		}
		require.Len(t, ids, 4, "each change delivered once")

		created, opened, label, resolved := got[0].Body, got[1].Body, got[2].Body, got[3].Body
		require.Equal(t, "customer", created.Actor)
		require.Nil(t, created.Conversation)
		require.Equal(t, map[string]string{"channel": "whatsapp"}, created.Data)
		require.Equal(t, "16505551234", created.Person.Identities[0].Phone)
		require.Equal(t, "customer", opened.Actor)
		require.NotNil(t, opened.Conversation)
		require.Equal(t, "support", opened.Conversation.Team)
		require.Equal(t, "16505551234", opened.Person.Identities[0].Phone, "the CRM receives full identities")
		require.Equal(t, []string{"vip"}, label.Person.Labels)
		require.Equal(t, "vip", label.Data["label_added"])
		require.Nil(t, label.Conversation)
		require.Equal(t, "UAGENT1", resolved.Actor)
		require.Equal(t, "resolved", resolved.Conversation.State)
		require.Equal(t, []string{"vip"}, resolved.Person.Labels)

		require.Eventually(t, func() bool { return counter(t, e, "delivered") == 4.0 }, waitLong, 10*time.Millisecond, "switchboard_crm_webhook_total{result=%s}", "delivered")
		require.Eventually(t, func() bool { return counter(t, e, "retry") == 1.0 }, waitLong, 10*time.Millisecond, "switchboard_crm_webhook_total{result=%s}", "retry")
	})
}

// A 4xx is permanent: the change is not sent again, the person's later
// changes still go, and the refusal is counted.
func TestCRMWebhookStopsOnA4xx(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, func(_ int, b crmBody) int {
			if b.Kind == "conversation.opened" {
				return http.StatusBadRequest
			}
			return http.StatusOK
		})
		e := setup(t, dialect, withCRMWebhook(crm))
		e.customerWrites("16505551234", "Ana García", "wamid.crm4", time.Now(), "Hola")
		e.waitCardAndThread("Hola")
		labelPerson(t, e, "16505551234", "vip")
		got := crm.waitDelivered(t, 2)
		require.Equal(t, []string{"contact.created", "contact.updated"}, []string{got[0].Body.Kind, got[1].Body.Kind})
		opened := 0
		for _, r := range crm.all() {
			if r.Body.Kind == "conversation.opened" {
				opened++
			}
		}
		require.Equal(t, 1, opened, "a 400 is not retried")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'crm_webhook' AND state = 'failed'`))
		require.Eventually(t, func() bool { return counter(t, e, "rejected") == 1.0 }, waitLong, 10*time.Millisecond, "switchboard_crm_webhook_total{result=%s}", "rejected")
	})
}

// Without a url nothing is recorded for the CRM; events narrow the kinds.
func TestCRMWebhookSendsNothingWithoutAURLAndOnlyTheChosenEvents(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		t.Run("no url", func(t *testing.T) {
			e := setup(t, dialect)
			e.customerWrites("16505551234", "Ana García", "wamid.crm5", time.Now(), "Hola")
			e.waitCardAndThread("Hola")
			labelPerson(t, e, "16505551234", "vip")
			require.Zero(t, e.count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'crm_webhook'`))
		})
		t.Run("events", func(t *testing.T) {
			crm := newFakeCRM(t, nil)
			e := setup(t, dialect, withCRMWebhook(crm, "contact.updated"))
			e.customerWrites("16505551234", "Ana García", "wamid.crm6", time.Now(), "Hola")
			e.waitCardAndThread("Hola")
			labelPerson(t, e, "16505551234", "vip")
			got := crm.waitDelivered(t, 1)
			require.Equal(t, "contact.updated", got[0].Body.Kind)
			require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM deliveries WHERE kind = 'crm_webhook'`), "the opening was not recorded")
		})
	})
}

// counter is switchboard_crm_webhook_total{result} from the app's registry.
func counter(t *testing.T, e *env, result string) float64 {
	t.Helper()
	mfs, err := e.app.Registry.Gather()
	if err != nil {
		return -1 // called from require.Eventually's goroutine: no FailNow here
	}
	v := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "switchboard_crm_webhook_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && strings.EqualFold(l.GetValue(), result) {
					v = m.GetCounter().GetValue()
				}
			}
		}
	}
	return v
}

// A claim and a transfer to another team reach the CRM as
// conversation.assigned and conversation.transferred, after the opening.
func TestCRMWebhookReportsClaimAndTransfer(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, nil)
		e := setup(t, dialect, append(twoTeams(""), withCRMWebhook(crm))...)
		e.customerWrites("34611111111", "Ana", "wamid.crmT1", time.Now(), "Hola, quiero un reembolso")
		card := e.waitCardIn(channel, 1)
		e.clicks("trigCRMClaim", "U0AGENTA01", card.TS, "claim", conversationID(t, card))
		crm.waitDelivered(t, 3)
		e.replyIn(channel, "EvCRMT", card.TS, "1700000401.000100", "U0AGENTA01", "!transfer sales wants a refund")
		got := crm.waitDelivered(t, 4)
		var kinds []string
		for _, r := range got {
			verifyCRMSignature(t, r)
			kinds = append(kinds, r.Body.Kind)
		}
		require.Equal(t, []string{"contact.created", "conversation.opened", "conversation.assigned", "conversation.transferred"}, kinds[:4])
		require.Equal(t, "U0AGENTA01", got[2].Body.Conversation.Assignee)
		require.Equal(t, map[string]string{"from_team": "support", "team": "sales"}, got[3].Body.Data)
		require.Equal(t, "sales", got[3].Body.Conversation.Team)
	})
}
