package app_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
	"github.com/switchboard/switchboard/storage"
)

// The data of every contact.* body the CRM commands send is exactly what
// docs/crm.md's table of kinds documents: each body is decoded as the CRM
// receives it. An Instagram customer's first message is contact.created
// too (every channel), and the merge names the person merged away.
func TestCRMWebhookContactDataMatchesTheDocs(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, nil)
		e := setupInstagram(t, dialect, withTopLevel(fmt.Sprintf(`contacts:
  stages: [lead, qualified, customer]
  attributes:
    - {name: plan, type: list, options: [free, gold]}
  webhook:
    url: %q
    secret: %q
    events: [contact.created, contact.updated, contact.merged]
`, crm.URL+"/hooks/switchboard", crmSecret)), withReopenWindow("0s"))
		now := time.Now()
		e.customerWrites("34600111222", "María López", "wamid.d1", now, "Hola")
		wa := e.waitCardIn(channel, 1)
		e.instagramWrites(igAccount, "1254459154682919", "m_d2", "Hi", now.Add(time.Second))
		ig := e.waitCardIn(channel, 2)
		created := crm.waitDelivered(t, 2)

		steps := []struct{ cmd, ack string }{
			{"!label add vip", "Label `vip` added"},
			{"!label remove vip", "removed"},
			{"!stage qualified", "Stage: qualified"},
			{"!attr plan=gold", "Attribute plan = gold"},
			{"!attr plan=", "plan"},
			{"!name María L.", "María L."},
		}
		for i, s := range steps {
			e.replyIn(channel, "EvD"+strconv.Itoa(i), wa.TS, "1700000500.00010"+strconv.Itoa(i), "UAGENT1", s.cmd)
			crm.waitDelivered(t, 3+i)
		}
		e.replyIn(channel, "EvDm", ig.TS, "1700000500.000900", "UAGENT1", "!merge +34600111222 confirm")
		got := crm.waitDelivered(t, 3+len(steps))

		byKind := map[string][]map[string]string{}
		for _, r := range got {
			verifyCRMSignature(t, r)
			byKind[r.Body.Kind] = append(byKind[r.Body.Kind], r.Body.Data)
		}
		require.ElementsMatch(t, []map[string]string{{"channel": "whatsapp"}, {"channel": "instagram"}}, byKind["contact.created"])
		require.Equal(t, "customer", created[0].Body.Actor)
		require.Equal(t, []map[string]string{
			{"label_added": "vip"},
			{"label_removed": "vip"},
			{"stage": "qualified", "previous_stage": ""},
			{"attribute": "plan", "value": "gold"},
			{"attribute": "plan", "value": ""},
			{"name": "María L."},
		}, byKind["contact.updated"])
		require.Len(t, byKind["contact.merged"], 1)
		merged := got[len(got)-1].Body
		require.Equal(t, "contact.merged", merged.Kind)
		require.Equal(t, strconv.FormatInt(created[0].Body.Person.ID, 10), merged.Data["merged_person"], "names the WhatsApp person merged away")
		require.Equal(t, created[1].Body.Person.ID, merged.Person.ID, "person is the one kept")
		require.Len(t, merged.Person.Identities, 2, "with both identities")
	})
}

// The contact.erased that `switchboard contact erase` writes in the
// erase's transaction (no queue, no job) reaches the CRM from the running
// server: its lane rescue picks the waiting delivery up. The server's
// clock runs a minute ahead so the rescue's ten-second grace has passed.
func TestCRMWebhookContactErasedFromTheCommandLineIsSent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, nil)
		e := setup(t, dialect, withCRMWebhook(crm))
		e.customerWrites("34600999888", "Zoe Erasable", "wamid.erx1", time.Now(), "Borrad mis datos")
		e.waitCardIn(channel, 1)
		first := crm.waitDelivered(t, 2) // contact.created, conversation.opened
		person := first[0].Body.Person.ID
		e.stop()

		ctx := context.Background()
		db, err := storage.Open(ctx, e.dbURL, 2)
		require.NoError(t, err)
		hook := bridge.CRMWebhook{URL: crm.URL + "/hooks/switchboard", Secret: crmSecret}
		_, err = db.ErasePerson(ctx, person, "cli", time.Now(), func(ctx context.Context, tx bridge.Tx) error {
			return bridge.RecordCRMChangeIn(ctx, tx, hook, contacts.Change{Kind: contacts.ChangeContactErased, PersonID: person, Actor: "cli"})
		})
		require.NoError(t, err)
		require.NoError(t, db.Close())

		e.tune.Now = func() time.Time { return time.Now().Add(time.Minute) }
		e.start()
		got := crm.waitDelivered(t, 3)
		erased := got[2]
		verifyCRMSignature(t, erased)
		require.Equal(t, "contact.erased", erased.Body.Kind)
		require.Equal(t, person, erased.Body.Person.ID)
		require.NotContains(t, string(erased.Raw), "34600999888", "the erased body names nobody")
		require.NotContains(t, string(erased.Raw), "Zoe")
		require.Contains(t, string(erased.Raw), `"erased":true`)
	})
}

// An agent starting a conversation with a number never seen creates the
// person: contact.created names the agent, then the opening follows.
func TestCRMWebhookContactCreatedByAnAgentStart(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, nil)
		e := setupStart(t, dialect, withCRMWebhook(crm))
		e.slash("UAGENT1", "new 612 34 56 78 welcome Ana")
		got := crm.waitDelivered(t, 2)
		require.Equal(t, "contact.created", got[0].Body.Kind)
		require.Equal(t, "UAGENT1", got[0].Body.Actor)
		require.Equal(t, map[string]string{"channel": "whatsapp"}, got[0].Body.Data)
		require.Equal(t, "conversation.opened", got[1].Body.Kind)
		require.Equal(t, got[0].Body.Person.ID, got[1].Body.Person.ID)
	})
}
