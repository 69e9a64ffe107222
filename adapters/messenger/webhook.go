package messenger

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// WebhookPath is where the Meta app's messenger webhook points (GET
// handshake, POST deliveries).
const WebhookPath = "/webhooks/messenger"

// Webhook serves the Page webhook (object "page"): the verification handshake and signed
// deliveries, through metamsg.Handler (shared with the other Messenger
// Platform channel). A delivery is acknowledged only after Inbound has
// stored it; oversized bodies get 413 from the server's body limit,
// unsigned ones 401, malformed ones 400.
type Webhook struct {
	// AppSecret keys the X-Hub-Signature-256 HMAC; empty refuses every
	// POST with 503.
	AppSecret string
	// VerifyToken is the token typed into the app dashboard; empty refuses
	// every handshake.
	VerifyToken string
	// AppID, when set, is our Meta app's id: echoes with it are ours and
	// dropped (besides those carrying metamsg.EchoTag).
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
	(&metamsg.Handler{Channel: bridge.ChannelMessenger, Path: WebhookPath, Parse: Parse,
		AppSecret: w.AppSecret, VerifyToken: w.VerifyToken, AppID: w.AppID, Inboxes: w.Inboxes,
		Inbound: w.Inbound, Metrics: w.Metrics, Log: w.Log}).Register(r)
}

// InboxFilter keeps a delivery's events for the configured inboxes only.
type InboxFilter = metamsg.InboxFilter

// NewInboxFilter is a filter for the configured inbox ids.
func NewInboxFilter(ids ...string) *InboxFilter { return metamsg.NewInboxFilter(ids...) }
