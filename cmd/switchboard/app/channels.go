package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// channelSet is the customer channels beside WhatsApp (issue 12), built
// from the configuration: what sends for each, the webhook routes that
// receive for them, and the receivers that run in the background (the
// e-mail channel's IMAP IDLE loop).
type channelSet struct {
	customers map[bridge.Channel]bridge.CustomerChannel
	// webhooks register each channel's HTTP endpoints; in stores what
	// they receive.
	webhooks []func(r fiber.Router, in bridge.CustomerInbound)
	// receivers run until ctx ends, storing what they receive through in;
	// App.Start starts them and Stop waits for them.
	receivers []func(ctx context.Context, in bridge.CustomerInbound) error
}

// buildChannels builds every configured channel beside WhatsApp.
func buildChannels(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics) (*channelSet, error) {
	set := &channelSet{customers: map[bridge.Channel]bridge.CustomerChannel{}}
	for _, build := range []func(*configs.Config, Tuning, *slog.Logger, *bridge.Metrics, *channelSet) error{
		buildMessenger, // channels_messenger.go
		buildInstagram, // channels_instagram.go
		buildEmail,     // channels_email.go
	} {
		if err := build(cfg, tune, log, metrics, set); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// channelInboxes are the inboxes of the channels beside WhatsApp, as the
// bridge knows them.
func channelInboxes(cfg *configs.Config) []bridge.Inbox {
	var out []bridge.Inbox
	for _, in := range cfg.Messenger.Inboxes {
		out = append(out, bridge.Inbox{ID: bridge.InboxID(in.PageID), Channel: bridge.ChannelMessenger, Name: in.Name, Team: in.Team})
	}
	for _, in := range cfg.Instagram.Inboxes {
		out = append(out, bridge.Inbox{ID: bridge.InboxID(in.AccountID), Channel: bridge.ChannelInstagram, Name: in.Name, Team: in.Team})
	}
	for _, in := range cfg.Email.Inboxes {
		out = append(out, bridge.Inbox{ID: bridge.InboxID(in.Address), Channel: bridge.ChannelEmail, Name: in.Name, Team: in.Team})
	}
	return out
}

// startReceivers runs the background receivers (the IMAP IDLE loops) on
// the elected leader only, as the Discord gateway (leader.go): one IDLE
// connection per mailbox however many replicas run (Gmail allows 15 per
// account), and no replica importing the same mail as another. When
// leadership moves, the old leader stops them and the new one starts
// them. Each receiver that stops with an error runs again after a pause
// (a mail server that went away), so a receiver never ends the process.
func (a *App) startReceivers() {
	if len(a.receivers) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	prev := a.bgCancel // Shutdown cancels every background task through it
	a.bgCancel = func() {
		cancel()
		if prev != nil {
			prev()
		}
	}
	dsn := ""
	if a.DB.Dialect == storage.Postgres {
		dsn = a.Config.Database.DSN()
	}
	var (
		running sync.WaitGroup
		stop    context.CancelFunc
	)
	a.receiverLeader = &leadership{name: "email-receivers", dsn: dsn, log: a.log,
		lead: func(lctx context.Context) error {
			rctx, rcancel := context.WithCancel(lctx)
			stop = rcancel
			for _, run := range a.receivers {
				running.Add(1)
				go func() {
					defer running.Done()
					a.runReceiver(rctx, run)
				}()
			}
			return nil
		},
		unlead: func() {
			stop()
			running.Wait()
		}}
	a.receiverLeader.Start()
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if err := a.receiverLeader.Stop(sctx); err != nil {
			a.log.Warn("customer channel receivers did not stop", "err", err)
		}
	}()
}

// runReceiver runs one receiver until ctx ends, again after a pause
// whenever it stops with an error.
func (a *App) runReceiver(ctx context.Context, run func(ctx context.Context, in bridge.CustomerInbound) error) {
	for ctx.Err() == nil {
		err := run(ctx, a.Bridge)
		if ctx.Err() != nil {
			return
		}
		a.log.Warn("customer channel receiver stopped; restarting", "err", err, "in", receiverRestart)
		select {
		case <-ctx.Done():
		case <-time.After(receiverRestart):
		}
	}
}

// ReceiversLeader reports whether this replica runs the customer
// channels' background receivers (the e-mail IMAP loops).
func (a *App) ReceiversLeader() bool {
	return a.receiverLeader != nil && a.receiverLeader.Leader()
}

// receiverRestart is the pause before a stopped receiver runs again.
const receiverRestart = 5 * time.Second
