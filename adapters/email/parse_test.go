package email_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/email"
	"github.com/switchboard/switchboard/bridge"
)

const self = "support@shop.example"

func crlf(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestParse(t *testing.T) {
	t.Parallel()
	loc := email.MediaRef{UIDValidity: 7, UID: 42}
	type want struct {
		id, from, name, subject, text, replyTo string
		sentAt                                 time.Time
		kind                                   bridge.MessageKind
		media                                  *bridge.Media
	}
	cases := []struct {
		name string
		raw  func(t *testing.T) []byte
		want want
	}{
		{"RFC 5322 A.1.1: a plain message", func(t *testing.T) []byte { return readSample(t, "rfc5322-a1-1.eml") }, want{
			id: "<1234@local.machine.example>", from: "jdoe@machine.example", name: "John Doe", subject: "Saying Hello",
			text: "This is a message just to say hello.\nSo, \"Hello\".", sentAt: time.Date(1997, 11, 21, 15, 55, 6, 0, time.UTC), kind: bridge.KindText}},
		{"RFC 5322 A.2: a reply names the mail it answers; its Reply-To is whom we answer", func(t *testing.T) []byte { return readSample(t, "rfc5322-a2.eml") }, want{
			id: "<3456@example.net>", from: "smith@home.example", name: "Mary Smith: Personal Account", subject: "Re: Saying Hello",
			text: "This is a reply to your hello.", replyTo: "<1234@local.machine.example>", sentAt: time.Date(1997, 11, 21, 16, 1, 10, 0, time.UTC), kind: bridge.KindText}},
		{"RFC 2046 5.1.1: multipart/mixed takes the first text part, not preamble or epilogue", func(t *testing.T) []byte { return readSample(t, "rfc2046-5.1.1.eml") }, want{
			from: "nsb@bellcore.com", name: "Nathaniel Borenstein", subject: "Sample message",
			text: "This is implicitly typed plain US-ASCII text.\nIt does NOT end with a linebreak.", sentAt: time.Date(1993, 3, 22, 7, 56, 48, 0, time.UTC), kind: bridge.KindText}},
		{"RFC 2046 5.1.4: multipart/alternative prefers text/plain and has no attachment", func(t *testing.T) []byte { return readSample(t, "rfc2046-5.1.4.eml") }, want{
			from: "nsb@bellcore.com", name: "Nathaniel Borenstein", subject: "Formatted text mail",
			text: "... plain text version of message goes here ...", sentAt: time.Date(1993, 3, 22, 17, 41, 9, 0, time.UTC), kind: bridge.KindText}},
		{"RFC 2047 8: encoded-word name and a two-charset subject", func(t *testing.T) []byte { return readSample(t, "rfc2047-8.eml") }, want{
			from: "moore@cs.utk.edu", name: "Keith Moore", subject: "If you can read this you understand the example.", kind: bridge.KindText}},
		{"RFC 2047 8: an ISO-8859-1 display name", func(t *testing.T) []byte { return readSample(t, "rfc2047-8-olle.eml") }, want{
			from: "ojarnef@admin.kth.se", name: "Olle Järnefors", subject: "Test of new header generator", kind: bridge.KindText}},
		{"HTML only: turned into text, the quoted Gmail part left out", func(*testing.T) []byte {
			return crlf("From: \"Ana Souza\" <ANA@Example.ORG>", "Subject: Pedido", "Message-ID: <h1@example.org>",
				"Date: Sat, 05 Dec 2026 09:00:00 +0000", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8", "",
				`<html><head><style>p{color:red}</style></head><body><div dir="ltr">Olá,<br>o pedido <b>1042</b> não chegou.</div>`,
				`<div class="gmail_quote"><div>Em sex., 4 de dez. escreveu:</div><blockquote>Enviado!</blockquote></div></body></html>`)
		}, want{id: "<h1@example.org>", from: "ana@example.org", name: "Ana Souza", subject: "Pedido",
			text: "Olá,\no pedido 1042 não chegou.", sentAt: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC), kind: bridge.KindText}},
		{"an English reply: the quoted mail under \"On … wrote:\" is cut", func(*testing.T) []byte {
			return crlf("From: bob@example.com", "Subject: Re: Order", "Message-ID: <e1@example.com>", "In-Reply-To: <sb-1@shop.example>",
				"Content-Type: text/plain; charset=utf-8", "", "Thanks, that works.", "", "On Fri, Dec 4, 2026 at 10:00 AM Shop Support <",
				"support@shop.example> wrote:", "> Try restarting it.", "> Shop")
		}, want{id: "<e1@example.com>", from: "bob@example.com", subject: "Re: Order", text: "Thanks, that works.", replyTo: "<sb-1@shop.example>", kind: bridge.KindText}},
		{"a Spanish reply: \"El … escribió:\" is cut", func(*testing.T) []byte {
			return crlf("From: lucia@example.es", "Subject: Re: Factura", "Message-ID: <s1@example.es>",
				"Content-Type: text/plain; charset=ISO-8859-1", "Content-Transfer-Encoding: quoted-printable", "",
				"Gracias, ya la recib=ED.", "", "El vie, 4 dic 2026 a las 10:00, Soporte (<support@shop.example>) escribi=F3:", "> Le enviamos la factura.")
		}, want{id: "<s1@example.es>", from: "lucia@example.es", subject: "Re: Factura", text: "Gracias, ya la recibí.", kind: bridge.KindText}},
		{"a Portuguese reply: \"Em … escreveu:\" and > lines are cut", func(*testing.T) []byte {
			return crlf("From: joao@example.com.br", "Subject: Re: Entrega", "Message-ID: <p1@example.com.br>",
				"Content-Type: text/plain; charset=utf-8", "", "> Sua encomenda saiu.", "Chegou hoje, obrigado!", "",
				"Em sex., 4 de dez. de 2026 às 10:00, Suporte <support@shop.example> escreveu:", "> Sua encomenda saiu.")
		}, want{id: "<p1@example.com.br>", from: "joao@example.com.br", subject: "Re: Entrega", text: "Chegou hoje, obrigado!", kind: bridge.KindText}},
		{"an attachment becomes the message's media, with the text as caption", func(*testing.T) []byte {
			return crlf("From: ana@example.org", "Subject: Invoice", "Message-ID: <a1@example.org>", "MIME-Version: 1.0",
				`Content-Type: multipart/mixed; boundary="000000000000a1"`, "", "--000000000000a1",
				`Content-Type: multipart/alternative; boundary="000000000000a2"`, "", "--000000000000a2",
				"Content-Type: text/plain; charset=UTF-8", "", "Here it is.", "--000000000000a2",
				"Content-Type: text/html; charset=UTF-8", "", "<div>Here it is.</div>", "--000000000000a2--",
				"--000000000000a1", `Content-Type: application/pdf; name="=?UTF-8?Q?factura_n=C2=BA_7.pdf?="`,
				`Content-Disposition: attachment; filename="=?UTF-8?Q?factura_n=C2=BA_7.pdf?="`, "Content-Transfer-Encoding: base64", "",
				"JVBERi0xLjQK", "--000000000000a1--")
		}, want{id: "<a1@example.org>", from: "ana@example.org", subject: "Invoice", text: "Here it is.", kind: bridge.KindDocument,
			media: &bridge.Media{ID: "support@shop.example/7/42/0", MimeType: "application/pdf", Filename: "factura nº 7.pdf"}}},
		{"an inline image (multipart/related) is an attachment too", func(*testing.T) []byte {
			return crlf("From: ana@example.org", "Subject: Photo", "Message-ID: <i1@example.org>", "MIME-Version: 1.0",
				`Content-Type: multipart/related; boundary="r1"`, "", "--r1", "Content-Type: text/html; charset=utf-8", "",
				`<p>See the dent:</p><img src="cid:img1">`, "--r1", "Content-Type: image/jpeg", "Content-ID: <img1>",
				"Content-Disposition: inline", "Content-Transfer-Encoding: base64", "", "/9j/4AAQ", "--r1--")
		}, want{id: "<i1@example.org>", from: "ana@example.org", subject: "Photo", text: "See the dent:", kind: bridge.KindImage,
			media: &bridge.Media{ID: "support@shop.example/7/42/0", MimeType: "image/jpeg"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := email.Parse(self, self, tc.raw(t), loc)
			require.NoError(t, err)
			require.Empty(t, p.Skip)
			require.NotNil(t, p.Message)
			m := p.Message
			if tc.want.id != "" {
				require.Equal(t, tc.want.id, m.ExternalID)
			} else {
				require.True(t, strings.HasPrefix(m.ExternalID, "<") && strings.HasSuffix(m.ExternalID, ">"), m.ExternalID)
			}
			require.Equal(t, bridge.CustomerAddress(tc.want.from), m.From)
			require.Equal(t, tc.want.from, m.FromEmail)
			require.Equal(t, tc.want.name, m.ProfileName)
			require.Equal(t, tc.want.subject, m.Subject)
			require.Equal(t, tc.want.text, m.Text)
			require.Equal(t, tc.want.replyTo, m.ReplyTo)
			require.True(t, tc.want.sentAt.Equal(m.SentAt), "sent at %s, want %s", m.SentAt, tc.want.sentAt)
			require.Equal(t, tc.want.kind, m.Kind)
			require.Equal(t, tc.want.media, m.Media)
			require.Equal(t, bridge.InboxID(self), m.Inbox)
		})
	}
}

func TestParseMissingMessageIDIsStable(t *testing.T) {
	t.Parallel()
	raw := readSample(t, "rfc2047-8.eml") // RFC 2047's example has no Message-ID
	a, err := email.Parse(self, self, raw, email.MediaRef{})
	require.NoError(t, err)
	b, err := email.Parse(self, self, raw, email.MediaRef{UID: 9})
	require.NoError(t, err)
	require.Equal(t, a.Message.ExternalID, b.Message.ExternalID, "the same mail fetched again gets the same id")
	other, err := email.Parse(self, self, readSample(t, "rfc2047-8-olle.eml"), email.MediaRef{})
	require.NoError(t, err)
	require.NotEqual(t, a.Message.ExternalID, other.Message.ExternalID)
	require.True(t, strings.HasSuffix(a.Message.ExternalID, "@switchboard.invalid>"))
}

func TestParseSkipsWhatNoPersonWrote(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, skip string
		raw        []byte
	}{
		{"the inbox's own mail", "own", crlf("From: Shop <Support@Shop.example>", "Subject: Re: x", "", "our reply")},
		{"an RFC 3834 auto-reply", "auto-reply", crlf("From: bob@example.com", "Auto-Submitted: auto-replied", "Subject: Out of office", "", "Away until Monday.")},
		{"a bulk mail", "auto-reply", crlf("From: news@example.com", "Precedence: bulk", "Subject: News", "", "Sale!")},
		{"a bounce that does not carry the original", "bounce", crlf("From: MAILER-DAEMON@mx.example.com", "Subject: Undelivered Mail", "", "It failed.")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := email.Parse(self, self, tc.raw, email.MediaRef{})
			require.NoError(t, err)
			require.Nil(t, p.Message)
			require.Nil(t, p.Receipt)
			require.Equal(t, tc.skip, p.Skip)
		})
	}
}

