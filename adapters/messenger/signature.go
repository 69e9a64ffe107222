package messenger

import "github.com/switchboard/switchboard/adapters/internal/metamsg"

// VerifySignature checks X-Hub-Signature-256 (metamsg.VerifySignature,
// shared with WhatsApp and Instagram).
func VerifySignature(appSecret string, body []byte, header string) error {
	return metamsg.VerifySignature(appSecret, body, header)
}
