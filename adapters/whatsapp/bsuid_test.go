package whatsapp_test

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/media/mediatest"
	"github.com/switchboard/switchboard/bridge/templates"
)

// Payload shapes of WhatsApp usernames and business-scoped user ids
// (BSUID), as Meta documents them:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
// (incoming messages: contacts[].user_id, parent_user_id, profile.username,
// wa_id and messages[].from left out for a username-only customer,
// messages[].from_user_id; statuses: recipient_user_id,
// recipient_parent_user_id) and
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system/
// with the changelog of Aug 11, 2026 (user_changed_user_id;
// system.user_id, previous_user_id on both identity system messages).

const bsuidEnvelope = `{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},%s}}]}]}`

func bsuidHook(t *testing.T, value string) bridge.CustomerWebhook {
	t.Helper()
	hook, err := whatsapp.Parse([]byte(fmt.Sprintf(bsuidEnvelope, value)))
	require.NoError(t, err)
	return hook
}

func TestParseBSUIDMessages(t *testing.T) {
	t.Parallel()
	at := time.Unix(1749416383, 0).UTC()
	base := bridge.InboundMessage{Inbox: "106540352242922", ExternalID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz",
		SentAt: at, Kind: bridge.KindText, Text: "Does it come in another color?"}
	tests := []struct {
		name  string
		value string
		want  bridge.InboundMessage
	}{
		{"a customer who shows only a username is addressed by the BSUID",
			`"contacts":[{"profile":{"name":"Sheena Nelson","username":"@realsheena"},"user_id":"US.13491208655302741918"}],
			 "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.ProfileName = "US.13491208655302741918", "Sheena Nelson"
				m.FromUserID, m.FromUsername = "US.13491208655302741918", "@realsheena"
			})},
		{"empty wa_id and from (Meta's placeholders) count as missing",
			`"contacts":[{"profile":{"name":"Sheena Nelson","username":"@realsheena"},"wa_id":"","user_id":"US.13491208655302741918","parent_user_id":"US.ENT.11815799212886844830"}],
			 "messages":[{"from":"","from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.ProfileName = "US.13491208655302741918", "Sheena Nelson"
				m.FromUserID, m.FromParentUserID, m.FromUsername = "US.13491208655302741918", "US.ENT.11815799212886844830", "@realsheena"
			})},
		{"with the phone number shared, replies go to the number and the BSUID is kept",
			`"contacts":[{"profile":{"name":"Sheena Nelson","username":"@realsheena"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],
			 "messages":[{"from":"16505551234","from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.ProfileName = "16505551234", "Sheena Nelson"
				m.FromUserID, m.FromUsername = "US.13491208655302741918", "@realsheena"
			})},
		{"an older documentation's BSUID format is kept as it is",
			`"contacts":[{"profile":{"name":"Sheena Nelson"},"user_id":"user.93737485"}],
			 "messages":[{"from_user_id":"user.93737485","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.ProfileName, m.FromUserID = "user.93737485", "Sheena Nelson", "user.93737485"
			})},
		{"user_changed_number carries the new number and the new BSUID",
			`"messages":[{"from":"16505551234","from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"system",
			  "system":{"body":"User Sheena changed from 16505551234 to 16505559999","wa_id":"16505559999","type":"user_changed_number",
			  "user_id":"US.99991208655302741918","previous_user_id":"US.13491208655302741918"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.FromUserID, m.Kind = "16505551234", "US.13491208655302741918", bridge.KindSystem
				m.Text = "User Sheena changed from 16505551234 to 16505559999"
				m.IdentityChange = &bridge.IdentityChange{Kind: bridge.IdentityNumberChanged, NewPhone: "16505559999",
					NewUserID: "US.99991208655302741918", PreviousUserID: "US.13491208655302741918"}
			})},
		{"user_changed_user_id carries only the BSUIDs",
			`"messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"system",
			  "system":{"body":"User's ID changed","type":"user_changed_user_id","user_id":"US.99991208655302741918","parent_user_id":"US.ENT.999",
			  "previous_user_id":"US.13491208655302741918","previous_parent_user_id":"US.ENT.111"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.FromUserID, m.Kind, m.Text = "US.13491208655302741918", "US.13491208655302741918", bridge.KindSystem, "User's ID changed"
				m.IdentityChange = &bridge.IdentityChange{Kind: bridge.IdentityUserIDChanged, NewUserID: "US.99991208655302741918",
					NewParentUserID: "US.ENT.999", PreviousUserID: "US.13491208655302741918", PreviousParentUserID: "US.ENT.111"}
			})},
		{"an older API's new_wa_id names the new number",
			`"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQz","timestamp":"1749416383","type":"system",
			  "system":{"body":"User A changed from 16505551234 to 16505559999","new_wa_id":"16505559999","type":"user_changed_number"}}]`,
			with(base, func(m *bridge.InboundMessage) {
				m.From, m.Kind, m.Text = "16505551234", bridge.KindSystem, "User A changed from 16505551234 to 16505559999"
				m.IdentityChange = &bridge.IdentityChange{Kind: bridge.IdentityNumberChanged, NewPhone: "16505559999"}
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook := bsuidHook(t, tt.value)
			require.Equal(t, []bridge.InboundMessage{tt.want}, withoutRaw(t, hook.Messages))
		})
	}
}

