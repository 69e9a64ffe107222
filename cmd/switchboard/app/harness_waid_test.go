package app_test

import (
	"net/http"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// Helpers of the WhatsApp usernames and BSUID tests (waid_e2e_test.go).

// usernameWrites posts a text from a customer who shows only a username:
// no phone number anywhere, the BSUID in from_user_id and contacts[].
func (e *env) usernameWrites(userID, username, name, wamid string, at time.Time, text string) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.UsernameMessage(phoneID, userID, username, name, wamid, at, text))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// userIDStatus posts a status of a message sent to a BSUID, naming the
// recipient by recipient_user_id only.
func (e *env) userIDStatus(wamid, status, userID string) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{UserID: userID}},
		Statuses: []map[string]any{whatsapptest.UserIDStatus(wamid, status, userID, time.Now())}}))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// numberChanges posts a user_changed_number system message.
func (e *env) numberChanges(oldPhone, newPhone, oldUserID, newUserID, wamid string, at time.Time) {
	e.t.Helper()
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret,
		whatsapptest.NumberChange(phoneID, oldPhone, newPhone, oldUserID, newUserID, wamid, at))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}

// phoneAndBSUIDWrites posts a text from a customer whose number and BSUID
// are both shared.
func (e *env) phoneAndBSUIDWrites(phone, userID, name, wamid string, at time.Time, text string) {
	e.t.Helper()
	msg := whatsapptest.Message(phone, wamid, at, "text", map[string]any{"body": text})
	msg["from_user_id"] = userID
	resp := whatsapptest.PostWebhook(e.t, e.baseURL+"/webhooks/whatsapp", appSecret, whatsapptest.Envelope(whatsapptest.Value{
		PhoneNumberID: phoneID, Contacts: []whatsapptest.Contact{{WaID: phone, UserID: userID, Name: name}},
		Messages: []map[string]any{msg}}))
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
}
