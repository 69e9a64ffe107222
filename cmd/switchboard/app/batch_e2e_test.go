package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// TestUndecodableMessageInABatchDoesNotBlockTheOthers: Meta batches
// several messages in one delivery; one with a wrong-typed field is kept
// as an unknown message and shown as such, the others are posted, and the
// delivery is acknowledged (a refusal would make Meta retry all three for
// days). A body that is not JSON at all is still a bad request.
func TestUndecodableMessageInABatchDoesNotBlockTheOthers(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, bad := range []struct {
			name  string
			field string
			value any
			json  string // how the bad field reads in the stored raw JSON
		}{
			{"timestamp is an object", "timestamp", map[string]any{}, `"timestamp":{}`},
			{"text is a number", "text", 5, `"text":5`},
			{"context is a string", "context", "oops", `"context":"oops"`},
		} {
			t.Run(bad.name, func(t *testing.T) {
				e := setup(t, dialect)
				at := time.Now().Add(-time.Minute)
				mid := whatsapptest.Message("34612345678", "wamid.mid", at.Add(time.Second), "text", map[string]any{"body": "second"})
				mid[bad.field] = bad.value
				body := whatsapptest.Envelope(whatsapptest.Value{
					PhoneNumberID: phoneID,
					Contacts:      []whatsapptest.Contact{{WaID: "34612345678", Name: "Ana"}},
					Messages: []map[string]any{
						whatsapptest.Message("34612345678", "wamid.first", at, "text", map[string]any{"body": "first words"}),
						mid,
						whatsapptest.Message("34612345678", "wamid.third", at.Add(2*time.Second), "text", map[string]any{"body": "third words"}),
					},
				})
				resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
				require.Equal(t, http.StatusOK, resp.StatusCode, "the delivery is acknowledged")

				e.waitCardAndThread("first words", "could not read", "third words")
				var stored string
				require.NoError(t, e.app.DB.GetContext(context.Background(), &stored,
					e.app.DB.Rebind(`SELECT kind FROM messages WHERE external_id = ?`), "wamid.mid"))
				require.Equal(t, "unknown", stored, "the bad message is stored as unknown")
				var payload string
				require.NoError(t, e.app.DB.GetContext(context.Background(), &payload,
					e.app.DB.Rebind(`SELECT payload FROM messages WHERE external_id = ?`), "wamid.mid"))
				require.Contains(t, payload, bad.json, "its raw JSON is kept")
				require.Equal(t, 3, storedMessages(t, e))

				// Meta's retry of the same delivery changes nothing.
				resp = whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.Equal(t, 3, storedMessages(t, e))
				require.Len(t, cards(e.slack.Posts()), 1)

				malformed := []byte(`{"object":"whatsapp_business_account","entry":[{"changes":[`)
				resp = whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, malformed)
				require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a body that is not JSON is still refused")
			})
		}
	})
}
