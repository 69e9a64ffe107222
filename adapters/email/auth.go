package email

import (
	"strings"

	"github.com/emersion/go-message/mail"
)

// authResult is what the receiving server's Authentication-Results
// header (RFC 8601) says of a mail's From domain.
type authResult int

const (
	authUnknown authResult = iota // no header: the server does not check
	authPassed                    // dmarc=pass, or dkim=pass for the From domain
	authFailed                    // checked, and neither passed
)

// authenticated reads the topmost Authentication-Results header: servers
// add theirs on top (RFC 8601 section 5), so the first is the one our
// receiving server wrote, and older ones below may be the sender's own
// claims. A mail passes with dmarc=pass, or with dkim=pass whose signing
// domain (header.d, or header.i's domain) is the From domain or a parent
// of it.
func authenticated(h mail.Header, fromDomain string) authResult {
	fields := h.Header.Values("Authentication-Results")
	if len(fields) == 0 {
		return authUnknown
	}
	// authserv-id [version]; resinfo; resinfo; … (comments in parentheses
	// are dropped first).
	parts := strings.Split(stripComments(fields[0]), ";")
	for _, res := range parts[1:] {
		words := strings.Fields(strings.TrimSpace(res))
		if len(words) == 0 {
			continue
		}
		method, result, _ := strings.Cut(strings.ToLower(words[0]), "=")
		if result != "pass" {
			continue
		}
		switch method {
		case "dmarc":
			return authPassed
		case "dkim":
			for _, prop := range words[1:] {
				k, v, _ := strings.Cut(strings.ToLower(prop), "=")
				if k == "header.i" {
					v = domainOf(v)
				}
				if (k == "header.d" || k == "header.i") && v != "" &&
					(fromDomain == v || strings.HasSuffix(fromDomain, "."+v)) {
					return authPassed
				}
			}
		}
	}
	return authFailed
}

// stripComments removes RFC 5322 comments ("(…)", nested) from s.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// domainOf is the lower-cased domain of an address ("" without one).
func domainOf(addr string) string {
	_, d, ok := strings.Cut(addr, "@")
	if !ok {
		return ""
	}
	return strings.ToLower(strings.Trim(d, "> "))
}
