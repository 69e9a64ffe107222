package configs

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmailSection(t *testing.T) {
	t.Parallel()
	base := "teams:\n  - name: support\n    slack_channel: C0123456789\n"
	cases := []struct {
		name string
		yaml string
		errs []string // each must appear in the load error; none means valid
	}{
		{"a full inbox with defaults is valid", `email:
  inboxes:
    - address: Support@Example.com
      name: Support
      team: support
      imap: {host: imap.example.com, username: support@example.com, password: pw}
      smtp: {host: smtp.example.com, tls: starttls}
`, nil},
		{"a local inbox without TLS needs no login", `email:
  inboxes:
    - address: support@example.com
      imap: {host: 127.0.0.1, port: 1143, tls: none}
      smtp: {host: 127.0.0.1, port: 1025, tls: none}
`, nil},
		{"every mistake names its field and the fix", `email:
  inboxes:
    - address: "Support <support@example.com>"
      team: sales
      imap: {host: "imap.example.com:993", port: 70000, tls: ssl}
      smtp: {host: "", tls: tls}
    - address: not-an-address
`, []string{
			`email.inboxes[0].address: "Support <support@example.com>" is not an e-mail address`,
			`email.inboxes[0].team: "sales" is not one of the teams`,
			`email.inboxes[0].imap.host: "imap.example.com:993" must be a host name only`,
			`email.inboxes[0].imap.port: 70000 is not a port`,
			`email.inboxes[0].imap.tls: "ssl" is not a TLS mode`,
			`email.inboxes[0].smtp.host: is required`,
			`email.inboxes[0].smtp.password: is required with tls: tls`,
			`email.inboxes[1].address: "not-an-address" is not an e-mail address`,
		}},
		{"a login without TLS is refused unless the server is on this machine", `email:
  inboxes:
    - address: a@example.com
      imap: {host: imap.example.com, username: a@example.com, password: pw, tls: none}
      smtp: {host: localhost, username: a@example.com, password: pw, tls: none}
    - address: b@example.com
      imap: {host: "::1", username: b@example.com, password: pw, tls: none}
      smtp: {host: 10.0.0.5, password: pw, tls: none}
`, []string{
			`email.inboxes[0].imap.tls: none would send email.inboxes[0].imap's login in clear text to "imap.example.com"; use tls or starttls`,
			`email.inboxes[1].smtp.tls: none would send`,
		}},
		{"one mailbox is listed once", `email:
  inboxes:
    - {address: a@example.com, imap: {host: h, tls: none}, smtp: {host: h, tls: none}}
    - {address: A@example.com, imap: {host: h, tls: none}, smtp: {host: h, tls: none}}
`, []string{`email.inboxes[1].address: "A@example.com" is already email.inboxes[0]`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := Parse([]byte(base+tc.yaml), "test.yaml", func(string) string { return "" })
			if len(tc.errs) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tc.errs {
				require.Contains(t, err.Error(), want)
			}
			_ = cfg
		})
	}
}

func TestEmailDefaultsAndSummary(t *testing.T) {
	t.Parallel()
	cfg, err := Parse([]byte(`teams:
  - name: support
    slack_channel: C0123456789
email:
  inboxes:
    - address: Support@Example.com
      name: Support
      imap: {host: imap.example.com, username: support@example.com, password: hunter2}
      smtp: {host: smtp.example.com, tls: starttls}
`), "test.yaml", func(string) string { return "" })
	require.NoError(t, err)
	in := cfg.Email.Inboxes[0]
	require.Equal(t, "support@example.com", in.Address)
	require.Equal(t, 993, in.IMAP.Port)
	require.Equal(t, "tls", in.IMAP.TLS)
	require.Equal(t, 587, in.SMTP.Port)
	require.Equal(t, "support@example.com", in.SMTP.Username, "SMTP logs in as IMAP does when left out")
	require.True(t, cfg.HasPlatformCredentials())
	s := cfg.Summary()
	require.Contains(t, s, "support@example.com (Support) → team support (default)")
	require.Contains(t, s, "imap imap.example.com:993 tls")
	require.NotContains(t, s, "hunter2")
	require.False(t, strings.Contains(s, "email: no inboxes"))
}