func TestParseBounceFailsTheOriginalDelivery(t *testing.T) {
	t.Parallel()
	// The shape of RFC 3464 section 10.1's example: a multipart/report
	// with a human part, the delivery-status and the returned headers.
	raw := crlf("From: Mail Delivery System <MAILER-DAEMON@mx.shop.example>", "To: support@shop.example",
		"Subject: Undelivered Mail Returned to Sender", "Date: Sun, 06 Dec 2026 10:00:00 +0000", "MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=delivery-status; boundary="RAA14128.773615765/mx.shop.example"`, "",
		"--RAA14128.773615765/mx.shop.example", "", "Your message could not be delivered.",
		"--RAA14128.773615765/mx.shop.example", "Content-Type: message/delivery-status", "",
		"Reporting-MTA: dns; mx.shop.example", "", "Final-Recipient: rfc822; nobody@example.org", "Action: failed", "Status: 5.1.1",
		"--RAA14128.773615765/mx.shop.example", "Content-Type: text/rfc822-headers", "",
		"From: Shop Support <support@shop.example>", "To: <nobody@example.org>", "Subject: Re: Order", "Message-ID: <sent-1@shop.example>",
		"--RAA14128.773615765/mx.shop.example--")
	p, err := email.Parse(self, self, raw, email.MediaRef{})
	require.NoError(t, err)
	require.Nil(t, p.Message)
	require.NotNil(t, p.Receipt)
	require.Equal(t, "<sent-1@shop.example>", p.Receipt.ExternalID)
	require.Equal(t, bridge.ReceiptFailed, p.Receipt.Status)
	require.Equal(t, bridge.ReasonUndeliverable, p.Receipt.Reason)
	require.Equal(t, bridge.CustomerAddress("nobody@example.org"), p.Receipt.Recipient)
}

func TestStripQuoted(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"Yes.\n\n-----Original Message-----\nFrom: Shop\nSent: Friday\n\nOld text", "Yes."},
		{"Sí.\n\n-----Mensaje original-----\nDe: Shop", "Sí."},
		{"> only a quote\n> nothing new", "> only a quote\n> nothing new"}, // nothing would be left: keep it whole
		{"Line one\n>> deep quote\nLine two", "Line one\nLine two"},
		{"On my way home I wrote: a poem", "On my way home I wrote: a poem"}, // not an attribution line
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, email.StripQuoted(tc.in), tc.in)
	}
}

func TestMediaRefRoundTrips(t *testing.T) {
	t.Parallel()
	r := email.MediaRef{Inbox: "a/b@example.com", UIDValidity: 1, UID: 2, Index: 3}
	got, err := email.ParseMediaRef(r.String())
	require.NoError(t, err)
	require.Equal(t, r, got)
	_, err = email.ParseMediaRef("nonsense")
	require.Error(t, err)
}
