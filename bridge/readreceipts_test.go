package bridge

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Which acts of an agent mark the customer's messages read, per team
// policy, and which of those reads show typing (only those a reply follows).
func TestReadReceiptPolicy(t *testing.T) {
	cases := []struct {
		policy       ReadReceipts
		action       readAction
		mark, typing bool
	}{
		{ReadOnReply, readOnReply, true, true},
		{ReadOnReply, readOnClaim, false, false},
		{"", readOnReply, true, true}, // the default is on_reply
		{"", readOnClaim, false, false},
		{ReadOnClaim, readOnReply, true, true}, // a reply without a claim first still marks read
		{ReadOnClaim, readOnClaim, true, false},
		{ReadNever, readOnReply, false, false}, // no typing either: WhatsApp shows it only with a read
		{ReadNever, readOnClaim, false, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d", c.policy, c.action), func(t *testing.T) {
			mark, typing := marksRead(c.policy, c.action)
			require.Equal(t, c.mark, mark, "mark read")
			require.Equal(t, c.typing, typing, "typing")
		})
	}
}
