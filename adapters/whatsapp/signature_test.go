package whatsapp_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"text":"héllo 👋 \u00e9"}]}`)
	good := whatsapptest.Sign("s3cret", body)
	tests := []struct {
		name   string
		secret string
		body   []byte
		header string
		want   error
	}{
		{"a correct signature passes", "s3cret", body, good, nil},
		{"the prefix is case-insensitive", "s3cret", body, "SHA256=" + strings.TrimPrefix(good, "sha256="), nil},
		{"a missing header is refused", "s3cret", body, "", whatsapp.ErrSignatureMissing},
		{"a header without sha256= is malformed", "s3cret", body, strings.TrimPrefix(good, "sha256="), whatsapp.ErrSignatureMalformed},
		{"sha1 is malformed", "s3cret", body, "sha1=abcdef", whatsapp.ErrSignatureMalformed},
		{"non-hex is malformed", "s3cret", body, "sha256=" + strings.Repeat("z", 64), whatsapp.ErrSignatureMalformed},
		{"a short digest is malformed", "s3cret", body, good[:20], whatsapp.ErrSignatureMalformed},
		{"another secret does not match", "other", body, good, whatsapp.ErrSignatureMismatch},
		{"an altered body does not match", "s3cret", append([]byte(" "), body...), good, whatsapp.ErrSignatureMismatch},
		{"an empty secret never passes", "", body, whatsapptest.Sign("", body), whatsapp.ErrNoAppSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := whatsapp.VerifySignature(tt.secret, tt.body, tt.header)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestVerifySignatureOverFixtureBytes(t *testing.T) {
	t.Parallel()
	body := fixtures.Read(t, "whatsapp", "reaction.json") // contains an emoji
	require.NoError(t, whatsapp.VerifySignature("app-secret", body, whatsapptest.Sign("app-secret", body)))
}
