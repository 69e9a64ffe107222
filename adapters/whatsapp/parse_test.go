package whatsapp_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
)

func TestParseAcceptsEveryFixture(t *testing.T) {
	t.Parallel()
	for _, path := range fixtures.Files(t, "whatsapp", ".json") {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hook, err := whatsapp.Parse(fixtures.Read(t, "whatsapp", name))
			require.NoError(t, err)
			require.NotEmpty(t, len(hook.Messages)+len(hook.Receipts), "every fixture carries a message or a status")
			for _, m := range hook.Messages {
				require.NotEmpty(t, m.ExternalID)
				require.NotEmpty(t, m.Inbox)
				require.NotEmpty(t, m.From)
				require.NotEmpty(t, m.Kind)
				require.False(t, m.SentAt.IsZero(), "SentAt from the string timestamp")
				require.True(t, json.Valid(m.Raw), "Raw is the message JSON")
			}
			for _, r := range hook.Receipts {
				require.NotEmpty(t, r.ExternalID)
				require.NotEmpty(t, r.Status)
				require.False(t, r.At.IsZero())
			}
		})
	}
}

// pywa is the sender, inbox and name shared by the pywa-derived fixtures;
// their contacts[] carry the sender's BSUID and parent BSUID.
func pywa(ts int64, kind bridge.MessageKind) bridge.InboundMessage {
	return bridge.InboundMessage{
		Inbox:            "1122334455667",
		ExternalID:       "wamid.xyzxyz",
		From:             "972987654321",
		ProfileName:      "Test Name",
		FromUserID:       pywaUserID,
		FromParentUserID: pywaParentUserID,
		SentAt:           time.Unix(ts, 0).UTC(),
		Kind:             kind,
	}
}

const (
	pywaUserID       = "US.13491208655302741918"
	pywaParentUserID = "US.ENT.11815799212886844830"
)

func with(m bridge.InboundMessage, f func(*bridge.InboundMessage)) bridge.InboundMessage {
	f(&m)
	return m
}

