package email_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/email"
	"github.com/switchboard/switchboard/adapters/email/emailtest"
	"github.com/switchboard/switchboard/bridge"
)

const inboxAddr = "support@shop.example"

type fixture struct {
	imap   *emailtest.IMAP
	smtp   *emailtest.SMTP
	client *email.Client
	now    time.Time
}

func server(t *testing.T, addr, user, pass string) email.Server {
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	p, _ := strconv.Atoi(port)
	return email.Server{Host: host, Port: p, Username: user, Password: pass, TLS: "none"}
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{
		imap: emailtest.NewIMAP(t, inboxAddr, "imap-secret"),
		smtp: emailtest.NewSMTP(t, inboxAddr, "smtp-secret"),
		now:  time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC),
	}
	f.client = email.NewClient(email.Config{
		Inboxes: []email.Inbox{{
			Address: inboxAddr, Name: "Shop Support",
			IMAP: server(t, f.imap.Addr, inboxAddr, "imap-secret"),
			SMTP: server(t, f.smtp.Addr, inboxAddr, "smtp-secret"),
		}},
		Now:     func() time.Time { return f.now },
		Timeout: 10 * time.Second,
	})
	return f
}

func TestSendTextIsAThreadedPlainTextReply(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, err := f.client.SendText(context.Background(), inboxAddr, "ana@example.org", "Olá Ana,\nyour order ships today — 20% off next time.",
		bridge.InEmailThread("<CAF=abc123@mail.gmail.com>", "Where is my order?"))
	require.NoError(t, err)

	sent := f.smtp.WaitSent(t, 1, 5*time.Second)
	require.Len(t, sent, 1)
	m := sent[0]
	require.Equal(t, inboxAddr, m.From)
	require.Equal(t, []string{"ana@example.org"}, m.To)
	require.Equal(t, `"Shop Support" <support@shop.example>`, m.Header.Get("From"))
	require.Equal(t, "<ana@example.org>", m.Header.Get("To"))
	require.Equal(t, "Re: Where is my order?", m.Header.Get("Subject"))
	require.Equal(t, "<CAF=abc123@mail.gmail.com>", m.Header.Get("In-Reply-To"))
	require.Equal(t, "<CAF=abc123@mail.gmail.com>", m.Header.Get("References"))
	require.Equal(t, id, m.Header.Get("Message-Id"))
	require.True(t, strings.HasSuffix(id, "@shop.example>"), id)
	require.Equal(t, "Sun, 06 Dec 2026 10:00:00 +0000", m.Header.Get("Date"))
	require.Equal(t, "quoted-printable", m.Header.Get("Content-Transfer-Encoding"))
	require.Contains(t, m.Header.Get("Content-Type"), "charset=utf-8")
	require.Contains(t, string(m.Data), "Ol=C3=A1 Ana,") // quoted-printable on the wire
	require.Equal(t, "Olá Ana,\nyour order ships today — 20% off next time.", m.Body())
}

func TestSendTextKeepsOneRePrefix(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.client.SendText(context.Background(), inboxAddr, "ana@example.org", "hi", bridge.InEmailThread("", "RE: Invoice"))
	require.NoError(t, err)
	m := f.smtp.WaitSent(t, 1, 5*time.Second)[0]
	require.Equal(t, "Re: Invoice", m.Header.Get("Subject"))
	require.Empty(t, m.Header.Get("In-Reply-To"))
}

