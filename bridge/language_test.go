package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCustomerLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		contact Contact
		want    string
	}{
		{"told by their messages", Contact{Language: "pt", Phone: "34612345678"}, "pt"},
		{"a Spanish number", Contact{Phone: "34612345678"}, "es"},
		{"a Brazilian number", Contact{Phone: "5511987654321"}, "pt"},
		{"a US number", Contact{Phone: "16505551234"}, "en"},
		{"a German number: not a language we ship", Contact{Phone: "4915123456789"}, ""},
		{"no number", Contact{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, CustomerLanguage(tc.contact))
		})
	}
}
