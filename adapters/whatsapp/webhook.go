package whatsapp

import (
	"bytes"
	"crypto/subtle"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
)

// WebhookPath is where Meta is configured to call us (GET handshake, POST
// deliveries).
const WebhookPath = "/webhooks/whatsapp"

// platform is the label this adapter reports metrics under.
const platform = "whatsapp"

// Webhook serves Meta's webhook: the verification handshake and signed
// deliveries. It acknowledges a delivery only after Inbound has stored it,
// so a failure makes Meta retry rather than lose a message.
type Webhook struct {
	// AppSecret keys the X-Hub-Signature-256 HMAC. Empty means every POST
	// is refused with 503: unsigned deliveries are never accepted.
	AppSecret string
	// VerifyToken is the token typed into Meta's dashboard for the GET
	// handshake. Empty refuses every handshake.
	VerifyToken string
	Inbound     bridge.CustomerInbound
	Metrics     *bridge.Metrics // may be nil
	Log         *slog.Logger    // may be nil
}

// Register mounts the handshake and the delivery endpoint on r.
func (w *Webhook) Register(r fiber.Router) {
	r.Get(WebhookPath, w.handleVerify)
	r.Post(WebhookPath, w.handleDelivery)
}

func (w *Webhook) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

// handleVerify answers Meta's subscription handshake. The token is compared
// in constant time and never logged.
func (w *Webhook) handleVerify(c *fiber.Ctx) error {
	mode := c.Query("hub.mode")
	token := c.Query("hub.verify_token")
	if mode != "subscribe" || w.VerifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(w.VerifyToken)) != 1 {
		w.log().Warn("whatsapp webhook verification refused", "mode", mode, "token_present", token != "")
		return c.Status(fiber.StatusForbidden).SendString("verification failed")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Status(fiber.StatusOK).SendString(c.Query("hub.challenge"))
}

func (w *Webhook) handleDelivery(c *fiber.Ctx) error {
	log := w.log()
	if w.AppSecret == "" {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("whatsapp webhook refused: whatsapp.app_secret is not configured")
		return c.Status(fiber.StatusServiceUnavailable).SendString("whatsapp.app_secret is not configured")
	}
	if err := VerifySignature(w.AppSecret, c.Body(), c.Get(SignatureHeader)); err != nil {
		w.Metrics.Webhook(platform, bridge.ResultUnauthorized)
		log.Warn("whatsapp webhook signature rejected", "err", err, "ip", c.IP())
		return c.Status(fiber.StatusUnauthorized).SendString("invalid signature")
	}
	// fasthttp reuses the request buffer once the handler returns; the
	// bridge may keep Raw message bytes, so work on a private copy.
	body := bytes.Clone(c.Body())
	hook, dropped, err := ParseDelivery(body)
	if err != nil {
		w.Metrics.Webhook(platform, bridge.ResultBadRequest)
		log.Warn("whatsapp webhook malformed", "err", err, "bytes", len(body))
		return c.Status(fiber.StatusBadRequest).SendString("malformed webhook")
	}
	for _, d := range dropped {
		// Errors name positions and JSON types, never a phone number.
		log.Warn("whatsapp webhook item left out", "err", d, "inbox", inboxOf(hook))
	}
	if len(hook.Messages) == 0 && len(hook.Receipts) == 0 && len(hook.Templates) == 0 {
		// Only fields we do not handle (user_preferences, …): acknowledge
		// so Meta does not retry something we will never use.
		w.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	if w.Inbound == nil {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("whatsapp webhook has no inbound handler")
		return c.Status(fiber.StatusServiceUnavailable).SendString("not ready")
	}
	if err := w.Inbound.HandleCustomerWebhook(c.UserContext(), hook); err != nil {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("whatsapp webhook not stored; Meta will retry", "err", err,
			"messages", len(hook.Messages), "receipts", len(hook.Receipts), "templates", len(hook.Templates), "inbox", inboxOf(hook))
		return c.Status(fiber.StatusServiceUnavailable).SendString("temporarily unavailable")
	}
	w.Metrics.Webhook(platform, bridge.ResultAccepted)
	log.Debug("whatsapp webhook stored", "messages", len(hook.Messages), "receipts", len(hook.Receipts),
		"templates", len(hook.Templates), "inbox", inboxOf(hook))
	return c.SendStatus(fiber.StatusOK)
}

// inboxOf names the business number a delivery was for. It is our own
// phone_number_id (an opaque Graph id), not a customer's phone, so it may
// be logged.
func inboxOf(h bridge.CustomerWebhook) string {
	if len(h.Messages) > 0 {
		return string(h.Messages[0].Inbox)
	}
	if len(h.Receipts) > 0 {
		return string(h.Receipts[0].Inbox)
	}
	return ""
}
