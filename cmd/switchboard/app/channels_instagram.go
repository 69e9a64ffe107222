package app

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/adapters/instagram"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// buildInstagram adds the instagram channel to set when it is configured:
// one client sending for every account (each through Instagram Login or
// its Page) and the webhook at /webhooks/instagram.
func buildInstagram(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics, set *channelSet) error {
	ig := cfg.Instagram
	if len(ig.Inboxes) == 0 {
		return nil
	}
	var accounts []instagram.Account
	var ids []string
	for _, in := range ig.Inboxes {
		accounts = append(accounts, instagram.Account{ID: in.AccountID, AccessToken: in.AccessToken, PageID: in.PageID})
		ids = append(ids, in.AccountID)
	}
	client := instagram.NewClient(accounts...)
	client.BaseURL, client.PageBaseURL, client.APIVersion = ig.GraphAPIURL, ig.PageGraphAPIURL, ig.APIVersion
	if tune.HTTPClient != nil {
		client.HTTPClient = tune.HTTPClient
	}
	set.customers[bridge.ChannelInstagram] = client
	set.webhooks = append(set.webhooks, func(r fiber.Router, in bridge.CustomerInbound) {
		(&instagram.Webhook{AppSecret: ig.AppSecret, VerifyToken: ig.VerifyToken, Inbound: in, Inboxes: instagram.NewInboxFilter(ids...),
			Metrics: metrics, Log: log}).Register(r)
	})
	return nil
}
