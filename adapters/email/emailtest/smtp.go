package emailtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sent is one message the fake SMTP server accepted.
type Sent struct {
	From   string   // MAIL FROM
	To     []string // RCPT TO
	Data   []byte   // the message as sent
	Header mail.Header
}

// SMTP is the fake SMTP server.
type SMTP struct {
	Addr     string
	Username string
	Password string

	srv    *smtp.Server
	mu     sync.Mutex
	sent   []Sent
	notify chan struct{}
	reject *smtp.SMTPError
}

// NewSMTP starts an SMTP server on loopback accepting AUTH PLAIN for
// username/password (no AUTH needed when username is empty); it stops in
// t.Cleanup.
func NewSMTP(t testing.TB, username, password string) *SMTP {
	t.Helper()
	f := &SMTP{Username: username, Password: password, notify: make(chan struct{}, 1)}
	f.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{f: f}, nil }))
	f.srv.AllowInsecureAuth = true
	f.srv.Domain = "localhost"
	f.srv.ReadTimeout = 10 * time.Second
	f.srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("emailtest: listen: %v", err)
	}
	f.Addr = l.Addr().String()
	go f.srv.Serve(l)
	t.Cleanup(func() { f.srv.Close() })
	return f
}

// Reject makes every following DATA fail with code and enhanced code
// (nil accepts again).
func (f *SMTP) Reject(err *smtp.SMTPError) {
	f.mu.Lock()
	f.reject = err
	f.mu.Unlock()
}

// Sent is every message accepted so far.
func (f *SMTP) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// WaitSent waits until n messages were accepted and returns them.
func (f *SMTP) WaitSent(t testing.TB, n int, within time.Duration) []Sent {
	t.Helper()
	deadline := time.After(within)
	for {
		if s := f.Sent(); len(s) >= n {
			return s
		}
		select {
		case <-f.notify:
		case <-deadline:
			t.Fatalf("emailtest: %d messages sent, want %d", len(f.Sent()), n)
		}
	}
}

type session struct {
	f      *SMTP
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.f.Username || password != s.f.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.f.Username != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.f.mu.Lock()
	rej := s.f.reject
	s.f.mu.Unlock()
	if rej != nil {
		return rej
	}
	mr, err := mail.CreateReader(bytes.NewReader(data))
	if err != nil {
		return errors.New("emailtest: unreadable message: " + err.Error())
	}
	s.f.mu.Lock()
	s.f.sent = append(s.f.sent, Sent{From: s.from, To: append([]string(nil), s.to...), Data: data, Header: mr.Header})
	s.f.mu.Unlock()
	select {
	case s.f.notify <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// Body is the message's first text part, decoded.
func (m Sent) Body() string {
	mr, err := mail.CreateReader(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if _, ok := p.Header.(*mail.InlineHeader); ok {
			b, _ := io.ReadAll(p.Body)
			// The composer ends the text with a line break, as mail does.
			return strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
		}
	}
}

// Attachment is the message's first attachment: name, type, bytes.
func (m Sent) Attachment() (name, mimeType string, data []byte) {
	mr, err := mail.CreateReader(bytes.NewReader(m.Data))
	if err != nil {
		return "", "", nil
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", "", nil
		}
		if ah, ok := p.Header.(*mail.AttachmentHeader); ok {
			name, _ = ah.Filename()
			mimeType, _, _ = ah.ContentType()
			data, _ = io.ReadAll(p.Body)
			return name, mimeType, data
		}
	}
}
