package metamsg

import (
	"bytes"
	"crypto/subtle"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
)

// Handler serves one Messenger Platform webhook — Messenger's (object
// "page") or Instagram's (object "instagram") — which differ only in
// their path, their parser and the channel they report: the verification
// handshake and signed deliveries. A delivery is acknowledged only after
// Inbound has stored it, so a failure makes Meta retry rather than lose a
// message; oversized bodies get 413 from the server's body limit
// (fiber.Config.BodyLimit) before they reach the handler, unsigned ones
// 401, malformed ones 400, and a missing app secret 503.
type Handler struct {
	Channel bridge.Channel // names logs, metrics and the config section
	Path    string
	// Parse reads a verified body; appID drops echoes of our own sends.
	Parse func(body []byte, appID string) (bridge.CustomerWebhook, []error, error)
	// AppSecret keys X-Hub-Signature-256; empty refuses every POST (503).
	AppSecret string
	// VerifyToken is the token typed into the Meta app for the GET
	// handshake; empty refuses every handshake.
	VerifyToken string
	// AppID, when set, drops echoes that carry it (our own sends), besides
	// those carrying EchoTag.
	AppID string
	// Inboxes, when set, are the configured inboxes: events of any other
	// Page or account are acknowledged and dropped.
	Inboxes *InboxFilter
	Inbound bridge.CustomerInbound
	Metrics *bridge.Metrics // may be nil
	Log     *slog.Logger    // may be nil
}

// Register mounts the handshake and the delivery endpoint on r.
func (h *Handler) Register(r fiber.Router) {
	r.Get(h.Path, h.handleVerify)
	r.Post(h.Path, h.handleDelivery)
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log.With("channel", string(h.Channel))
}

// handleVerify answers the subscription handshake; the token is compared
// in constant time and never logged.
func (h *Handler) handleVerify(c *fiber.Ctx) error {
	mode := c.Query("hub.mode")
	token := c.Query("hub.verify_token")
	if mode != "subscribe" || h.VerifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(h.VerifyToken)) != 1 {
		h.log().Warn("webhook verification refused", "mode", mode, "token_present", token != "")
		return c.Status(fiber.StatusForbidden).SendString("verification failed")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Status(fiber.StatusOK).SendString(c.Query("hub.challenge"))
}

func (h *Handler) handleDelivery(c *fiber.Ctx) error {
	log, platform := h.log(), string(h.Channel)
	if h.AppSecret == "" {
		h.Metrics.Webhook(platform, bridge.ResultError)
		msg := platform + ".app_secret is not configured"
		log.Error("webhook refused: " + msg)
		return c.Status(fiber.StatusServiceUnavailable).SendString(msg)
	}
	if err := VerifySignature(h.AppSecret, c.Body(), c.Get(SignatureHeader)); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultUnauthorized)
		log.Warn("webhook signature rejected", "err", err, "ip", c.IP())
		return c.Status(fiber.StatusUnauthorized).SendString("invalid signature")
	}
	// fasthttp reuses the request buffer once the handler returns; the
	// bridge keeps Raw bytes, so work on a private copy.
	body := bytes.Clone(c.Body())
	hook, dropped, err := h.Parse(body, h.AppID)
	if err != nil {
		h.Metrics.Webhook(platform, bridge.ResultBadRequest)
		log.Warn("webhook malformed", "err", err, "bytes", len(body))
		return c.Status(fiber.StatusBadRequest).SendString("malformed webhook")
	}
	for _, d := range dropped {
		// Errors name positions and JSON types, never an id or a text.
		log.Warn("webhook item left out", "err", d)
	}
	hook = h.Inboxes.Keep(hook, h.Channel, log)
	if len(hook.Messages) == 0 && len(hook.Receipts) == 0 {
		// Only our own echoes, or fields we do not handle: acknowledge so
		// Meta does not retry something we will never use.
		h.Metrics.Webhook(platform, bridge.ResultIgnored)
		return c.SendStatus(fiber.StatusOK)
	}
	if h.Inbound == nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("webhook has no inbound handler")
		return c.Status(fiber.StatusServiceUnavailable).SendString("not ready")
	}
	if err := h.Inbound.HandleCustomerWebhook(c.UserContext(), hook); err != nil {
		h.Metrics.Webhook(platform, bridge.ResultError)
		log.Error("webhook not stored; Meta will retry", "err", err,
			"messages", len(hook.Messages), "receipts", len(hook.Receipts))
		return c.Status(fiber.StatusServiceUnavailable).SendString("temporarily unavailable")
	}
	h.Metrics.Webhook(platform, bridge.ResultAccepted)
	log.Debug("webhook stored", "messages", len(hook.Messages), "receipts", len(hook.Receipts))
	return c.SendStatus(fiber.StatusOK)
}
