package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-smtp"

	"github.com/switchboard/switchboard/bridge"
)

// classify turns an SMTP or network error into a *bridge.DeliveryError:
// SMTP 4xx replies are transient (greylisting, a full queue, a rate
// limit), 5xx replies permanent with the reason an agent can act on (RFC
// 5321 section 4.2; enhanced codes RFC 3463); network errors are
// transient.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := bridge.AsDeliveryError(err); ok {
		return err
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		de := &bridge.DeliveryError{Code: strconv.Itoa(se.Code), Err: err}
		if se.EnhancedCode != smtp.NoEnhancedCode && se.EnhancedCode != (smtp.EnhancedCode{}) {
			de.Code = fmt.Sprintf("%d %d.%d.%d", se.Code, se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
		}
		switch {
		case se.Code >= 500:
			de.Permanent = true
			de.Reason = permanentReason(se)
		case se.Code == 421 || se.Code == 450 || se.Code == 451 || se.Code == 452:
			de.Reason = bridge.ReasonRateLimited
		default:
			de.Reason = bridge.ReasonNone
		}
		return de
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &bridge.DeliveryError{Code: "network", Err: err}
	}
	return &bridge.DeliveryError{Code: "smtp", Err: err}
}

// permanentReason says why a 5xx reply refused the mail.
func permanentReason(se *smtp.SMTPError) bridge.FailureReason {
	switch se.Code {
	case 530, 534, 535, 538:
		return bridge.ReasonTokenExpired // authentication required or refused: fix the password
	case 550, 551, 553:
		if se.EnhancedCode[0] == 5 && se.EnhancedCode[1] == 7 {
			return bridge.ReasonPolicy // 5.7.x: refused by policy (spam, SPF/DMARC)
		}
		return bridge.ReasonUndeliverable // mailbox unknown or unavailable
	case 552:
		return bridge.ReasonInvalidRequest // message too large
	case 554:
		return bridge.ReasonPolicy
	}
	return bridge.ReasonUndeliverable
}

// MaskEmail masks an e-mail address for logs and error texts: the first
// letter of the local part and the domain stay ("a***@example.org"), so a
// log line still says which kind of mailbox failed without naming the
// customer.
func MaskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return "***"
	}
	_, size := utf8.DecodeRuneInString(local)
	return local[:size] + "***@" + domain
}

// maskedError is err with the customer's address masked in its text;
// errors.As and errors.Is still see err (classify reads the SMTP reply's
// code through it). SMTP servers quote the recipient in their replies
// ("550 5.1.1 <ana@example.org>: Recipient address rejected"), and
// delivery errors reach the logs.
type maskedError struct {
	err  error
	addr string
}

func (m maskedError) Error() string {
	text := m.err.Error()
	if m.addr == "" {
		return text
	}
	low, addr := strings.ToLower(text), strings.ToLower(m.addr)
	var b strings.Builder
	for {
		i := strings.Index(low, addr)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		b.WriteString(MaskEmail(m.addr))
		text, low = text[i+len(addr):], low[i+len(addr):]
	}
}

func (m maskedError) Unwrap() error { return m.err }

// maskAddress hides addr in err's text (nil stays nil).
func maskAddress(err error, addr string) error {
	if err == nil {
		return nil
	}
	return maskedError{err: err, addr: addr}
}

// unsupported is the permanent error for what e-mail cannot carry.
func unsupported(what string) error {
	return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonUnsupported, Code: "unsupported",
		Err: fmt.Errorf("%s is not supported on e-mail", what)}
}
