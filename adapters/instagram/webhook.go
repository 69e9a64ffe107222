package instagram

import (
	"bytes"
	"crypto/subtle"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// WebhookPath is where the Meta app's Instagram webhook calls us (GET
// handshake, POST deliveries).
const WebhookPath = "/webhooks/instagram"

// platform is the label this adapter reports metrics under.
const platform = "instagram"

// Webhook serves Instagram's webhook: the verification handshake and
// signed deliveries. A delivery is acknowledged only after Inbound has
// stored it, so a failure makes Meta retry rather than lose a message.
// Oversized bodies are refused with 413 by the server's body limit
// (fiber.Config.BodyLimit) before they reach the handler.
type Webhook struct {
	// AppSecret keys X-Hub-Signature-256. Empty refuses every POST (503).
	AppSecret string
	// VerifyToken is the token typed into the Meta app for the GET
	// handshake. Empty refuses every handshake.
	VerifyToken string
	// AppID, when set, drops echoes that carry it (our own sends).
	AppID string
	// Inboxes, when set, are the configured inboxes: events of any other
	// Page or account are acknowledged and dropped (metamsg.InboxFilter).
	Inboxes *metamsg.InboxFilter
	Inbound bridge.CustomerInbound
	Metrics *bridge.Metrics // may be nil
	Log     *slog.Logger    // may be nil
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

// handleVerify answers the subscription handshake; the token is compared
// in constant time and never logged.
func (w *Webhook) handleVerify(c *fiber.Ctx) error {
	mode := c.Query("hub.mode")
	token := c.Query("hub.verify_token")
	if mode != "subscribe" || w.VerifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(w.VerifyToken)) != 1 {
		w.log().Warn("instagram webhook verification refused", "mode", mode, "token_present", token != "")
		return c.Status(fiber.StatusForbidden).SendString("verification failed")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Status(fiber.StatusOK).SendString(c.Query("hub.challenge"))
}

func (w *Webhook) handleDelivery(c *fiber.Ctx) error {
	log := w.log()
	if w.AppSecret == "" {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("instagram webhook refused: instagram.app_secret is not configured")
		return c.Status(fiber.StatusServiceUnavailable).SendString("instagram.app_secret is not configured")
	}
	if err := metamsg.VerifySignature(w.AppSecret, c.Body(), c.Get(metamsg.SignatureHeader)); err != nil {
		w.Metrics.Webhook(platform, bridge.ResultUnauthorized)
		log.Warn("instagram webhook signature rejected", "err", err, "ip", c.IP())
		return c.Status(fiber.StatusUnauthorized).SendString("invalid signature")
	}
	// fasthttp reuses the request buffer once the handler returns; the
	// bridge keeps Raw bytes, so work on a private copy.
	body := bytes.Clone(c.Body())
	hook, dropped, err := ParseDelivery(body, w.AppID)
	if err != nil {
		w.Metrics.Webhook(platform, bridge.ResultBadRequest)
		log.Warn("instagram webhook malformed", "err", err, "bytes", len(body))
		return c.Status(fiber.StatusBadRequest).SendString("malformed webhook")
	}
	for _, d := range dropped {
		// Errors name positions and JSON types, never an id or a text.
		log.Warn("instagram webhook item left out", "err", d)
	}
	hook = w.Inboxes.Keep(hook, bridge.ChannelInstagram, log)
	if len(hook.Messages) == 0 && len(hook.Receipts) == 0 {
		// Only our own echoes or fields we do not handle: acknowledge so
		// Meta does not retry something we will never use.
		w.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	if w.Inbound == nil {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("instagram webhook has no inbound handler")
		return c.Status(fiber.StatusServiceUnavailable).SendString("not ready")
	}
	if err := w.Inbound.HandleCustomerWebhook(c.UserContext(), hook); err != nil {
		w.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("instagram webhook not stored; Meta will retry", "err", err,
			"messages", len(hook.Messages), "receipts", len(hook.Receipts))
		return c.Status(fiber.StatusServiceUnavailable).SendString("temporarily unavailable")
	}
	w.Metrics.Webhook(platform, bridge.ResultAccepted)
	log.Debug("instagram webhook stored", "messages", len(hook.Messages), "receipts", len(hook.Receipts))
	return c.SendStatus(fiber.StatusOK)
}

// InboxFilter keeps a delivery's events for the configured inboxes only.
type InboxFilter = metamsg.InboxFilter

// NewInboxFilter is a filter for the configured inbox ids.
func NewInboxFilter(ids ...string) *InboxFilter { return metamsg.NewInboxFilter(ids...) }
