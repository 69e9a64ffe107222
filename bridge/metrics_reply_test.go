package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSupportedLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		locale, want string
		ok           bool
	}{
		{"es-ES", "es", true},
		{"es-419", "es", true},
		{"pt-BR", "pt", true},
		{"en-US", "en", true},
		{"en-GB", "en", true},
		{"es", "es", true},
		{"fr", "", false},
		{"ja", "", false},
		{"zh-CN", "", false},
		{"", "", false},
		{"  ", "", false},
		{"not a locale!", "", false},
	} {
		got, ok := SupportedLanguage(tc.locale)
		require.Equal(t, tc.ok, ok, tc.locale)
		require.Equal(t, tc.want, got, tc.locale)
	}
}
