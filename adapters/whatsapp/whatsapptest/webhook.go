package whatsapptest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// DefaultRecipient is the customer wa_id StatusUpdate reports deliveries to.
const DefaultRecipient = "16505551234"

// wabaID is the WhatsApp Business Account id put in every entry.
const wabaID = "102290129340398"

// Sign returns the X-Hub-Signature-256 value Meta would send for body. It is
// written independently of whatsapp.VerifySignature so each checks the other.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// PostWebhook posts body to url signed with appSecret, as Meta does, and
// returns the response; its body is closed when the test ends.
func PostWebhook(t TB, url, appSecret string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("whatsapptest: build webhook request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "facebookexternalua")
	req.Header.Set("X-Hub-Signature-256", Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("whatsapptest: post webhook: %v", err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// Contact is one entry of a change value's contacts[]: the sender's profile.
// UserID, ParentUserID and Username are the 2026 identity fields (BSUID,
// parent BSUID, username); WaID is left out when empty, as Meta does for
// a customer who shows only a username.
type Contact struct {
	WaID         string
	Name         string
	UserID       string
	ParentUserID string
	Username     string
}

// Value is the value of one "messages" change. Messages and Statuses are
// JSON objects as Meta sends them; build them with Message and Status or
// by hand for shapes the builders do not cover.
type Value struct {
	PhoneNumberID      string
	DisplayPhoneNumber string // defaults to "15550783881"
	Contacts           []Contact
	Messages           []map[string]any
	Statuses           []map[string]any
}

// Envelope builds a whole delivery: one entry with one "messages" change
// per value, in the key layout Meta uses.
func Envelope(values ...Value) []byte {
	changes := make([]map[string]any, 0, len(values))
	for _, v := range values {
		display := v.DisplayPhoneNumber
		if display == "" {
			display = "15550783881"
		}
		val := map[string]any{
			"messaging_product": "whatsapp",
			"metadata":          map[string]any{"display_phone_number": display, "phone_number_id": v.PhoneNumberID},
		}
		if len(v.Contacts) > 0 {
			cs := make([]map[string]any, 0, len(v.Contacts))
			for _, c := range v.Contacts {
				cs = append(cs, contactObject(c))
			}
			val["contacts"] = cs
		}
		if len(v.Messages) > 0 {
			val["messages"] = v.Messages
		}
		if len(v.Statuses) > 0 {
			val["statuses"] = v.Statuses
		}
		changes = append(changes, map[string]any{"value": val, "field": "messages"})
	}
	b, err := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry":  []map[string]any{{"id": wabaID, "changes": changes}},
	})
	if err != nil {
		panic(err) // only maps of plain values: cannot fail
	}
	return b
}

// Message builds one messages[] object of any type: content becomes the
// object under the type's key (nil leaves it out, as for unsupported).
func Message(from, wamid string, ts time.Time, typ string, content any) map[string]any {
	m := map[string]any{
		"from":      from,
		"id":        wamid,
		"timestamp": strconv.FormatInt(ts.Unix(), 10),
		"type":      typ,
	}
	if content != nil {
		m[typ] = content
	}
	return m
}

// Status builds one statuses[] object; a non-zero errCode makes it carry an
// errors[] entry with Meta's shape.
func Status(wamid, status, recipient string, ts time.Time, errCode int) map[string]any {
	st := map[string]any{
		"id":           wamid,
		"status":       status,
		"timestamp":    strconv.FormatInt(ts.Unix(), 10),
		"recipient_id": recipient,
	}
	if errCode != 0 {
		title := "Error " + strconv.Itoa(errCode)
		st["errors"] = []map[string]any{{
			"code":       errCode,
			"title":      title,
			"message":    title,
			"error_data": map[string]any{"details": title},
			"href":       "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
		}}
	}
	return st
}

// TextMessage builds a delivery with one text message from a customer.
func TextMessage(phoneNumberID, from, name, wamid string, ts time.Time, body string) []byte {
	return Envelope(Value{
		PhoneNumberID: phoneNumberID,
		Contacts:      []Contact{{WaID: from, Name: name}},
		Messages:      []map[string]any{Message(from, wamid, ts, "text", map[string]any{"body": body})},
	})
}

// StatusUpdate builds a delivery with one status for a message we sent to
// DefaultRecipient; errCode, when not zero, is attached as Meta does for
// failed statuses.
func StatusUpdate(phoneNumberID, wamid, status string, ts time.Time, errCode int) []byte {
	return Envelope(Value{
		PhoneNumberID: phoneNumberID,
		Statuses:      []map[string]any{Status(wamid, status, DefaultRecipient, ts, errCode)},
	})
}

// ButtonReply builds a delivery with one interactive button_reply: the
// customer pressed the reply button with this id and title on the message
// contextID (the wamid we sent the buttons with; may be empty).
func ButtonReply(phoneNumberID, from, name, wamid, contextID string, ts time.Time, id, title string) []byte {
	msg := Message(from, wamid, ts, "interactive", map[string]any{
		"type":         "button_reply",
		"button_reply": map[string]any{"id": id, "title": title},
	})
	if contextID != "" {
		msg["context"] = map[string]any{"from": "15550783881", "id": contextID}
	}
	return Envelope(Value{PhoneNumberID: phoneNumberID, Contacts: []Contact{{WaID: from, Name: name}}, Messages: []map[string]any{msg}})
}

// contactObject is one contacts[] entry as Meta writes it.
func contactObject(c Contact) map[string]any {
	profile := map[string]any{}
	if c.Name != "" || c.UserID == "" {
		profile["name"] = c.Name
	}
	if c.Username != "" {
		profile["username"] = c.Username
	}
	o := map[string]any{"profile": profile}
	if c.WaID != "" || c.UserID == "" {
		o["wa_id"] = c.WaID
	}
	if c.UserID != "" {
		o["user_id"] = c.UserID
	}
	if c.ParentUserID != "" {
		o["parent_user_id"] = c.ParentUserID
	}
	return o
}

// UserIDStatus is Status for a message sent to a business-scoped user id
// of a customer whose phone number is not shared: recipient_user_id
// instead of recipient_id.
func UserIDStatus(wamid, status, userID string, ts time.Time) map[string]any {
	st := Status(wamid, status, "", ts, 0)
	delete(st, "recipient_id")
	st["recipient_user_id"] = userID
	return st
}

// UsernameMessage builds a delivery with one text message from a customer
// who shows only a username: no wa_id in contacts[], no "from" in the
// message, from_user_id instead. Source: the username-only examples of
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
func UsernameMessage(phoneNumberID, userID, username, name, wamid string, ts time.Time, body string) []byte {
	msg := Message("", wamid, ts, "text", map[string]any{"body": body})
	delete(msg, "from")
	msg["from_user_id"] = userID
	return Envelope(Value{
		PhoneNumberID: phoneNumberID,
		Contacts:      []Contact{{Name: name, UserID: userID, Username: username}},
		Messages:      []map[string]any{msg},
	})
}

// NumberChange builds a user_changed_number system message: the customer
// moved from oldPhone to newPhone; WhatsApp gives them a new BSUID
// (newUserID, the old one as previous_user_id), when not empty.
func NumberChange(phoneNumberID, oldPhone, newPhone, oldUserID, newUserID, wamid string, ts time.Time) []byte {
	system := map[string]any{"body": "User A changed from " + oldPhone + " to " + newPhone,
		"wa_id": newPhone, "type": "user_changed_number"}
	if newUserID != "" {
		system["user_id"] = newUserID
	}
	if oldUserID != "" {
		system["previous_user_id"] = oldUserID
	}
	return Envelope(Value{PhoneNumberID: phoneNumberID, Messages: []map[string]any{Message(oldPhone, wamid, ts, "system", system)}})
}
