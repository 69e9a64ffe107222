package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseStartArgs(t *testing.T) {
	t.Parallel()
	b, err := New(nil, nil, nil, Options{Teams: []Team{{Name: "support"}, {Name: "sales"}}})
	require.NoError(t, err)
	for _, tc := range []struct {
		args                  string
		phone, team, template string
		params                []string
	}{
		{"+34 612 34 56 78 welcome Ana | 12", "+34 612 34 56 78", "", "welcome", []string{"Ana", "12"}},
		{"612 34 56 78 sales welcome", "612 34 56 78", "sales", "welcome", nil},
		{"(11) 98765-4321 #Sales promo2024 a \\| b | c", "(11) 98765-4321", "#Sales", "promo2024", []string{"a | b", "c"}},
		{"612345678", "612345678", "", "", nil},
		{"612345678 support", "612345678", "support", "", nil},
		{"612345678 #billing welcome", "612345678", "#billing", "welcome", nil},
		{"welcome Ana", "", "", "welcome", []string{"Ana"}},
		{"0034612345678 order_update@es_MX 4411", "0034612345678", "", "order_update@es_MX", []string{"4411"}},
	} {
		phone, team, template, params := b.parseStartArgs(tc.args)
		require.Equal(t, tc.phone, phone, tc.args)
		require.Equal(t, tc.team, team, tc.args)
		require.Equal(t, tc.template, template, tc.args)
		require.Equal(t, tc.params, params, tc.args)
	}
}
