package metamsg

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// SignatureHeader is the header in which Meta signs every webhook POST.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// Errors returned by VerifySignature; webhooks answer 401 for the first
// three, ErrNoAppSecret is a configuration fault (503).
var (
	ErrSignatureMissing   = errors.New("missing " + SignatureHeader + " header")
	ErrSignatureMalformed = errors.New("malformed " + SignatureHeader + " header: want sha256=<64 hex digits>")
	ErrSignatureMismatch  = errors.New(SignatureHeader + " does not match the body: wrong app secret or altered body")
	ErrNoAppSecret        = errors.New("app_secret is not configured")
)

// VerifySignature checks header ("sha256=<hex>") against HMAC-SHA256 of
// the raw body keyed with the app secret, in constant time. It must get the
// bytes exactly as received: re-serialised JSON breaks the signature. An
// empty appSecret is an error, never a pass.
func VerifySignature(appSecret string, body []byte, header string) error {
	if appSecret == "" {
		return ErrNoAppSecret
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrSignatureMissing
	}
	if len(header) < len(signaturePrefix) || !strings.EqualFold(header[:len(signaturePrefix)], signaturePrefix) {
		return ErrSignatureMalformed
	}
	got, err := hex.DecodeString(header[len(signaturePrefix):])
	if err != nil || len(got) != sha256.Size {
		return ErrSignatureMalformed
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrSignatureMismatch
	}
	return nil
}
