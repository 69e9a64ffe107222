package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAnUndecodableMessageIsShownAsUnreadableAndANewTypeAsUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		raw  string
		want string
	}{
		{"a text whose body did not decode", `{"type":"text","text":5}`, "could not read"},
		{"a type that is not a string", `{"type":{"x":1}}`, "could not read"},
		{"no raw JSON at all", ``, "could not read"},
		{"a type switchboard does not know yet", `{"type":"hologram","hologram":{}}`, "cannot show yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := inboundText("en", InboundMessage{Kind: KindUnknown, Raw: json.RawMessage(tc.raw)})
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got %q, want it to say %q", got, tc.want)
			}
		})
	}
}
