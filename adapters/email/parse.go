package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode ISO-8859-*, Windows-125x, … bodies and headers
	"github.com/emersion/go-message/mail"

	"github.com/switchboard/switchboard/bridge"
)

// maxMailBytes bounds one parsed mail; larger mail is cut (attachments are
// fetched again by DownloadMedia, so only the text matters here).
const maxMailBytes = 32 << 20

// Parsed is one mail as the bridge sees it: a customer message, a failed
// delivery receipt (a bounce) or nothing (Skip says why).
type Parsed struct {
	Message *bridge.InboundMessage
	Receipt *bridge.DeliveryReceipt
	// Skip is why the mail is neither ("own", "auto-reply", "bounce"),
	// empty when Message or Receipt is set.
	Skip string
}

// MediaRef says where an attachment can be fetched again: the mailbox,
// its UIDVALIDITY, the mail's UID and the attachment's position among the
// mail's attachments (in the order Parse met them).
type MediaRef struct {
	Inbox       bridge.InboxID
	UIDValidity uint32
	UID         uint32
	Index       int
}

// String encodes the reference as a Media.ID:
// "<inbox>/<uidvalidity>/<uid>/<index>". Only this package parses it.
func (r MediaRef) String() string {
	return fmt.Sprintf("%s/%d/%d/%d", r.Inbox, r.UIDValidity, r.UID, r.Index)
}

// ParseMediaRef reads a Media.ID made by MediaRef.String.
func ParseMediaRef(id string) (MediaRef, error) {
	i := strings.LastIndex(id, "/")
	j := -1
	if i > 0 {
		j = strings.LastIndex(id[:i], "/")
	}
	k := -1
	if j > 0 {
		k = strings.LastIndex(id[:j], "/")
	}
	if k <= 0 {
		return MediaRef{}, fmt.Errorf("e-mail media id %q: want inbox/uidvalidity/uid/index", id)
	}
	var r MediaRef
	r.Inbox = bridge.InboxID(id[:k])
	if _, err := fmt.Sscanf(id[k+1:], "%d/%d/%d", &r.UIDValidity, &r.UID, &r.Index); err != nil {
		return MediaRef{}, fmt.Errorf("e-mail media id %q: %w", id, err)
	}
	return r, nil
}

