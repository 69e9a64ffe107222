package app_test

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/switchboard/switchboard/adapters/email/emailtest"
)

// mailInbox is the e-mail inbox the e-mail tests configure.
const mailInbox = "support@shop.example"

// mailFakes are the fake IMAP and SMTP servers of one test.
type mailFakes struct {
	imap *emailtest.IMAP
	smtp *emailtest.SMTP
}

// withEmail starts fake IMAP and SMTP servers and configures an e-mail
// inbox (team support) reading and sending through them.
func withEmail(t *testing.T, m *mailFakes) option {
	m.imap = emailtest.NewIMAP(t, mailInbox, "imap-pass")
	m.smtp = emailtest.NewSMTP(t, mailInbox, "smtp-pass")
	hp := func(addr string) (string, string) {
		h, p, _ := net.SplitHostPort(addr)
		return h, p
	}
	ih, ip := hp(m.imap.Addr)
	sh, sp := hp(m.smtp.Addr)
	return withTopLevel(fmt.Sprintf(`email:
  inboxes:
    - address: %s
      name: Shop Support
      imap: {host: %s, port: %s, username: %s, password: imap-pass, tls: none}
      smtp: {host: %s, port: %s, username: %s, password: smtp-pass, tls: none}
`, mailInbox, ih, ip, mailInbox, sh, sp, mailInbox))
}

// customerMail is a plain-text mail from Ana to the inbox (RFC 5322).
func customerMail(messageID, subject, body string) []byte {
	return []byte(strings.Join([]string{
		"From: Ana Souza <ana@example.org>",
		"To: Shop Support <" + mailInbox + ">",
		"Subject: " + subject,
		"Date: Sat, 05 Dec 2026 09:00:00 +0000",
		"Message-ID: " + messageID,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		body,
		"",
	}, "\r\n"))
}