func TestParseBSUIDStatuses(t *testing.T) {
	t.Parallel()
	at := time.Unix(1750857384, 0).UTC()
	tests := []struct {
		name  string
		value string
		want  bridge.DeliveryReceipt
	}{
		{"a status of a message sent to a BSUID names the recipient by recipient_user_id",
			`"contacts":[{"profile":{"username":"@realsheena"},"user_id":"US.13491208655302741918"}],
			 "statuses":[{"id":"wamid.HBgNNTUx","status":"delivered","timestamp":"1750857384","recipient_user_id":"US.13491208655302741918"}]`,
			bridge.DeliveryReceipt{Inbox: "106540352242922", ExternalID: "wamid.HBgNNTUx", Status: bridge.ReceiptDelivered, At: at,
				Recipient: "US.13491208655302741918", RecipientUserID: "US.13491208655302741918"}},
		{"a phone number and a BSUID: the number is the recipient",
			`"statuses":[{"id":"wamid.HBgNNTUx","status":"read","timestamp":"1750857384","recipient_id":"16505551234",
			  "recipient_user_id":"US.13491208655302741918","recipient_parent_user_id":"US.ENT.11815799212886844830"}]`,
			bridge.DeliveryReceipt{Inbox: "106540352242922", ExternalID: "wamid.HBgNNTUx", Status: bridge.ReceiptRead, At: at,
				Recipient: "16505551234", RecipientUserID: "US.13491208655302741918"}},
		{"a BSUID-only send Meta refuses for this message type fails as unsupported",
			`"statuses":[{"id":"wamid.HBgNNTUx","status":"failed","timestamp":"1750857384","recipient_user_id":"US.13491208655302741918",
			  "errors":[{"code":131062,"title":"Business-scoped User ID recipients are not supported for this message"}]}]`,
			bridge.DeliveryReceipt{Inbox: "106540352242922", ExternalID: "wamid.HBgNNTUx", Status: bridge.ReceiptFailed, At: at,
				Recipient: "US.13491208655302741918", RecipientUserID: "US.13491208655302741918", Reason: bridge.ReasonUnsupported,
				Errors: []bridge.PlatformError{{Code: 131062, Title: "Business-scoped User ID recipients are not supported for this message"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook := bsuidHook(t, tt.value)
			require.Equal(t, []bridge.DeliveryReceipt{tt.want}, hook.Receipts)
		})
	}
}

func TestParseSharedBSUIDFixture(t *testing.T) {
	t.Parallel()
	hook, err := whatsapp.Parse(fixtures.Read(t, "whatsapp", "text_with_bsuid.json"))
	require.NoError(t, err)
	require.Len(t, hook.Messages, 1)
	m := hook.Messages[0]
	require.Equal(t, bridge.CustomerAddress("972987654321"), m.From, "the number, when shared, is where replies go")
	require.Equal(t, "US.13491208655302741918", m.FromUserID)
	require.Equal(t, "US.ENT.11815799212886844830", m.FromParentUserID)
}

// BSUID sends: the documented "recipient" field, never "to".
const bsuid bridge.CustomerAddress = "US.13491208655302741918"

func TestClientSendsToABSUIDInRecipient(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	ctx := context.Background()
	_, err := c.SendText(ctx, inbox, bsuid, "hello")
	require.NoError(t, err)
	_, err = c.SendText(ctx, inbox, customer, "hello")
	require.NoError(t, err)
	sends := srv.WaitForSends(t, 2, 5*time.Second)
	require.Equal(t, string(bsuid), sends[0].Recipient)
	require.Empty(t, sends[0].To)
	require.NotContains(t, string(sends[0].Raw), `"to"`)
	require.Contains(t, string(sends[0].Raw), `"recipient":"US.13491208655302741918"`)
	require.Equal(t, string(customer), sends[1].To, "a phone number still goes in to")
	require.Empty(t, sends[1].Recipient)
	require.NoError(t, c.MarkRead(ctx, inbox, "wamid.in", false), "mark-read names the message, not the customer")
}

func TestFakeRefusesABSUIDInTo(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	body := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"US.13491208655302741918","type":"text","text":{"body":"hi"}}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v23.0/106540352242922/messages", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, string(answer))
	require.Contains(t, string(answer), `"code":100`)
	require.Empty(t, srv.Sends())
}

func TestAuthenticationTemplateToABSUIDIsRefused(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	srv.SetPhoneAccount(string(inbox), "waba-1")
	srv.SetTemplates("waba-1",
		templates.Template{Name: "otp", Language: "en", Category: "AUTHENTICATION", Status: templates.StatusApproved},
		templates.Template{Name: "order_update", Language: "en", Category: "UTILITY", Status: templates.StatusApproved})
	_, err := c.SendTemplate(context.Background(), inbox, bsuid, templates.Message{Name: "otp", Language: templates.Language{Code: "en"}})
	var de *bridge.DeliveryError
	require.ErrorAs(t, err, &de)
	require.Equal(t, bridge.ReasonUnsupported, de.Reason)
	require.True(t, de.Permanent)
	_, err = c.SendTemplate(context.Background(), inbox, bsuid, templates.Message{Name: "order_update", Language: templates.Language{Code: "en"}})
	require.NoError(t, err, "other templates reach a BSUID")
	sends := srv.Sends()
	require.Len(t, sends, 1)
	require.Equal(t, string(bsuid), sends[0].Recipient)
}

func TestClientSendsMediaAndReactionsToABSUID(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	ctx := context.Background()
	png := mediatest.PNG(3, 3, color.NRGBA{R: 0x12, A: 0xff})
	_, err := c.SendMedia(ctx, inbox, bsuid, bridge.File{Name: "a.png", MimeType: "image/png", Data: png}, "look")
	require.NoError(t, err)
	_, err = c.SendReaction(ctx, inbox, bsuid, "wamid.in", "👍")
	require.NoError(t, err)
	sends := srv.WaitForSends(t, 2, 5*time.Second)
	for _, s := range sends {
		require.Equal(t, string(bsuid), s.Recipient, s.Type)
		require.Empty(t, s.To, s.Type)
	}
	require.Equal(t, "image", sends[0].Type)
	require.Equal(t, "reaction", sends[1].Type)
}
