package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// mergeTargetOf names a person exactly or not at all (review findings 4
// and 23): ids of any length with "#", short bare ids, phones with "+" or
// 7+ digits, exact e-mails; names and labels are refused.
func TestMergeTargetOf(t *testing.T) {
	for _, c := range []struct {
		in   string
		want mergeTarget
	}{
		{"", mergeTarget{}},
		{"12", mergeTarget{ID: 12}},
		{"#12", mergeTarget{ID: 12}},
		{"#1234567", mergeTarget{ID: 1234567}},
		{"123456", mergeTarget{ID: 123456}},
		{"1234567", mergeTarget{Query: contacts.Query{Phone: "1234567"}}},
		{"34600111222", mergeTarget{Query: contacts.Query{Phone: "34600111222"}}},
		{"+34 600 111 222", mergeTarget{Query: contacts.Query{Phone: "34600111222"}}},
		{"+34 600 111 222 confirm", mergeTarget{Query: contacts.Query{Phone: "34600111222"}, Confirm: true}},
		{"12 CONFIRM", mergeTarget{ID: 12, Confirm: true}},
		{"Ana@Example.com", mergeTarget{Query: contacts.Query{Email: "ana@example.com"}}},
		{"María", mergeTarget{Fuzzy: true}},
		{"label:vip", mergeTarget{Fuzzy: true}},
		{"#12x", mergeTarget{Fuzzy: true}},
		{"#0", mergeTarget{Fuzzy: true}},
		{"confirm", mergeTarget{Fuzzy: true}},
		{"600 111", mergeTarget{Fuzzy: true}}, // six digits with a space: neither an id nor a phone
	} {
		t.Run(c.in, func(t *testing.T) {
			require.Equal(t, c.want, mergeTargetOf(c.in))
		})
	}
}