func TestParseMapsEachMessageType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []bridge.InboundMessage
	}{
		{"text.json", []bridge.InboundMessage{{
			Inbox: "106540352242922", ExternalID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
			From: "16505551234", ProfileName: "Sheena Nelson", SentAt: time.Unix(1749416383, 0).UTC(),
			Kind: bridge.KindText, Text: "Does it come in another color?",
		}}},
		{"image_with_caption.json", []bridge.InboundMessage{{
			Inbox: "PHONE_NUMBER_ID", ExternalID: "wamid.ID", From: "PHONE_NUMBER",
			// contacts[0].wa_id does not match "from" in this placeholder
			// payload; the lone contact is still the sender.
			ProfileName: "NAME", SentAt: time.Unix(1669233778, 0).UTC(), Kind: bridge.KindImage,
			Text:  "CAPTION_TEXT",
			Media: &bridge.Media{ID: "IMAGE_ID", MimeType: "image/jpeg", SHA256: "IMAGE_HASH"},
		}}},
		{"audio.json", []bridge.InboundMessage{with(pywa(1697043509, bridge.KindAudio), func(m *bridge.InboundMessage) {
			m.Media = &bridge.Media{ID: "1234567890987654321", MimeType: "audio/ogg; codecs=opus", SHA256: "E3dxS/PdYZE7ppA3pQ4mpCFaXBJ8pX4SRN/dsfvds/iPGA="}
			m.Forwarded = true
		})}},
		{"voice.json", []bridge.InboundMessage{with(pywa(1697043473, bridge.KindAudio), func(m *bridge.InboundMessage) {
			m.Media = &bridge.Media{ID: "1234567890987654321", MimeType: "audio/ogg; codecs=opus", SHA256: "m04pFf2ERdaopTyFkGPA0+bX3i+YY2dYgVFwOgDLSDI=", Voice: true}
		})}},
		{"document.json", []bridge.InboundMessage{with(pywa(1697043666, bridge.KindDocument), func(m *bridge.InboundMessage) {
			m.Text = "caption"
			m.Media = &bridge.Media{ID: "1234567890987654321", MimeType: "application/pdf", SHA256: "grwfwe/ZPx0wAbdfbdeFUNItPZ0RylL8gGUvdt3YFqc18SY=", Filename: "filename.pdf"}
			m.Forwarded = true
		})}},
		{"video.json", []bridge.InboundMessage{with(pywa(1697044362, bridge.KindVideo), func(m *bridge.InboundMessage) {
			m.Text = "caption"
			m.Media = &bridge.Media{ID: "765756756", MimeType: "video/mp4", SHA256: "Jh+2ij6PzUv/J2y+grrtegr/ZMzRxkEPwc24Oyib4s03w9Jc="}
			m.Forwarded = true
		})}},
		{"sticker_animated.json", []bridge.InboundMessage{with(pywa(1697043785, bridge.KindSticker), func(m *bridge.InboundMessage) {
			m.Media = &bridge.Media{ID: "1234567890987654321", MimeType: "image/webp", SHA256: "HcwyCKrTKXHk0a00ms4HWIA76GY0Du6q4Z/iuwevw=", Animated: true}
		})}},
		{"location.json", []bridge.InboundMessage{with(pywa(1697044557, bridge.KindLocation), func(m *bridge.InboundMessage) {
			m.Location = &bridge.Location{Latitude: 37.4611978, Longitude: -122.2164385, Name: "Facebook HQ",
				Address: "1 Hacker Way, Menlo Park, CA 94025", URL: "https://maps.google.com/?cid=2000000000000000000"}
			m.Forwarded = true
		})}},
		{"contacts.json", []bridge.InboundMessage{with(pywa(1697044621, bridge.KindContacts), func(m *bridge.InboundMessage) {
			m.Contacts = []bridge.SharedContact{
				{Name: "Chandler Bing", Phones: []string{"+1 555-555-5555"}},
				{Name: "Monica", Phones: []string{"+1 666-666-6666"}},
				{Name: "Rachel Green", Phones: []string{"+1 777-777-7777"}},
			}
		})}},
		{"interactive_button_reply.json", []bridge.InboundMessage{with(pywa(1698266730, bridge.KindInteractive), func(m *bridge.InboundMessage) {
			m.Text = "title"
			m.Interactive = &bridge.InteractiveReply{ID: "callback_data", Title: "title"}
			m.ReplyTo = "wamid.xyzxyz"
		})}},
		{"interactive_list_reply.json", []bridge.InboundMessage{with(pywa(1698266905, bridge.KindInteractive), func(m *bridge.InboundMessage) {
			m.ExternalID = "wamid.zyzxyz"
			m.Text = "title"
			m.Interactive = &bridge.InteractiveReply{ID: "callback_data", Title: "title", Description: "description"}
			m.ReplyTo = "wamid.xyzxyz"
		})}},
		{"template_quick_reply_button.json", []bridge.InboundMessage{with(pywa(1698269027, bridge.KindButton), func(m *bridge.InboundMessage) {
			m.ExternalID = "wamid.xsidjw"
			m.Text = "title"
			m.Interactive = &bridge.InteractiveReply{ID: "callback_data", Title: "title"}
			m.ReplyTo = "wamid.xyzxyz=="
		})}},
		{"reaction.json", []bridge.InboundMessage{with(pywa(1697044456, bridge.KindReaction), func(m *bridge.InboundMessage) {
			m.Reaction = &bridge.Reaction{TargetExternalID: "wamid.yzxyzx=", Emoji: "😮"}
		})}},
		{"reaction_removed_empty_emoji.json", []bridge.InboundMessage{with(pywa(1697044456, bridge.KindReaction), func(m *bridge.InboundMessage) {
			m.Reaction = &bridge.Reaction{TargetExternalID: "wamid.yzxyzx="}
		})}},
		{"reaction_removed_no_emoji_key.json", []bridge.InboundMessage{{
			Inbox: "PHONE_NUMBER_ID", ExternalID: "wamid.ID", From: "PHONE_NUMBER", ProfileName: "NAME",
			SentAt: time.Unix(1669233778, 0).UTC(), Kind: bridge.KindReaction,
			Reaction: &bridge.Reaction{TargetExternalID: "MESSAGE_ID"},
		}}},
		{"order.json", []bridge.InboundMessage{with(pywa(1697044668, bridge.KindOrder), func(m *bridge.InboundMessage) {
			m.Text = "Order (catalog 354160437058781):\n• 3 × HAMBURGER @ 30 ILS\n• 2 × FRENCH_FRIES @ 35 ILS\n• 2 × SODA @ 10 ILS\nTotal: 180 ILS"
		})}},
		{"system_user_changed_number.json", []bridge.InboundMessage{with(pywa(1753851315, bridge.KindSystem), func(m *bridge.InboundMessage) {
			m.ExternalID = "wamid.xyzxyz=="
			m.ProfileName = "" // no contacts[] in a number-change notice
			m.FromUserID, m.FromParentUserID = "", ""
			m.Text = "User A changed from 972987654321 to 972912345678"
			m.IdentityChange = &bridge.IdentityChange{Kind: bridge.IdentityNumberChanged, NewPhone: "972912345678"}
		})}},
		{"system_customer_identity_changed.json", []bridge.InboundMessage{with(pywa(1697044706, bridge.KindSystem), func(m *bridge.InboundMessage) {
			m.ProfileName = "User A"
			m.FromUserID, m.FromParentUserID = "", "" // this contact has no BSUID
			m.Text = "User identity changed"          // a security-code change: no IdentityChange
		})}},
		{"revoke_deleted_message.json", []bridge.InboundMessage{{
			Inbox: "<BUSINESS_PHONE_NUMBER_ID>", ExternalID: "<WHATSAPP_MESSAGE_ID>", From: "<WHATSAPP_USER_PHONE_NUMBER>",
			ProfileName: "Test Name", SentAt: time.Unix(1697043223, 0).UTC(), Kind: bridge.KindRevoke,
			FromUserID: pywaUserID, FromParentUserID: pywaParentUserID,
			ReplyTo: "<ORIGINAL_WHATSAPP_MESSAGE_ID>",
		}}},
		{"unsupported.json", []bridge.InboundMessage{with(pywa(1697044706, bridge.KindUnsupported), func(m *bridge.InboundMessage) {
			m.Errors = []bridge.PlatformError{{Code: 131051, Title: "Message type unknown", Message: "Message type unknown",
				Details: "Message type is currently not supported."}}
		})}},
		{"text_forwarded_many_times.json", []bridge.InboundMessage{with(pywa(1697044968, bridge.KindText), func(m *bridge.InboundMessage) {
			m.Text = "text forwarded many times"
			m.Forwarded = true
		})}},
		{"multiple_messages.json", []bridge.InboundMessage{
			{Inbox: "987654321", ExternalID: "wamid.GBGX2323902", From: "1234567890", ProfileName: "Sam Sample",
				SentAt: time.Unix(1680123456, 0).UTC(), Kind: bridge.KindText, Text: "Hello from a text message"},
			{Inbox: "987654321", ExternalID: "wamid.OMGReaction", From: "1234567890", ProfileName: "Sam Sample",
				SentAt: time.Unix(1680123457, 0).UTC(), Kind: bridge.KindReaction,
				Reaction: &bridge.Reaction{TargetExternalID: "wamid.GBGX2323902", Emoji: "👍"}},
		}},
		{"batch_multiple_changes.json", []bridge.InboundMessage{
			{Inbox: "PHONE_NUMBER_ID", ExternalID: "wamid.ID", From: "PHONE_NUMBER", ProfileName: "NAME",
				SentAt: time.Unix(1669233778, 0).UTC(), Kind: bridge.KindText, Text: "MESSAGE_BODY"},
			{Inbox: "PHONE_NUMBER_ID", ExternalID: "wamid.ID", From: "PHONE_NUMBER", ProfileName: "NAME",
				SentAt: time.Unix(1669233779, 0).UTC(), Kind: bridge.KindText, Text: "MESSAGE_BODY2"},
		}},
		{"batch_mixed_fields.json", []bridge.InboundMessage{{
			Inbox: "987654321", ExternalID: "wamid.TEXTXYZ123", From: "1234567890", ProfileName: "Alex Tester",
			SentAt: time.Unix(1680123456, 0).UTC(), Kind: bridge.KindText, Text: "Hello from a text message",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			hook, err := whatsapp.Parse(fixtures.Read(t, "whatsapp", tt.file))
			require.NoError(t, err)
			require.Empty(t, hook.Receipts)
			require.Equal(t, tt.want, withoutRaw(t, hook.Messages))
		})
	}
}

