package instagramtest

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

// Webhook bodies as Meta sends them for Instagram messaging
// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples/):
// {"object":"instagram","entry":[{"id":IG_ID,"time":ms,"messaging":[event]}]},
// the customer as sender and the account as recipient (the other way
// round on echoes), timestamps in epoch milliseconds.

// Delivery wraps events for account into one webhook body.
func Delivery(account string, at time.Time, events ...map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"object": "instagram", "entry": []any{map[string]any{
		"id": account, "time": at.UnixMilli(), "messaging": events}}})
	if err != nil {
		panic(fmt.Sprintf("instagramtest: encode delivery: %v", err)) // only maps of plain values
	}
	return b
}

func event(from, to string, at time.Time, kind string, v any) map[string]any {
	return map[string]any{"sender": map[string]any{"id": from}, "recipient": map[string]any{"id": to},
		"timestamp": at.UnixMilli(), kind: v}
}

// Text is a customer's text message.
func Text(account, igsid, mid, text string, at time.Time) []byte {
	return Delivery(account, at, event(igsid, account, at, "message", map[string]any{"mid": mid, "text": text}))
}

// Attachment is a customer's message with one attachment of typ (image,
// video, audio, file, share, ig_reel, story_mention) at url.
func Attachment(account, igsid, mid, typ, url string, at time.Time) []byte {
	return Delivery(account, at, event(igsid, account, at, "message", map[string]any{"mid": mid,
		"attachments": []any{map[string]any{"type": typ, "payload": map[string]any{"url": url}}}}))
}

// StoryReply is a customer's text answering the account's story.
func StoryReply(account, igsid, mid, text, storyID, storyURL string, at time.Time) []byte {
	return Delivery(account, at, event(igsid, account, at, "message", map[string]any{"mid": mid, "text": text,
		"reply_to": map[string]any{"story": map[string]any{"url": storyURL, "id": storyID}}}))
}

// StoryMention is the message Instagram sends when a customer mentions the
// account in their story: an attachment of type story_mention whose
// payload url is the story's CDN link.
func StoryMention(account, igsid, mid, storyURL string, at time.Time) []byte {
	return Attachment(account, igsid, mid, "story_mention", storyURL, at)
}

// Echo is a message the account sent to igsid from outside switchboard
// (the Instagram app), as message echo: sender is the account.
func Echo(account, igsid, mid, text string, at time.Time) []byte {
	return Delivery(account, at, event(account, igsid, at, "message", map[string]any{"mid": mid, "text": text, "is_echo": true}))
}

// Read is the customer having seen the account's message mid.
func Read(account, igsid, mid string, at time.Time) []byte {
	return Delivery(account, at, event(igsid, account, at, "read", map[string]any{"mid": mid}))
}

// Reaction is the customer reacting to (emoji != "") or unreacting from
// message mid.
func Reaction(account, igsid, mid, emoji string, at time.Time) []byte {
	r := map[string]any{"mid": mid, "action": "react", "reaction": "love", "emoji": emoji}
	if emoji == "" {
		r = map[string]any{"mid": mid, "action": "unreact"}
	}
	return Delivery(account, at, event(igsid, account, at, "reaction", r))
}

// Sign is the X-Hub-Signature-256 value Meta sends for body.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Post delivers body to url signed with appSecret and returns the status.
func Post(url, appSecret string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("instagramtest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("instagramtest: post webhook: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
