package whatsapp

import (
	"errors"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
)

// SignatureHeader is the header in which Meta signs every webhook POST.
const SignatureHeader = metamsg.SignatureHeader

// Errors returned by VerifySignature. The webhook answers 401 for the first
// three; ErrNoAppSecret is a configuration fault and the webhook answers 503.
// They are metamsg's (the check is shared with Messenger and Instagram).
var (
	ErrSignatureMissing   = metamsg.ErrSignatureMissing
	ErrSignatureMalformed = metamsg.ErrSignatureMalformed
	ErrSignatureMismatch  = metamsg.ErrSignatureMismatch
	ErrNoAppSecret        = errors.New("whatsapp.app_secret is not configured")
)

// VerifySignature checks header (the X-Hub-Signature-256 value,
// "sha256=<hex>") against HMAC-SHA256 of the raw body keyed with the app
// secret (metamsg.VerifySignature). An empty appSecret is an error, never
// a pass.
func VerifySignature(appSecret string, body []byte, header string) error {
	if appSecret == "" {
		return ErrNoAppSecret
	}
	return metamsg.VerifySignature(appSecret, body, header)
}
