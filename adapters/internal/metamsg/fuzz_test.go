package metamsg

import "testing"

// FuzzParse checks that no body makes Parse panic, and that what it
// accepts has a dedupe key on every message.
func FuzzParse(f *testing.F) {
	f.Add(envelope(`{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,"message":{"mid":"m","text":"hi"}}`))
	f.Add(envelope(`{"sender":{"id":"1"},"recipient":{"id":"2"},"read":{"watermark":5}}`))
	f.Add(envelope(`{"sender":{"id":"1"},"recipient":{"id":"2"},"timestamp":1,"message":{"mid":"m","attachments":[{"type":"file","payload":null}]}}`))
	f.Add([]byte(`{"object":"page","entry":[{"messaging":[null]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		hook, _, err := Parse(body, ParseOptions{Object: "page"})
		if err != nil {
			return
		}
		for _, m := range hook.Messages {
			if m.ExternalID == "" {
				t.Fatalf("message without a dedupe key: %+v", m)
			}
		}
	})
}
