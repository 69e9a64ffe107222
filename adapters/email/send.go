package email

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// SendText sends text as a text/plain UTF-8 mail (quoted-printable) from
// the inbox to the customer, in the customer's thread when opts carry
// InEmailThread. It returns the new mail's Message-ID.
func (c *Client) SendText(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, opts ...bridge.SendOption) (string, error) {
	return c.send(ctx, inbox, to, text, nil, bridge.ApplySendOptions(opts))
}

// SendMedia sends the file as an attachment (multipart/mixed) with the
// caption as the text.
func (c *Client) SendMedia(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, file bridge.File, caption string, opts ...bridge.SendOption) (string, error) {
	return c.send(ctx, inbox, to, caption, &file, bridge.ApplySendOptions(opts))
}

// SendTemplate fails permanently: templates are a WhatsApp thing, and
// e-mail has no window that would need one.
func (c *Client) SendTemplate(context.Context, bridge.InboxID, bridge.CustomerAddress, templates.Message) (string, error) {
	return "", unsupported("a message template")
}

// SendReaction fails permanently: mail has no reactions.
func (c *Client) SendReaction(context.Context, bridge.InboxID, bridge.CustomerAddress, string, string) (string, error) {
	return "", unsupported("a reaction")
}

// MarkRead does nothing: read receipts in mail (RFC 8098) are the
// reader's choice, and the mailbox is left for people as it was.
func (c *Client) MarkRead(context.Context, bridge.InboxID, string, bool) error { return nil }

// Compose builds the mail SendText/SendMedia send; exported for tests.
func (c *Client) Compose(inbox bridge.InboxID, to bridge.CustomerAddress, text string, file *bridge.File, o bridge.SendOptions) (raw []byte, messageID string, err error) {
	in, err := c.inbox(inbox)
	if err != nil {
		return nil, "", err
	}
	var h mail.Header
	h.SetAddressList("From", []*mail.Address{{Name: in.Name, Address: in.Address}})
	h.SetAddressList("To", []*mail.Address{{Address: string(to)}})
	h.SetDate(c.now())
	host := c.cfg.Hostname
	if host == "" {
		_, host, _ = strings.Cut(in.Address, "@")
	}
	if err := h.GenerateMessageIDWithHostname(host); err != nil {
		return nil, "", fmt.Errorf("message id: %w", err)
	}
	id, _ := h.MessageID()
	messageID = "<" + id + ">"
	h.SetSubject(replySubject(o.Subject))
	if ref := strings.Trim(o.InReplyTo, "<> "); ref != "" {
		h.SetMsgIDList("In-Reply-To", []string{ref})
		h.SetMsgIDList("References", []string{ref})
	}

	var buf bytes.Buffer
	textHeader := func() mail.InlineHeader {
		var th mail.InlineHeader
		th.Set("Content-Type", "text/plain; charset=utf-8")
		th.Set("Content-Transfer-Encoding", "quoted-printable")
		return th
	}
	body := strings.ReplaceAll(text, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\n", "\r\n")
	if file == nil {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := mail.CreateSingleInlineWriter(&buf, h)
		if err != nil {
			return nil, "", fmt.Errorf("compose mail: %w", err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			return nil, "", fmt.Errorf("compose mail: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, "", fmt.Errorf("compose mail: %w", err)
		}
		return buf.Bytes(), messageID, nil
	}
	mw, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return nil, "", fmt.Errorf("compose mail: %w", err)
	}
	tw, err := mw.CreateSingleInline(textHeader())
	if err != nil {
		return nil, "", fmt.Errorf("compose mail: %w", err)
	}
	tw.Write([]byte(body))
	if err := tw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose mail: %w", err)
	}
	var ah mail.AttachmentHeader
	ah.Set("Content-Type", cmpOr(file.MimeType, "application/octet-stream"))
	ah.SetFilename(cmpOr(file.Name, "attachment"))
	aw, err := mw.CreateAttachment(ah)
	if err != nil {
		return nil, "", fmt.Errorf("compose attachment: %w", err)
	}
	aw.Write(file.Data)
	if err := aw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose attachment: %w", err)
	}
	if err := mw.Close(); err != nil {
		return nil, "", fmt.Errorf("compose mail: %w", err)
	}
	return buf.Bytes(), messageID, nil
}

// replySubject is "Re: <subject>", without piling up "Re:" prefixes.
func replySubject(subject string) string {
	s := strings.TrimSpace(subject)
	if s == "" {
		return "Re:"
	}
	low := strings.ToLower(s)
	for _, p := range []string{"re:", "aw:", "res:", "rv:"} {
		if strings.HasPrefix(low, p) {
			return "Re: " + strings.TrimSpace(s[len(p):])
		}
	}
	return "Re: " + s
}

func (c *Client) send(ctx context.Context, inbox bridge.InboxID, to bridge.CustomerAddress, text string, file *bridge.File, o bridge.SendOptions) (string, error) {
	in, err := c.inbox(inbox)
	if err != nil {
		return "", err
	}
	if _, err := mail.ParseAddress(string(to)); err != nil {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonUndeliverable, Code: "bad_address",
			Err: maskAddress(fmt.Errorf("%q is not an e-mail address: %w", to, err), string(to))}
	}
	raw, id, err := c.Compose(inbox, to, text, file, o)
	if err != nil {
		return "", err
	}
	if err := c.submit(ctx, in, string(to), raw); err != nil {
		return "", classify(maskAddress(err, string(to)))
	}
	return id, nil
}

// submit hands raw to in's SMTP server for rcpt.
func (c *Client) submit(ctx context.Context, in Inbox, rcpt string, raw []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	d := &net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", in.SMTP.addr())
	if err != nil {
		return fmt.Errorf("connect to SMTP %s: %w", in.SMTP.addr(), err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(c.cfg.Timeout))
	}
	var cl *smtp.Client
	switch in.SMTP.TLS {
	case "tls":
		cl = smtp.NewClient(tlsClient(conn, c.tlsConfig(in.SMTP.Host)))
	case "starttls":
		cl, err = smtp.NewClientStartTLS(conn, c.tlsConfig(in.SMTP.Host))
		if err != nil {
			conn.Close()
			return fmt.Errorf("STARTTLS with SMTP %s: %w", in.SMTP.addr(), err)
		}
	default:
		cl = smtp.NewClient(conn)
	}
	defer cl.Close()
	if in.SMTP.Username != "" {
		if err := cl.Auth(sasl.NewPlainClient("", in.SMTP.Username, in.SMTP.Password)); err != nil {
			return fmt.Errorf("SMTP login to %s as %s: %w", in.SMTP.addr(), in.SMTP.Username, err)
		}
	}
	if err := cl.SendMail(in.Address, []string{rcpt}, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("SMTP send: %w", err)
	}
	if err := cl.Quit(); err != nil {
		c.log.Debug("smtp quit", "err", err) // the mail was accepted already
	}
	return nil
}