// withoutRaw checks Raw is the message object and clears it so the rest
// compares as a whole.
func withoutRaw(t *testing.T, msgs []bridge.InboundMessage) []bridge.InboundMessage {
	t.Helper()
	out := make([]bridge.InboundMessage, len(msgs))
	for i, m := range msgs {
		var obj struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(m.Raw, &obj))
		require.Equal(t, m.ExternalID, obj.ID, "Raw holds this message's own object")
		m.Raw = nil
		out[i] = m
	}
	return out
}

func TestParseMapsStatusesToReceipts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want bridge.DeliveryReceipt
	}{
		{"status_sent.json", bridge.DeliveryReceipt{Inbox: "1122334455667", ExternalID: "wamid.xyzxyz",
			Status: bridge.ReceiptSent, At: time.Unix(1698266945, 0).UTC(), Recipient: "972987654321"}},
		{"status_delivered.json", bridge.DeliveryReceipt{Inbox: "1122334455667", ExternalID: "wamid.xyzxyz",
			Status: bridge.ReceiptDelivered, At: time.Unix(1698266945, 0).UTC(), Recipient: "972987654321"}},
		{"status_read.json", bridge.DeliveryReceipt{Inbox: "1122334455667", ExternalID: "wamid.xyzxyz",
			Status: bridge.ReceiptRead, At: time.Unix(1689380458, 0).UTC(), Recipient: "972987654321"}},
		{"status_played.json", bridge.DeliveryReceipt{Inbox: "1122334455667", ExternalID: "wamid.xyzxyz",
			Status: bridge.ReceiptPlayed, At: time.Unix(1689380458, 0).UTC(), Recipient: "972987654321"}},
		{"status_read_minimal.json", bridge.DeliveryReceipt{Inbox: "CUSTOMER_PHONE_NUMBER", ExternalID: "wamid.ID",
			Status: bridge.ReceiptRead, At: time.Unix(1674914356, 0).UTC(), Recipient: "CUSTOMER_PHONE_NUMBER"}},
		{"status_sent_with_biz_opaque_callback_data.json", bridge.DeliveryReceipt{Inbox: "1122334455667", ExternalID: "wamid.xyzxyz",
			Status: bridge.ReceiptSent, At: time.Unix(1698266945, 0).UTC(), Recipient: "972987654321"}},
		{"status_failed_131047.json", bridge.DeliveryReceipt{Inbox: "15555559999",
			ExternalID: "wamid.lBgLMTI0ODk5MagXZMzgVAgARGDIwQ0FDRENCODA3RjczNUYxNzQA",
			Status:     bridge.ReceiptFailed, At: time.Unix(1222493493, 0).UTC(), Recipient: "15555558888",
			Errors: []bridge.PlatformError{{Code: 131047, Title: "Re-engagement message", Message: "Re-engagement message",
				Details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}},
			Reason: bridge.ReasonOutsideWindow}},
	}
	// Meta's own examples carry conversation-based pricing.
	cbpService := &bridge.Pricing{Billable: true, Model: "CBP", Category: "service"}
	for i := range tests {
		if strings.HasPrefix(tests[i].want.ExternalID, "wamid.xyzxyz") {
			tests[i].want.Pricing = cbpService
			// The pywa status fixtures' contacts[] name the BSUID.
			tests[i].want.RecipientUserID = pywaUserID
		}
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			hook, err := whatsapp.Parse(fixtures.Read(t, "whatsapp", tt.file))
			require.NoError(t, err)
			require.Empty(t, hook.Messages)
			require.Equal(t, []bridge.DeliveryReceipt{tt.want}, hook.Receipts)
		})
	}
}

