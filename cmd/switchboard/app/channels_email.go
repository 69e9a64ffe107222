package app

import (
	"log/slog"

	"github.com/switchboard/switchboard/adapters/email"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// buildEmail adds the email channel to set when it is configured: one
// client sends for every inbox, and each inbox gets its own IMAP receiver
// (App.startReceivers restarts a receiver whose connection failed).
func buildEmail(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics, set *channelSet) error {
	_ = metrics
	if len(cfg.Email.Inboxes) == 0 {
		return nil
	}
	server := func(s configs.MailServer) email.Server {
		return email.Server{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password, TLS: s.TLS}
	}
	var inboxes []email.Inbox
	for _, in := range cfg.Email.Inboxes {
		inboxes = append(inboxes, email.Inbox{Address: in.Address, Name: in.Name, IMAP: server(in.IMAP), SMTP: server(in.SMTP)})
	}
	client := email.NewClient(email.Config{Inboxes: inboxes, Log: log.With("channel", "email"), Now: tune.Now})
	set.customers[bridge.ChannelEmail] = client
	for _, in := range cfg.Email.Inboxes {
		set.receivers = append(set.receivers, client.Receiver(bridge.InboxID(in.Address)))
	}
	return nil
}
