package configs

// Email is the e-mail channel (issue 12, adapters/email,
// docs/setup-email.md): each inbox is a mailbox read over IMAP (IDLE) and
// answered over SMTP. E-mail has no reply window.
type Email struct {
	Inboxes []EmailInbox `yaml:"inboxes"`
}

// EmailInbox is one mailbox.
type EmailInbox struct {
	// Address is the mailbox's address, the inbox id and the From of replies.
	Address string     `yaml:"address"`
	Name    string     `yaml:"name"`
	Team    string     `yaml:"team"`
	IMAP    MailServer `yaml:"imap"`
	SMTP    MailServer `yaml:"smtp"`
}

// MailServer is where and how to log in to an IMAP or SMTP server.
type MailServer struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// TLS is "tls" (implicit TLS: IMAP 993, SMTP 465), "starttls" (SMTP
	// 587) or "none" (tests and local relays only).
	TLS string `yaml:"tls"`
}

// validateEmail checks the email section.
func (c *Config) validateEmail(d *decoder) {
	_ = d // filled in by issue 12's e-mail branch
}