// Parse turns one raw RFC 5322 mail that arrived in inbox (whose own
// address is self) into what the bridge stores. loc is where the mail
// sits in the mailbox, for Media ids (Index is filled in per attachment).
func Parse(inbox bridge.InboxID, self string, raw []byte, loc MediaRef) (Parsed, error) {
	if len(raw) > maxMailBytes {
		raw = raw[:maxMailBytes]
	}
	ent, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return Parsed{}, fmt.Errorf("read mail: %w", err)
	}
	h := mail.Header{Header: ent.Header}

	from, _ := h.AddressList("From")
	var sender *mail.Address
	if len(from) > 0 {
		sender = from[0]
	} else if s := h.Get("From"); s != "" {
		sender = &mail.Address{Address: strings.Trim(strings.TrimSpace(s), "<>")}
	}
	if sender == nil || sender.Address == "" {
		return Parsed{}, errors.New("mail has no From address")
	}
	addr := strings.ToLower(sender.Address)
	if strings.EqualFold(addr, self) {
		return Parsed{Skip: "own"}, nil
	}

	if isBounce(h, addr) {
		return parseBounce(inbox, h, ent), nil
	}
	if isAutoReply(h) {
		return Parsed{Skip: "auto-reply"}, nil
	}

	// The customer is whom a reply goes to: Reply-To when the mail has
	// one (web forms send From: noreply@… with the visitor in Reply-To),
	// else From. Who sent it is judged on From (RFC 5322 section 3.6.2).
	customer, name := addr, strings.TrimSpace(sender.Name)
	if rt, _ := h.AddressList("Reply-To"); len(rt) > 0 && rt[0].Address != "" && !strings.EqualFold(rt[0].Address, self) {
		customer = strings.ToLower(rt[0].Address)
		name = cmpOr(strings.TrimSpace(rt[0].Name), name)
	}
	auth := authenticated(h, domainOf(addr))
	msg := bridge.InboundMessage{
		Inbox:           inbox,
		ExternalID:      messageID(h, raw),
		From:            bridge.CustomerAddress(customer),
		FromEmail:       customer,
		ProfileName:     name,
		Kind:            bridge.KindText,
		EmailAuthFailed: auth == authFailed,
		EmailUnverified: auth == authFailed || domainOf(customer) != domainOf(addr),
	}
	msg.Subject, _ = h.Subject()
	if t, err := h.Date(); err == nil {
		msg.SentAt = t.UTC()
	}
	if ids, _ := h.MsgIDList("In-Reply-To"); len(ids) > 0 {
		msg.ReplyTo = "<" + ids[0] + ">"
	}

	var plain, html string
	var atts []bridge.Media
	walkErr := eachPart(ent, func(part *message.Entity, mt, name string, attachment bool) {
		if !attachment {
			body, _ := io.ReadAll(io.LimitReader(part.Body, maxMailBytes))
			switch {
			case mt == "text/html" && html == "":
				html = string(body)
			case mt != "text/html" && plain == "":
				plain = string(body)
			}
			return
		}
		ref := loc
		ref.Inbox = inbox
		ref.Index = len(atts)
		atts = append(atts, bridge.Media{ID: ref.String(), MimeType: mt, Filename: name})
	})
	if walkErr != nil {
		return Parsed{}, fmt.Errorf("walk mail parts: %w", walkErr)
	}

	text := plain
	if strings.TrimSpace(text) == "" && html != "" {
		text = htmlToText(html)
	}
	msg.Text = StripQuoted(text)

	// One bridge message per mail: the first attachment becomes the
	// message's media with the text as its caption; further attachments
	// are named in the text so the agent knows they exist (Raw keeps the
	// list).
	if len(atts) > 0 {
		m := atts[0]
		msg.Media = &m
		msg.Kind = kindFor(m.MimeType)
		if len(atts) > 1 {
			var names []string
			for _, a := range atts[1:] {
				names = append(names, cmpOr(a.Filename, a.MimeType))
			}
			msg.Text = strings.TrimSpace(msg.Text + "\n\n[+ " + strings.Join(names, ", ") + "]")
		}
	}
	msg.Raw = rawSummary(msg, atts)
	return Parsed{Message: &msg}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// eachPart calls fn for every leaf part of ent, in order, saying whether
// it is the mail's text (text/plain or text/html, inline, unnamed) or an
// attachment (anything else, inline images included). Of a
// multipart/alternative only the text versions count: the other versions
// (text/enriched, application/x-whatever) are the same message again.
// Parse and DownloadMedia both walk with it, so attachment n is the same
// part for both.
func eachPart(ent *message.Entity, fn func(part *message.Entity, mt, name string, attachment bool)) error {
	alternatives := map[string]bool{}
	return ent.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil {
			return nil // a broken part is left out; the rest still shows
		}
		mt, params, _ := part.Header.ContentType()
		if strings.HasPrefix(mt, "multipart/") {
			if mt == "multipart/alternative" {
				alternatives[fmt.Sprint(path)] = true
			}
			return nil
		}
		disp, dparams, _ := part.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
			name = dec
		}
		isText := mt == "text/plain" || mt == "text/html" || mt == ""
		inAlternative := len(path) > 0 && alternatives[fmt.Sprint(path[:len(path)-1])]
		switch {
		case disp != "attachment" && isText && name == "":
			fn(part, mt, name, false)
		case inAlternative && disp != "attachment":
			// another rendering of the text
		default:
			if name == "" && mt == "message/rfc822" {
				name = "message.eml"
			}
			fn(part, mt, name, true)
		}
		return nil
	})
}

// kindFor is the bridge kind shown for an attachment's type.
func kindFor(mimeType string) bridge.MessageKind {
	switch {
	case strings.HasPrefix(mimeType, "image/"):
		return bridge.KindImage
	case strings.HasPrefix(mimeType, "audio/"):
		return bridge.KindAudio
	case strings.HasPrefix(mimeType, "video/"):
		return bridge.KindVideo
	}
	return bridge.KindDocument
}

// rawSummary is what InboundMessage.Raw keeps of a mail: its ids and
// every attachment (the whole mail stays in the mailbox).
func rawSummary(m bridge.InboundMessage, atts []bridge.Media) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"message_id":%q,"subject":%q,"attachments":[`, m.ExternalID, m.Subject)
	for i, a := range atts {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%q,"mime_type":%q,"filename":%q}`, a.ID, a.MimeType, a.Filename)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// messageID is the mail's Message-ID in angle brackets, or, when the
