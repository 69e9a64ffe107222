package messengertest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Sign returns the X-Hub-Signature-256 value Meta sends for body, written
// independently of metamsg.VerifySignature so each checks the other.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// PostWebhook posts body to url signed with appSecret and returns the
// response (closed when the test ends).
func PostWebhook(t TB, url, appSecret string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("messengertest: build webhook request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if appSecret != "" {
		req.Header.Set("X-Hub-Signature-256", Sign(appSecret, body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("messengertest: post webhook: %v", err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func post(url, appSecret string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("echo webhook answered %d", resp.StatusCode)
	}
	return nil
}

// Item is one entry.messaging[] object.
type Item map[string]any

// Envelope is a whole Page delivery with one entry for page:
// {"object":"page","entry":[{"id","time","messaging":[…]}]}.
func Envelope(page string, items ...Item) []byte {
	b, _ := json.Marshal(map[string]any{"object": "page", "entry": []any{map[string]any{
		"id": page, "time": time.Now().UnixMilli(), "messaging": items}}})
	return b
}

func ms(at time.Time) int64 { return at.UnixMilli() }

// TextItem is a customer's text message.
func TextItem(page, psid, mid, text string, at time.Time) Item {
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "timestamp": ms(at),
		"message": map[string]any{"mid": mid, "text": text}}
}

// AttachmentItem is a customer's message with one attachment at url.
func AttachmentItem(page, psid, mid, typ, url string, at time.Time) Item {
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "timestamp": ms(at),
		"message": map[string]any{"mid": mid, "attachments": []any{map[string]any{"type": typ, "payload": map[string]any{"url": url}}}}}
}

// EchoItem is message_echoes: a message the Page sent to psid, from app
// appID ("" for the Page inbox, which sends none) with metadata.
func EchoItem(page, psid, mid, text, appID, metadata string, at time.Time) Item {
	m := map[string]any{"is_echo": true, "mid": mid, "text": text}
	if appID != "" {
		m["app_id"] = json.Number(appID)
	}
	if metadata != "" {
		m["metadata"] = metadata
	}
	return Item{"sender": map[string]any{"id": page}, "recipient": map[string]any{"id": psid}, "timestamp": ms(at), "message": m}
}

// DeliveryItem is message_deliveries up to watermark.
func DeliveryItem(page, psid string, mids []string, watermark time.Time) Item {
	d := map[string]any{"watermark": ms(watermark)}
	if len(mids) > 0 {
		d["mids"] = mids
	}
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "delivery": d}
}

// ReadItem is message_reads up to watermark.
func ReadItem(page, psid string, watermark time.Time) Item {
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "timestamp": ms(watermark),
		"read": map[string]any{"watermark": ms(watermark)}}
}

// ReactionItem is message_reactions ("react" or "unreact").
func ReactionItem(page, psid, mid, action, emoji string, at time.Time) Item {
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "timestamp": ms(at),
		"reaction": map[string]any{"mid": mid, "action": action, "emoji": emoji, "reaction": "love"}}
}

// PostbackItem is messaging_postbacks.
func PostbackItem(page, psid, mid, title, payload string, at time.Time) Item {
	return Item{"sender": map[string]any{"id": psid}, "recipient": map[string]any{"id": page}, "timestamp": ms(at),
		"postback": map[string]any{"mid": mid, "title": title, "payload": payload}}
}
