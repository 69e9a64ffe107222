package whatsapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
)

// badMiddle builds a batch of three text messages from one customer whose
// middle one has had field set to a wrong-typed value.
func badMiddle(field string, value any) []byte {
	at := time.Unix(1749416383, 0)
	mid := whatsapptest.Message("16505551234", "wamid.B", at, "text", map[string]any{"body": "two"})
	mid["marker"] = "middle"
	if strings.HasPrefix(field, "-") {
		delete(mid, field[1:])
	} else {
		mid[field] = value
	}
	return whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: "106540352242922",
		Contacts:      []whatsapptest.Contact{{WaID: "16505551234", Name: "Sheena"}},
		Messages: []map[string]any{
			whatsapptest.Message("16505551234", "wamid.A", at, "text", map[string]any{"body": "one"}),
			mid,
			whatsapptest.Message("16505551234", "wamid.C", at, "text", map[string]any{"body": "three"}),
		},
	})
}

func TestParseKeepsTheRestOfABatchAroundAnUndecodableMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		field string
		value any
		// wantID is the middle message's ExternalID; "" means a stand-in id
		// derived from its bytes.
		wantID   string
		wantKind bridge.MessageKind
	}{
		{"timestamp is an object", "timestamp", map[string]any{}, "wamid.B", bridge.KindUnknown},
		{"text is a number", "text", 5, "wamid.B", bridge.KindUnknown},
		{"id is a number", "id", 5, "", bridge.KindUnknown},
		{"id is missing", "-id", nil, "", bridge.KindText},
		{"type is an object", "type", map[string]any{"x": 1}, "wamid.B", bridge.KindUnknown},
		{"from is a list", "from", []int{1}, "wamid.B", bridge.KindUnknown},
		{"context is a string", "context", "oops", "wamid.B", bridge.KindUnknown},
		{"errors is a string", "errors", "oops", "wamid.B", bridge.KindUnknown},
		{"timestamp is a list", "timestamp", []string{"1"}, "wamid.B", bridge.KindUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := badMiddle(tc.field, tc.value)
			hook, err := whatsapp.Parse(body)
			require.NoError(t, err, "one bad message never fails the delivery")
			require.Len(t, hook.Messages, 3)
			require.Equal(t, "one", hook.Messages[0].Text)
			require.Equal(t, bridge.KindText, hook.Messages[0].Kind)
			require.Equal(t, "three", hook.Messages[2].Text)
			require.Equal(t, bridge.KindText, hook.Messages[2].Kind)

			bad := hook.Messages[1]
			require.Equal(t, tc.wantKind, bad.Kind)
			require.Equal(t, hook.Messages[0].SentAt, bad.SentAt, "it keeps its place in the batch")
			require.Equal(t, bridge.CustomerAddress("16505551234"), bad.From, "the sender is still known")
			require.Equal(t, bridge.InboxID("106540352242922"), bad.Inbox)
			require.True(t, json.Valid(bad.Raw), "Raw keeps the message's JSON")
			require.Contains(t, string(bad.Raw), `"marker":"middle"`)
			if tc.wantID != "" {
				require.Equal(t, tc.wantID, bad.ExternalID)
			} else {
				require.True(t, strings.HasPrefix(bad.ExternalID, "unreadable."), "a stand-in id: %q", bad.ExternalID)
				again, err := whatsapp.Parse(body)
				require.NoError(t, err)
				require.Equal(t, bad.ExternalID, again.Messages[1].ExternalID, "Meta's retry of the same bytes dedupes")
			}
		})
	}
}

func TestParseStillRefusesABodyThatIsNotJSON(t *testing.T) {
	t.Parallel()
	_, err := whatsapp.Parse([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[`))
	require.ErrorIs(t, err, whatsapp.ErrMalformed)
}

func TestParseKeepsGoodStatusesBesideAnUndecodableOne(t *testing.T) {
	t.Parallel()
	at := time.Unix(1749416383, 0)
	bad := whatsapptest.Status("wamid.S2", "read", "16505551234", at, 0)
	bad["errors"] = "oops"
	body := whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: "106540352242922",
		Statuses: []map[string]any{
			whatsapptest.Status("wamid.S1", "delivered", "16505551234", at, 0),
			bad,
			{"id": 7, "status": "read"},
		},
	})
	hook, err := whatsapp.Parse(body)
	require.NoError(t, err)
	require.Len(t, hook.Receipts, 2, "a status without a readable id is dropped, the others kept")
	require.Equal(t, "wamid.S1", hook.Receipts[0].ExternalID)
	require.Equal(t, "wamid.S2", hook.Receipts[1].ExternalID)
	require.Equal(t, bridge.ReceiptRead, hook.Receipts[1].Status)
}