// sender left it out, a stable one made from the headers that identify
// the mail (so the same mail fetched twice gets the same id).
func messageID(h mail.Header, raw []byte) string {
	if id, err := h.MessageID(); err == nil && id != "" {
		return "<" + id + ">"
	}
	sum := sha256.New()
	for _, k := range []string{"From", "To", "Date", "Subject", "In-Reply-To"} {
		sum.Write([]byte(k + ":" + h.Get(k) + "\n"))
	}
	if h.Get("Date") == "" {
		sum.Write(raw) // nothing else tells two such mails apart
	}
	return "<" + hex.EncodeToString(sum.Sum(nil))[:32] + "@switchboard.invalid>"
}

// isAutoReply says whether a mail was sent by a program, not a person
// (RFC 3834 Auto-Submitted; Precedence and X-Autoreply used by older
// vacation responders and mailing lists).
func isAutoReply(h mail.Header) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	return h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != ""
}

// isBounce says whether a mail is a delivery status notification (RFC
// 3464 multipart/report; report-type=delivery-status) or comes from a
// mailer daemon.
func isBounce(h mail.Header, from string) bool {
	mt, params, _ := h.ContentType()
	if mt == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		return true
	}
	local, _, _ := strings.Cut(from, "@")
	return local == "mailer-daemon" || local == "postmaster"
}

// parseBounce makes a failed receipt for the mail a bounce returns, when
// the bounce carries that mail's headers (RFC 3464 section 2: a
// message/rfc822 or text/rfc822-headers part); otherwise it is skipped.
func parseBounce(inbox bridge.InboxID, h mail.Header, ent *message.Entity) Parsed {
	var original, recipient string
	_ = ent.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil {
			return nil
		}
		mt, _, _ := part.Header.ContentType()
		switch mt {
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers":
			inner, err := message.Read(io.LimitReader(part.Body, 1<<20))
			if err == nil || message.IsUnknownCharset(err) {
				ih := mail.Header{Header: inner.Header}
				if id, err := ih.MessageID(); err == nil && id != "" && original == "" {
					original = "<" + id + ">"
				}
				if to, err := ih.AddressList("To"); err == nil && len(to) > 0 && recipient == "" {
					recipient = strings.ToLower(to[0].Address)
				}
			}
		}
		return nil
	})
	if original == "" {
		return Parsed{Skip: "bounce"}
	}
	at, _ := h.Date()
	return Parsed{Receipt: &bridge.DeliveryReceipt{
		Inbox:      inbox,
		ExternalID: original,
		Status:     bridge.ReceiptFailed,
		At:         at.UTC(),
		Recipient:  bridge.CustomerAddress(recipient),
		Reason:     bridge.ReasonUndeliverable,
		Errors:     []bridge.PlatformError{{Title: "bounced", Message: h.Get("Subject")}},
	}}
}

// attribution lines that introduce a quoted earlier mail, as Gmail,
// Apple Mail, Thunderbird and Outlook write them in English, Spanish and
// Portuguese; the line may be wrapped in two.
var attribution = regexp.MustCompile(`(?i)^(on\s.+\swrote:|el\s.+\sescribi[óo]:|em\s.+\sescreveu:|-+\s*original message\s*-+|-+\s*mensaje original\s*-+|-+\s*mensagem original\s*-+)\s*$`)

// StripQuoted removes the earlier mails a reply quotes, so the thread
// shows only what is new: everything from an attribution line ("On … wrote:",
// "El … escribió:", "Em … escreveu:", "-----Original Message-----") on,
// and every block of lines starting with ">". If nothing would be left,
// the text is returned whole.
func StripQuoted(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if attribution.MatchString(line) {
			break
		}
		if i+1 < len(lines) && attribution.MatchString(line+" "+strings.TrimSpace(lines[i+1])) {
			break
		}
		if strings.HasPrefix(line, ">") {
			continue
		}
		out = append(out, strings.TrimRight(lines[i], " \t"))
	}
	res := strings.TrimSpace(strings.Join(out, "\n"))
	if res == "" {
		return strings.TrimSpace(text)
	}
	return res
}

// dateOr is t, or now when the mail had no usable Date.
func dateOr(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}
