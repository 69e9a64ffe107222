package app

import (
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/adapters/messenger"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// buildMessenger adds the Messenger channel to set when Pages are
// configured: one client holding every Page's token, and the Page webhook
// at messenger.WebhookPath.
func buildMessenger(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics, set *channelSet) error {
	m := cfg.Messenger
	if len(m.Inboxes) == 0 {
		return nil
	}
	tokens := make(map[bridge.InboxID]string, len(m.Inboxes))
	pages := make([]string, 0, len(m.Inboxes))
	for _, in := range m.Inboxes {
		tokens[bridge.InboxID(in.PageID)] = in.AccessToken
		pages = append(pages, in.PageID)
	}
	client := &messenger.Client{BaseURL: m.GraphAPIURL, APIVersion: m.APIVersion, Tokens: tokens,
		HTTPClient: &http.Client{Timeout: messenger.DefaultTimeout}}
	if tune.HTTPClient != nil {
		client.HTTPClient = tune.HTTPClient
	}
	set.customers[bridge.ChannelMessenger] = client
	set.webhooks = append(set.webhooks, func(r fiber.Router, in bridge.CustomerInbound) {
		(&messenger.Webhook{AppSecret: m.AppSecret, VerifyToken: m.VerifyToken, Inbound: in, Inboxes: messenger.NewInboxFilter(pages...),
			Metrics: metrics, Log: log.With("channel", "messenger")}).Register(r)
	})
	return nil
}
