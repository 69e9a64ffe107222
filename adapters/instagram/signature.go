package instagram

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// SignatureHeader is the header in which Meta signs every webhook POST:
// "sha256=" + hex HMAC-SHA256 of the raw body keyed with the app secret.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

// Errors returned by VerifySignature; the webhook answers 401 for each.
var (
	ErrSignatureMissing   = errors.New("missing " + SignatureHeader + " header")
	ErrSignatureMalformed = errors.New("malformed " + SignatureHeader + " header: want sha256=<64 hex digits>")
	ErrSignatureMismatch  = errors.New(SignatureHeader + " does not match the body: wrong app secret or altered body")
	ErrNoAppSecret        = errors.New("instagram.app_secret is not configured")
)

// VerifySignature checks header against the raw body exactly as received.
// An empty appSecret is an error, never a pass.
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

// Sign returns the X-Hub-Signature-256 value Meta would send for body.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return signaturePrefix + hex.EncodeToString(mac.Sum(nil))
}