func TestParseBuiltPayloads(t *testing.T) {
	t.Parallel()
	ts := time.Unix(1700000000, 0).UTC()
	env := func(msgs ...map[string]any) []byte {
		return whatsapptest.Envelope(whatsapptest.Value{PhoneNumberID: "111", Contacts: []whatsapptest.Contact{{WaID: "4915112345678", Name: "Ana"}}, Messages: msgs})
	}
	base := bridge.InboundMessage{Inbox: "111", ExternalID: "wamid.1", From: "4915112345678", ProfileName: "Ana", SentAt: ts}
	tests := []struct {
		name string
		body []byte
		want bridge.InboundMessage
	}{
		{"an edited text keeps the new text and points at the original",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "edit", map[string]any{
				"original_message_id": "wamid.0", "message": map[string]any{"type": "text", "text": map[string]any{"body": "fixed"}}})),
			with(base, func(m *bridge.InboundMessage) { m.Kind, m.Text, m.ReplyTo = bridge.KindEdit, "fixed", "wamid.0" })},
		{"an edited caption keeps the media",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "edit", map[string]any{
				"original_message_id": "wamid.0", "message": map[string]any{"type": "image", "image": map[string]any{"id": "m1", "caption": "new", "mime_type": "image/jpeg"}}})),
			with(base, func(m *bridge.InboundMessage) {
				m.Kind, m.Text, m.ReplyTo = bridge.KindEdit, "new", "wamid.0"
				m.Media = &bridge.Media{ID: "m1", MimeType: "image/jpeg"}
			})},
		{"an unknown type is kept as unknown",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "hologram", map[string]any{"x": 1})),
			with(base, func(m *bridge.InboundMessage) { m.Kind = bridge.KindUnknown })},
		{"a known type with a surprising shape degrades to unknown",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "text", "not an object")),
			with(base, func(m *bridge.InboundMessage) { m.Kind = bridge.KindUnknown })},
		{"a completed flow reads as an interactive reply",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "interactive", map[string]any{
				"type": "nfm_reply", "nfm_reply": map[string]any{"name": "flow", "body": "Sent", "response_json": "{}"}})),
			with(base, func(m *bridge.InboundMessage) {
				m.Kind, m.Text = bridge.KindInteractive, "Sent"
				m.Interactive = &bridge.InteractiveReply{ID: "flow", Title: "Sent"}
			})},
		{"a contact card keeps emails and organisation",
			env(whatsapptest.Message("4915112345678", "wamid.1", ts, "contacts", []map[string]any{{
				"name":   map[string]any{"first_name": "Jo", "last_name": "Doe"},
				"phones": []map[string]any{{"phone": "+49 151 0", "type": "CELL"}},
				"emails": []map[string]any{{"email": "jo@example.com", "type": "WORK"}},
				"org":    map[string]any{"company": "Acme", "department": "Sales"},
			}})),
			with(base, func(m *bridge.InboundMessage) {
				m.Kind = bridge.KindContacts
				m.Contacts = []bridge.SharedContact{{Name: "Jo Doe", Phones: []string{"+49 151 0"}, Emails: []string{"jo@example.com"}, Org: "Acme, Sales"}}
			})},
		{"a numeric timestamp is read too",
			env(map[string]any{"from": "4915112345678", "id": "wamid.1", "timestamp": 1700000000, "type": "text", "text": map[string]any{"body": "hi"}}),
			with(base, func(m *bridge.InboundMessage) { m.Kind, m.Text = bridge.KindText, "hi" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook, err := whatsapp.Parse(tt.body)
			require.NoError(t, err)
			require.Equal(t, []bridge.InboundMessage{tt.want}, withoutRaw(t, hook.Messages))
		})
	}
}

