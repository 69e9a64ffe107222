package configs

import (
	"fmt"
	"net"
	"net/mail"
	"slices"
	"strings"
)

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

// DocEmail is the e-mail setup guide.
const DocEmail = "docs/setup-email.md"

// MailTLS are the values of MailServer.TLS.
var MailTLS = []string{"tls", "starttls", "none"}

// defaultMailPort is the usual port for each protocol and TLS mode (RFC
// 8314: implicit TLS 993/465; STARTTLS submission 587; plain 143/25).
func defaultMailPort(protocol, tlsMode string) int {
	switch protocol + "/" + tlsMode {
	case "imap/tls":
		return 993
	case "imap/starttls", "imap/none":
		return 143
	case "smtp/tls":
		return 465
	case "smtp/starttls":
		return 587
	}
	return 25
}

// validateEmail fills the e-mail section's defaults (tls: tls; the port
// by protocol and tls; the SMTP login is the IMAP login when left out) and
// checks it: a valid, unique address per inbox, a team that exists, a
// host, a port 1–65535, a known tls mode, and a username and password
// unless tls is none (a local relay that needs no login).
func (c *Config) validateEmail(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	q := d.quote
	seen := map[string]int{}
	for i := range c.Email.Inboxes {
		in := &c.Email.Inboxes[i]
		p := fmt.Sprintf("email.inboxes[%d]", i)
		addr := strings.ToLower(strings.TrimSpace(in.Address))
		if a, err := mail.ParseAddress(in.Address); err != nil || a.Address != strings.TrimSpace(in.Address) {
			bad(p+".address", "%s is not an e-mail address; write the mailbox's bare address, e.g. support@example.com (see %s)", q(p+".address", in.Address), DocEmail)
		} else {
			if j, dup := seen[addr]; dup {
				bad(p+".address", "%s is already email.inboxes[%d]; list each mailbox once", q(p+".address", in.Address), j)
			}
			seen[addr] = i
			in.Address = addr
		}
		if in.Team != "" && !slices.ContainsFunc(c.Teams, func(t Team) bool { return t.Name == in.Team }) {
			bad(p+".team", "%s is not one of the teams; name a team from teams, or remove it to use default_team", q(p+".team", in.Team))
		}
		if in.SMTP.Username == "" && in.SMTP.Password == "" && in.IMAP.Username != "" {
			in.SMTP.Username, in.SMTP.Password = in.IMAP.Username, in.IMAP.Password
		}
		for _, srv := range []struct {
			name string
			s    *MailServer
		}{{"imap", &in.IMAP}, {"smtp", &in.SMTP}} {
			sp := p + "." + srv.name
			s := srv.s
			if s.TLS == "" {
				s.TLS = "tls"
			}
			if !slices.Contains(MailTLS, s.TLS) {
				bad(sp+".tls", "%s is not a TLS mode; use tls (implicit TLS, IMAP 993 / SMTP 465), starttls (SMTP 587) or none (a local server only)", q(sp+".tls", s.TLS))
			}
			if s.Port == 0 {
				s.Port = defaultMailPort(srv.name, s.TLS)
			}
			if s.Port < 1 || s.Port > 65535 {
				bad(sp+".port", "%d is not a port; use 1–65535, or remove it for the usual port of tls: %s", s.Port, s.TLS)
			}
			if strings.TrimSpace(s.Host) == "" {
				bad(sp+".host", "is required: the %s server of the mailbox, e.g. %s.gmail.com (see %s)", strings.ToUpper(srv.name), srv.name, DocEmail)
			} else if strings.Contains(s.Host, ":") || strings.Contains(s.Host, "/") {
				bad(sp+".host", "%s must be a host name only; put the port in %s.port", q(sp+".host", s.Host), sp)
			}
			if s.TLS == "none" && (s.Username != "" || s.Password != "") && !loopbackHost(s.Host) {
				// Without TLS the login crosses the network in clear text.
				bad(sp+".tls", "none would send %s's login in clear text to %s; use tls or starttls, or remove username and password (tls: none is for a server on this machine only)", sp, q(sp+".host", s.Host))
			}
			if s.TLS != "none" {
				if s.Username == "" {
					bad(sp+".username", "is required with tls: %s; usually the mailbox address (see %s)", s.TLS, DocEmail)
				}
				if s.Password == "" {
					bad(sp+".password", "is required with tls: %s; with Gmail or Microsoft 365 use an app password, e.g. password: ${EMAIL_PASSWORD} (see %s)", s.TLS, DocEmail)
				}
			}
		}
	}
}

// loopbackHost reports whether host is this machine: "localhost" or a
// loopback IP address.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hasEmailCredentials reports whether an e-mail inbox logs in to a mail
// server or uses TLS: a sandbox must not read or send real mail. Inboxes
// with tls: none and no login (local fakes) do not count.
func (c *Config) hasEmailCredentials() bool {
	for _, in := range c.Email.Inboxes {
		for _, s := range []MailServer{in.IMAP, in.SMTP} {
			if s.Password != "" || (s.TLS != "" && s.TLS != "none") {
				return true
			}
		}
	}
	return false
}

// emailSummary is check-config's e-mail line: each inbox, its team and
// servers, passwords shown only as set or missing.
func (c *Config) emailSummary(secret func(string) string) string {
	if len(c.Email.Inboxes) == 0 {
		return "email: no inboxes"
	}
	var b strings.Builder
	b.WriteString("email: (IMAP IDLE in, SMTP out; no reply window)")
	for _, in := range c.Email.Inboxes {
		team := in.Team
		if team == "" {
			team = c.DefaultTeam + " (default)"
		}
		fmt.Fprintf(&b, "\n  %s (%s) → team %s; imap %s:%d %s as %s, password %s; smtp %s:%d %s as %s, password %s",
			in.Address, in.Name, team,
			in.IMAP.Host, in.IMAP.Port, in.IMAP.TLS, in.IMAP.Username, secret(in.IMAP.Password),
			in.SMTP.Host, in.SMTP.Port, in.SMTP.TLS, in.SMTP.Username, secret(in.SMTP.Password))
	}
	return b.String()
}
