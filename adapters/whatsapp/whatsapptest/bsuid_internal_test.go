package whatsapptest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/bridge"
)

// The fake's own status webhooks for a message sent to a BSUID name the
// recipient by recipient_user_id (and contacts[].user_id), no phone.
func TestStatusWebhooksOfABSUIDSendCarryTheBSUID(t *testing.T) {
	t.Parallel()
	body := statusEnvelope("106540352242922", statusWebhook{wamid: "wamid.1", status: "delivered", to: "US.13491208655302741918"}, time.Now())
	require.NotContains(t, string(body), "recipient_id\"")
	require.NotContains(t, string(body), "wa_id")
	hook, err := whatsapp.Parse(body)
	require.NoError(t, err)
	require.Len(t, hook.Receipts, 1)
	require.Equal(t, "US.13491208655302741918", hook.Receipts[0].RecipientUserID)
	require.Equal(t, bridge.CustomerAddress("US.13491208655302741918"), hook.Receipts[0].Recipient)

	phone := statusEnvelope("106540352242922", statusWebhook{wamid: "wamid.2", status: "sent", to: "16505551234"}, time.Now())
	hook, err = whatsapp.Parse(phone)
	require.NoError(t, err)
	require.Equal(t, bridge.CustomerAddress("16505551234"), hook.Receipts[0].Recipient)
}