func TestSendMediaAttachesTheFile(t *testing.T) {
	t.Parallel()
	f := setup(t)
	pdf := []byte("%PDF-1.4 fake invoice\x00\x01\x02")
	id, err := f.client.SendMedia(context.Background(), inboxAddr, "ana@example.org",
		bridge.File{Name: "invoice.pdf", MimeType: "application/pdf", Data: pdf}, "Your invoice",
		bridge.InEmailThread("<m1@example.org>", "Invoice please"))
	require.NoError(t, err)
	m := f.smtp.WaitSent(t, 1, 5*time.Second)[0]
	require.Equal(t, id, m.Header.Get("Message-Id"))
	require.True(t, strings.HasPrefix(m.Header.Get("Content-Type"), "multipart/mixed"), m.Header.Get("Content-Type"))
	require.Equal(t, "Re: Invoice please", m.Header.Get("Subject"))
	require.Equal(t, "<m1@example.org>", m.Header.Get("In-Reply-To"))
	require.Equal(t, "Your invoice", m.Body())
	name, mt, data := m.Attachment()
	require.Equal(t, "invoice.pdf", name)
	require.Equal(t, "application/pdf", mt)
	require.Equal(t, pdf, data)
}

func TestSendFailuresSayWhetherToRetry(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		reject    *smtp.SMTPError
		permanent bool
		reason    bridge.FailureReason
	}{
		{"an unknown mailbox is permanent", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}, true, bridge.ReasonUndeliverable},
		{"a policy refusal is permanent", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected as spam"}, true, bridge.ReasonPolicy},
		{"greylisting is transient", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Try again later"}, false, bridge.ReasonRateLimited},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.smtp.Reject(tc.reject)
			_, err := f.client.SendText(context.Background(), inboxAddr, "ana@example.org", "hi")
			de, ok := bridge.AsDeliveryError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.permanent, de.Permanent)
			require.Equal(t, tc.reason, de.Reason)
		})
	}
	t.Run("a wrong password is permanent and says to fix the credentials", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		c := email.NewClient(email.Config{Inboxes: []email.Inbox{{Address: inboxAddr,
			SMTP: server(t, f.smtp.Addr, inboxAddr, "wrong")}}})
		_, err := c.SendText(context.Background(), inboxAddr, "ana@example.org", "hi")
		de, ok := bridge.AsDeliveryError(err)
		require.True(t, ok, "%v", err)
		require.True(t, de.Permanent)
		require.Equal(t, bridge.ReasonTokenExpired, de.Reason)
		require.NotContains(t, err.Error(), "wrong") // the password is never in the error
	})
	t.Run("templates and reactions are not supported", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		_, err := f.client.SendReaction(context.Background(), inboxAddr, "ana@example.org", "<m@x>", "👍")
		de, ok := bridge.AsDeliveryError(err)
		require.True(t, ok)
		require.True(t, de.Permanent)
		require.Equal(t, bridge.ReasonUnsupported, de.Reason)
		require.Contains(t, err.Error(), "not supported on e-mail")
		require.NoError(t, f.client.MarkRead(context.Background(), inboxAddr, "<m@x>", true))
	})
}

// recorder is a bridge.CustomerInbound that keeps what it is given; fail
// makes a call fail after keeping it (stored, then the connection died).
type recorder struct {
	mu    sync.Mutex
	hooks []bridge.CustomerWebhook
	got   chan struct{}
}

func newRecorder() *recorder { return &recorder{got: make(chan struct{}, 100)} }

func (r *recorder) HandleCustomerWebhook(_ context.Context, h bridge.CustomerWebhook) error {
	r.mu.Lock()
	r.hooks = append(r.hooks, h)
	r.mu.Unlock()
	r.got <- struct{}{}
	return nil
}

func (r *recorder) messages() []bridge.InboundMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bridge.InboundMessage
	for _, h := range r.hooks {
		out = append(out, h.Messages...)
	}
	return out
}

func (r *recorder) wait(t *testing.T, n int) []bridge.InboundMessage {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for len(r.messages()) < n {
		select {
		case <-r.got:
		case <-deadline:
			t.Fatalf("%d messages received, want %d", len(r.messages()), n)
		}
	}
	return r.messages()
}