func TestParseRejectsWhatIsNotAWhatsAppDelivery(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"not JSON":             `{"object":`,
		"another product":      `{"object":"page","entry":[]}`,
		"no object":            `{"entry":[]}`,
		"a value of bad shape": `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":"x"}}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := whatsapp.Parse([]byte(body))
			require.ErrorIs(t, err, whatsapp.ErrMalformed)
		})
	}
}

// A message header of bad shape used to fail the whole delivery; it is now
// kept as KindUnknown when its sender is known (batch_test.go) and
// reported as dropped when nothing names the sender.
func TestParseDropsAMessageWithoutAReadableSender(t *testing.T) {
	t.Parallel()
	hook, dropped, err := whatsapp.ParseDelivery([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":7}]}}]}]}`))
	require.NoError(t, err)
	require.Empty(t, hook.Messages)
	require.Len(t, dropped, 1)
	require.ErrorContains(t, dropped[0], "sender")
}

func TestParseSkipsFieldsOtherThanMessages(t *testing.T) {
	t.Parallel()
	hook, err := whatsapp.Parse([]byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
		{"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}},
		{"field":"user_preferences","value":{"user_preferences":"anything"}}]}]}`))
	require.NoError(t, err)
	require.Empty(t, hook.Messages)
	require.Empty(t, hook.Receipts)
}

func TestParseFailedStatusWithoutErrorsIsUnknownReason(t *testing.T) {
	t.Parallel()
	hook, err := whatsapp.Parse(whatsapptest.StatusUpdate("111", "wamid.9", "failed", time.Unix(1700000000, 0), 0))
	require.NoError(t, err)
	require.Len(t, hook.Receipts, 1)
	require.Equal(t, bridge.ReasonUnknown, hook.Receipts[0].Reason)
	require.Equal(t, bridge.CustomerAddress(whatsapptest.DefaultRecipient), hook.Receipts[0].Recipient)

	hook, err = whatsapp.Parse(whatsapptest.StatusUpdate("111", "wamid.9", "failed", time.Unix(1700000000, 0), 131026))
	require.NoError(t, err)
	require.Equal(t, bridge.ReasonUndeliverable, hook.Receipts[0].Reason)
	require.Equal(t, 131026, hook.Receipts[0].Errors[0].Code)
}

func TestParseReadsThePricingOfAStatus(t *testing.T) {
	t.Parallel()
	ts := time.Unix(1751328000, 0).UTC()
	status := func(pricing any) []byte {
		st := whatsapptest.Status("wamid.P1", "sent", "5511987654321", ts, 0)
		if pricing != nil {
			st["pricing"] = pricing
		}
		return whatsapptest.Envelope(whatsapptest.Value{PhoneNumberID: "111", Statuses: []map[string]any{st}})
	}
	tests := []struct {
		name    string
		pricing any
		want    *bridge.Pricing
		charged bool
	}{
		{"a charged marketing template (PMP regular)", whatsapptest.Pricing("marketing", "regular"),
			&bridge.Pricing{Billable: true, Model: "PMP", Category: "marketing", Type: "regular"}, true},
		{"a utility template inside the service window is free", whatsapptest.Pricing("utility", "free_customer_service"),
			&bridge.Pricing{Model: "PMP", Category: "utility", Type: "free_customer_service"}, false},
		{"a service reply is free", whatsapptest.Pricing("service", "free_customer_service"),
			&bridge.Pricing{Model: "PMP", Category: "service", Type: "free_customer_service"}, false},
		{"a message in a free entry point window", whatsapptest.Pricing("referral_conversion", "free_entry_point"),
			&bridge.Pricing{Model: "PMP", Category: "referral_conversion", Type: "free_entry_point"}, false},
		{"the type decides even if billable says otherwise", map[string]any{"billable": true, "pricing_model": "PMP", "category": "utility", "type": "free_customer_service"},
			&bridge.Pricing{Billable: true, Model: "PMP", Category: "utility", Type: "free_customer_service"}, false},
		{"without billable (it is deprecated) a regular type is charged", map[string]any{"pricing_model": "PMP", "category": "authentication", "type": "regular"},
			&bridge.Pricing{Model: "PMP", Category: "authentication", Type: "regular"}, true},
		{"conversation-based pricing: billable decides", map[string]any{"billable": true, "pricing_model": "CBP", "category": "marketing"},
			&bridge.Pricing{Billable: true, Model: "CBP", Category: "marketing"}, true},
		{"conversation-based and not billable", map[string]any{"billable": false, "pricing_model": "CBP", "category": "service"},
			&bridge.Pricing{Model: "CBP", Category: "service"}, false},
		{"a category Meta adds later is kept", whatsapptest.Pricing("marketing_lite", "regular"),
			&bridge.Pricing{Billable: true, Model: "PMP", Category: "marketing_lite", Type: "regular"}, true},
		{"no pricing object", nil, nil, false},
		{"an empty pricing object is none", map[string]any{}, nil, false},
		{"a pricing object of the wrong shape is left out, the status kept", "free", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook, err := whatsapp.Parse(status(tt.pricing))
			require.NoError(t, err)
			require.Len(t, hook.Receipts, 1)
			r := hook.Receipts[0]
			require.Equal(t, "wamid.P1", r.ExternalID)
			require.Equal(t, bridge.ReceiptSent, r.Status)
			require.Equal(t, tt.want, r.Pricing)
			if tt.want != nil {
				require.Equal(t, tt.charged, r.Pricing.Charged())
			}
		})
	}
}
