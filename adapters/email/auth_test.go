package email_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/email"
)

// Who the customer is and whether anyone vouches for them (review 12,
// finding 12). Header shapes from RFC 8601 section 6 and Gmail's
// ("mx.google.com; dkim=pass header.i=@example.org header.s=… header.b=…;
// spf=pass …; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.org").
func TestParseSenderAndAuthentication(t *testing.T) {
	t.Parallel()
	mail := func(headers ...string) []byte {
		base := []string{"To: " + self, "Subject: Hi", "Message-ID: <m1@x>", "Content-Type: text/plain"}
		return crlf(append(append(headers, base...), "", "hello")...)
	}
	cases := []struct {
		name               string
		raw                []byte
		from, profile      string
		unverified, failed bool
	}{
		{"no Authentication-Results: the server does not check, the From address is used",
			mail("From: Ana <ana@example.org>"), "ana@example.org", "Ana", false, false},
		{"dmarc=pass",
			mail("Authentication-Results: mx.shop.example; spf=fail smtp.mailfrom=example.org; dmarc=pass (p=REJECT) header.from=example.org",
				"From: Ana <ana@example.org>"), "ana@example.org", "Ana", false, false},
		{"dkim=pass for the From domain",
			mail("Authentication-Results: mx.google.com; dkim=pass header.i=@example.org header.s=s1 header.b=abc; spf=neutral",
				"From: ana@example.org"), "ana@example.org", "", false, false},
		{"dkim=pass for a parent of the From domain",
			mail("Authentication-Results: mx.shop.example; dkim=pass header.d=example.org",
				"From: ana@mail.example.org"), "ana@mail.example.org", "", false, false},
		{"dkim=pass for another domain only is a failure",
			mail("Authentication-Results: mx.shop.example; dkim=pass header.d=mailer.example.net; dmarc=fail header.from=example.org",
				"From: ana@example.org"), "ana@example.org", "", true, true},
		{"a forged pass below the receiving server's failure does not count",
			mail("Authentication-Results: mx.shop.example; dkim=none; dmarc=fail (p=NONE) header.from=example.org",
				"Authentication-Results: mx.shop.example; dmarc=pass header.from=example.org",
				"From: ana@example.org"), "ana@example.org", "", true, true},
		{"a pass inside a comment does not count",
			mail("Authentication-Results: mx.shop.example; spf=softfail (dmarc=pass) smtp.mailfrom=example.org",
				"From: ana@example.org"), "ana@example.org", "", true, true},
		{"a web form: the visitor in Reply-To is the customer, unverified",
			mail("Authentication-Results: mx.shop.example; dmarc=pass header.from=forms.example.com",
				"From: Website <noreply@forms.example.com>", "Reply-To: Bea Lima <Bea@Example.net>"),
			"bea@example.net", "Bea Lima", true, false},
		{"Reply-To in the From domain stays verified",
			mail("Authentication-Results: mx.shop.example; dmarc=pass header.from=example.org",
				"From: ana@example.org", "Reply-To: ana.souza@example.org"), "ana.souza@example.org", "", false, false},
		{"Reply-To naming our own inbox is ignored",
			mail("From: ana@example.org", "Reply-To: "+self), "ana@example.org", "", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := email.Parse(self, self, tc.raw, email.MediaRef{})
			require.NoError(t, err)
			require.NotNil(t, p.Message, p.Skip)
			m := p.Message
			require.Equal(t, tc.from, string(m.From))
			require.Equal(t, tc.from, m.FromEmail)
			require.Equal(t, tc.profile, m.ProfileName)
			require.Equal(t, tc.unverified, m.EmailUnverified, "unverified")
			require.Equal(t, tc.failed, m.EmailAuthFailed, "auth failed")
		})
	}
}