func rawMail(id, from, subject, body string) []byte {
	return []byte("From: " + from + "\r\nTo: " + inboxAddr + "\r\nSubject: " + subject +
		"\r\nDate: Sat, 05 Dec 2026 09:00:00 +0000\r\nMessage-ID: " + id +
		"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

func TestReceiverImportsWaitingMailThenIdles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	old := f.imap.Deliver(rawMail("<first@example.org>", "Ana <Ana@Example.org>", "Order 42", "Where is it?"))
	own := f.imap.Deliver(rawMail("<own@shop.example>", inboxAddr, "Re: Order 42", "our own reply"))
	auto := f.imap.Deliver([]byte("From: bob@example.org\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\nMessage-ID: <ooo@example.org>\r\n\r\nI am away.\r\n"))

	rec := newRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.client.Receive(ctx, inboxAddr, rec) }()

	got := rec.wait(t, 1)
	require.Equal(t, "<first@example.org>", got[0].ExternalID)
	require.Equal(t, bridge.CustomerAddress("ana@example.org"), got[0].From)
	require.Equal(t, "Ana", got[0].ProfileName)
	require.Equal(t, "Where is it?", got[0].Text)

	// A mail arriving while the receiver waits in IDLE comes at once.
	next := f.imap.Deliver(rawMail("<second@example.org>", "ana@example.org", "Re: Order 42", "Any news?"))
	got = rec.wait(t, 2)
	require.Equal(t, "<second@example.org>", got[1].ExternalID)
	require.Eventually(t, func() bool { return len(f.imap.Flags(next)) > 0 }, 5*time.Second, 10*time.Millisecond)

	for _, uid := range []uint32{old, own, auto, next} {
		require.True(t, f.imap.HasKeyword(uid, email.ProcessedKeyword), "uid %d: %v", uid, f.imap.Flags(uid))
	}
	require.Len(t, rec.messages(), 2, "own mail and the auto-reply are skipped")

	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("receiver did not stop")
	}
}

func TestReceiverThatCouldNotMarkOffersTheMailAgain(t *testing.T) {
	t.Parallel()
	f := setup(t)
	uid := f.imap.Deliver(rawMail("<once@example.org>", "ana@example.org", "Hi", "Hello"))
	f.imap.FailStores(1)

	rec := newRecorder()
	err := f.client.Receive(context.Background(), inboxAddr, rec)
	require.Error(t, err, "the failed mark ends the receiver (the app restarts it)")
	require.Len(t, rec.messages(), 1)
	require.Empty(t, f.imap.Flags(uid))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.client.Receive(ctx, inboxAddr, rec) }()
	got := rec.wait(t, 2)
	require.Equal(t, got[0].ExternalID, got[1].ExternalID, "the same Message-ID again: the bridge's dedupe drops it")
	require.Eventually(t, func() bool { return len(f.imap.Flags(uid)) > 0 }, 5*time.Second, 10*time.Millisecond)
	cancel()
	require.True(t, errors.Is(<-done, context.Canceled))
}

func TestDownloadMediaFetchesTheAttachmentAgain(t *testing.T) {
	t.Parallel()
	f := setup(t)
	raw := "From: ana@example.org\r\nTo: " + inboxAddr + "\r\nSubject: photo\r\nMessage-ID: <p@example.org>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
		"--XX\r\nContent-Type: image/png; name=\"dent.png\"\r\nContent-Disposition: attachment; filename=\"dent.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--XX--\r\n"
	f.imap.Deliver([]byte(raw))
	rec := newRecorder()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.client.Receive(ctx, inboxAddr, rec)
	msg := rec.wait(t, 1)[0]
	require.Equal(t, bridge.KindImage, msg.Kind)
	require.NotNil(t, msg.Media)
	require.Equal(t, "dent.png", msg.Media.Filename)

	file, err := f.client.DownloadMedia(context.Background(), msg.Media.ID)
	require.NoError(t, err)
	require.Equal(t, "dent.png", file.Name)
	require.Equal(t, "image/png", file.MimeType)
	require.Equal(t, []byte("\x89PNG\r\n\x1a\n"), file.Data)

	_, err = f.client.DownloadMedia(context.Background(), strings.Replace(msg.Media.ID, "/1700000001/", "/1/", 1))
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent, "a mailbox with another UIDVALIDITY no longer has the mail")
}
