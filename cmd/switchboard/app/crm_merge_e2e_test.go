package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
)

// In Discord, /contact merge without its confirm option is a private
// preview that merges nothing; with confirm:true the merge happens and
// the thread says so (review finding 4).
func TestDiscordContactMergeNeedsConfirm(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscord(t, dialect, "text")
		d.customerWrites("34600111222", "María López", "wamid.dmg1", time.Now(), "Hola desde el móvil")
		first := d.waitConv(t, d.home, 1)
		d.customerWrites("34699000111", "Maria (work)", "wamid.dmg2", time.Now().Add(time.Second), "Hola desde el trabajo")
		second := d.waitConv(t, d.home, 2)
		require.NotEqual(t, first.id, second.id)

		preview := d.contactDo(t, second, dAna, "merge", "+34600111222", "confirm")
		require.Contains(t, preview, "María López")
		require.Zero(t, d.count(`SELECT COUNT(*) FROM people WHERE merged_into <> 0`), "a preview merges nothing")

		in := d.fake.RunCommand(t, discordtest.CommandSpec{ChannelID: second.thread, User: dAna, Name: "contact",
			Options: []discordtest.Option{{Name: "merge", Type: 1, Options: []discordtest.Option{
				{Name: "value", Type: 3, Value: "+34600111222"}, {Name: "confirm", Type: 5, Value: true}}}}})
		require.True(t, d.fake.WaitCallback(t, in).Ephemeral())
		d.waitPost(t, second, "merged contact")
		require.Equal(t, 1, d.count(`SELECT COUNT(*) FROM people WHERE merged_into <> 0`))
		require.True(t, strings.Contains(strings.Join(d.botPosts(second), "\n"), "merged contact"))
	})
}

// A customer writing again within the reopen window reopens the resolved
// conversation: the CRM is told with conversation.reopened, about the same
// conversation (review finding 24).
func TestCRMWebhookToldOfAReopen(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		crm := newFakeCRM(t, nil)
		e := setup(t, dialect, withCRMWebhook(crm, "conversation.opened", "conversation.resolved", "conversation.reopened"))
		e.customerWrites("16505551299", "Ana García", "wamid.reo1", time.Now(), "Hola")
		card := e.waitCardAndThread("Hola")
		conv := conversationID(t, card)
		crm.waitDelivered(t, 1)
		e.clicks("trigReoRes", "UAGENT1", card.TS, "resolve", conv)
		crm.waitDelivered(t, 2)
		e.customerWrites("16505551299", "Ana García", "wamid.reo2", time.Now().Add(time.Second), "One more thing")
		got := crm.waitDelivered(t, 3)
		require.Equal(t, "conversation.reopened", got[2].Body.Kind)
		require.NotNil(t, got[2].Body.Conversation)
		require.Equal(t, conv, fmt.Sprint(got[2].Body.Conversation.ID))
		require.Equal(t, got[0].Body.Conversation.ID, got[2].Body.Conversation.ID, "the same conversation, open again")
	})
}
