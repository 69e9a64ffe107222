package instagram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// Instagram messaging webhooks (object "instagram"). Both ways of
// connecting deliver the Messenger Platform's event objects, which
// adapters/internal/metamsg parses:
//
//	{"object":"instagram","entry":[{"id":"<IG_ID>","time":…,"messaging":[
//	  {"sender":{"id":"<IGSID>"},"recipient":{"id":"<IG_ID>"},"timestamp":<ms>,
//	   "message":{"mid","text","attachments":[{"type","payload":{"url"}}],
//	              "reply_to":{"mid"}|{"story":{"url","id"}},"quick_reply":{"payload"},
//	              "is_echo","is_deleted","is_unsupported"}
//	   | "reaction":{"mid","action":"react"|"unreact","reaction","emoji"}
//	   | "read":{"mid"} | "postback":{"mid","title","payload"} | "referral":{…}}]}]}
//
// (https://developers.facebook.com/docs/instagram-platform/webhooks/examples/,
// https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook/).
//
// What is Instagram's own: the app dashboard's "Test" button (and, for
// some apps, live deliveries) sends the same event as
// entry[].changes[]{field:"messages",value:{…}} with the timestamp in
// seconds as a string; normalize rewrites those into messaging[] items
// before metamsg reads them.

// Object is the webhook object of Instagram messaging.
const Object = "instagram"

// changeFields are the changes[] fields that carry a messaging event.
var changeFields = map[string]bool{
	"messages": true, "message_reactions": true, "messaging_seen": true,
	"messaging_postbacks": true, "messaging_referral": true, "message_edit": true,
}

// ParseDelivery turns one signed delivery into what the bridge stores.
// appID, when set, is our Meta app's id: echoes carrying it are ours and
// dropped. Events it cannot read are left out and reported in dropped; a
// body that is not an Instagram delivery is an error (400).
func ParseDelivery(body []byte, appID string) (hook bridge.CustomerWebhook, dropped []error, err error) {
	body, err = normalize(body)
	if err != nil {
		return hook, nil, err
	}
	return metamsg.Parse(body, metamsg.ParseOptions{Channel: bridge.ChannelInstagram, Object: Object, AppID: appID})
}

// normalize moves entry[].changes[] messaging events into
// entry[].messaging[], with the timestamp as epoch milliseconds. A body
// without changes is returned unchanged, byte for byte.
func normalize(body []byte) ([]byte, error) {
	if !bytes.Contains(body, []byte(`"changes"`)) {
		return body, nil
	}
	var env struct {
		Object string                       `json:"object"`
		Entry  []map[string]json.RawMessage `json:"entry"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("%w: %v", metamsg.ErrMalformed, err)
	}
	for _, e := range env.Entry {
		raw, ok := e["changes"]
		if !ok {
			continue
		}
		var changes []struct {
			Field string                     `json:"field"`
			Value map[string]json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(raw, &changes); err != nil {
			return nil, fmt.Errorf("%w: entry changes: %v", metamsg.ErrMalformed, err)
		}
		var messaging []json.RawMessage
		if m, ok := e["messaging"]; ok {
			if err := json.Unmarshal(m, &messaging); err != nil {
				return nil, fmt.Errorf("%w: entry messaging: %v", metamsg.ErrMalformed, err)
			}
		}
		for _, ch := range changes {
			if !changeFields[ch.Field] || ch.Value == nil {
				continue
			}
			if ts, ok := ch.Value["timestamp"]; ok {
				ch.Value["timestamp"] = millis(ts)
			}
			item, err := json.Marshal(ch.Value)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", metamsg.ErrMalformed, err)
			}
			messaging = append(messaging, item)
		}
		m, err := json.Marshal(messaging)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", metamsg.ErrMalformed, err)
		}
		e["messaging"] = m
		delete(e, "changes")
	}
	return json.Marshal(env)
}

// millis reads a timestamp given as a number or a string, in seconds or
// milliseconds, and writes it as epoch milliseconds (0 when unreadable:
// the event keeps no time rather than a wrong one).
func millis(raw json.RawMessage) json.RawMessage {
	s := string(bytes.Trim(raw, `"`))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return json.RawMessage("0")
	}
	if n < 1e12 { // seconds: a millisecond epoch has had 13 digits since 2001
		n *= 1000
	}
	return json.RawMessage(strconv.FormatInt(n, 10))
}
