package whatsapp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
)

func TestClientSendButtons(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	buttons := []bridge.ReplyButton{{ID: "csat:7:3", Title: "😀 Good"}, {ID: "csat:7:2", Title: "😐 Okay"}, {ID: "csat:7:1", Title: "🙁 Bad"}}
	id, err := c.SendButtons(context.Background(), inbox, customer, "How did we do?", buttons)
	require.NoError(t, err)
	sends := srv.WaitForSends(t, 1, 5*time.Second)
	require.Equal(t, sends[0].WAMID, id)
	require.Equal(t, "interactive", sends[0].Type)
	require.Equal(t, &whatsapptest.InteractiveSend{Type: "button", Body: "How did we do?", Buttons: []whatsapptest.ButtonSend{
		{ID: "csat:7:3", Title: "😀 Good"}, {ID: "csat:7:2", Title: "😐 Okay"}, {ID: "csat:7:1", Title: "🙁 Bad"}}}, sends[0].Interactive)

	// The exact wire shape of the Cloud API reference.
	var wire map[string]any
	require.NoError(t, json.Unmarshal(sends[0].Raw, &wire))
	require.Equal(t, "whatsapp", wire["messaging_product"])
	require.JSONEq(t, `{"type":"button","body":{"text":"How did we do?"},"action":{"buttons":[
		{"type":"reply","reply":{"id":"csat:7:3","title":"😀 Good"}},
		{"type":"reply","reply":{"id":"csat:7:2","title":"😐 Okay"}},
		{"type":"reply","reply":{"id":"csat:7:1","title":"🙁 Bad"}}]}}`, mustMarshal(t, wire["interactive"]))
}

func TestClientRefusesButtonsWhatsAppWouldRefuse(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	ok := bridge.ReplyButton{ID: "a", Title: "Fine"}
	for name, tc := range map[string]struct {
		text    string
		buttons []bridge.ReplyButton
	}{
		"no buttons":           {"Hi", nil},
		"four buttons":         {"Hi", []bridge.ReplyButton{ok, {ID: "b", Title: "B"}, {ID: "c", Title: "C"}, {ID: "d", Title: "D"}}},
		"a title over 20":      {"Hi", []bridge.ReplyButton{{ID: "a", Title: strings.Repeat("x", 21)}}},
		"a repeated title":     {"Hi", []bridge.ReplyButton{ok, {ID: "b", Title: "Fine"}}},
		"a repeated id":        {"Hi", []bridge.ReplyButton{ok, {ID: "a", Title: "Other"}}},
		"an empty body":        {"", []bridge.ReplyButton{ok}},
		"a body over 1024":     {strings.Repeat("x", 1025), []bridge.ReplyButton{ok}},
		"an id over 256 runes": {"Hi", []bridge.ReplyButton{{ID: strings.Repeat("i", 257), Title: "T"}}},
	} {
		_, err := c.SendButtons(context.Background(), inbox, customer, tc.text, tc.buttons)
		de, isDelivery := bridge.AsDeliveryError(err)
		require.True(t, isDelivery, name)
		require.True(t, de.Permanent, name)
		require.Equal(t, bridge.ReasonInvalidRequest, de.Reason, name)
	}
	require.Empty(t, srv.Sends(), "nothing reached the API")
	require.Equal(t, 20, whatsapp.MaxButtonTitleLength)
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
