package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// reportOptions are the flags of `switchboard report`.
type reportOptions struct {
	from, to, period *string
	team, agent      *string
	inbox            *string
	channel, label   *string
	format           *string
	byAgent          *bool
	resummarise      *bool
}

func addReportFlags(fs *flag.FlagSet) *reportOptions {
	return &reportOptions{
		from:        fs.String("from", "", "first day YYYY-MM-DD (or an RFC 3339 instant), in the team's time zone"),
		to:          fs.String("to", "", "last day YYYY-MM-DD, included (or an RFC 3339 instant, excluded)"),
		period:      fs.String("period", "", "today, yesterday, 7d or 30d instead of --from/--to (default 7d)"),
		team:        fs.String("team", "", "one team (default: every team)"),
		agent:       fs.String("agent", "", "one agent's workspace user id"),
		inbox:       fs.String("inbox", "", "one inbox of any channel, by its name or id (phone_number_id, page_id, account_id, address)"),
		channel:     fs.String("channel", "", "one customer channel: whatsapp, messenger, instagram or email (default: every channel, with rows per channel)"),
		label:       fs.String("label", "", "only conversations whose person carries this label (e.g. vip)"),
		format:      fs.String("format", "csv", "csv or json"),
		byAgent:     fs.Bool("by-agent", true, "add one set of rows per agent"),
		resummarise: fs.Bool("resummarise", false, "summarise every conversation again first, e.g. after a team's business hours changed"),
	}
}

// run prints the figures of the period, computed exactly as the
// /switchboard metrics table and the digests (docs/metrics.md).
func (o *reportOptions) run(cfg *configs.Config, out io.Writer) error {
	if *o.format != "csv" && *o.format != "json" {
		return fmt.Errorf("report --format %q: use csv or json", *o.format)
	}
	if *o.team != "" {
		if _, ok := cfg.Team(*o.team); !ok {
			return fmt.Errorf("report --team %q: no such team in %s", *o.team, cfg.Source())
		}
	}
	inbox := ""
	if *o.inbox != "" {
		for _, in := range reportInboxes(cfg) {
			if in.id == *o.inbox || strings.EqualFold(in.name, *o.inbox) {
				inbox = in.id
			}
		}
		if inbox == "" {
			return fmt.Errorf("report --inbox %q: no inbox with that name or id in %s", *o.inbox, cfg.Source())
		}
	}
	channel := strings.ToLower(*o.channel)
	if channel != "" && !slices.Contains(bridge.Channels, bridge.Channel(channel)) {
		return fmt.Errorf("report --channel %q: use whatsapp, messenger, instagram or email", *o.channel)
	}
	label := ""
	if *o.label != "" {
		l, err := contacts.NormalizeLabel(*o.label)
		if err != nil {
			return fmt.Errorf("report --label %q: %w", *o.label, err)
		}
		label = l
	}
	period := *o.period
	if period == "" && *o.from == "" && *o.to == "" {
		period = "7d"
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, app.DatabaseURL(cfg), cfg.Database.MaxOpenConns)
	if err != nil {
		return err
	}
	defer db.Close()
	if pending, err := db.Pending(ctx); err != nil || pending > 0 {
		return errors.New("report: the database is not migrated; run switchboard migrate first")
	}
	if *o.resummarise {
		if err := db.ResummariseReport(ctx); err != nil {
			return err
		}
		if _, err := db.RefreshReport(ctx, app.ReportSource(cfg, db).Hours); err != nil {
			return err
		}
	}
	m, err := app.ReportService(cfg, db).Metrics(ctx, bridge.ReportQuery{Team: *o.team, Agent: *o.agent, Inbox: inbox,
		Channel: channel, Label: label, Period: period, From: *o.from, To: *o.to, Now: time.Now(), ByAgent: *o.byAgent})
	if errors.Is(err, bridge.ErrBadPeriod) {
		return fmt.Errorf("report: %w (write --from 2025-03-01 --to 2025-03-31, or --period 7d)", err)
	}
	if err != nil {
		return err
	}
	if *o.format == "json" {
		return m.WriteJSON(out)
	}
	return m.WriteCSV(out)
}

type reportInbox struct{ id, name string }

// reportInboxes are the inboxes of every customer channel, by id and name.
func reportInboxes(cfg *configs.Config) []reportInbox {
	var out []reportInbox
	for _, in := range cfg.WhatsApp.Inboxes {
		out = append(out, reportInbox{in.PhoneNumberID, in.Name})
	}
	for _, in := range cfg.Messenger.Inboxes {
		out = append(out, reportInbox{in.PageID, in.Name})
	}
	for _, in := range cfg.Instagram.Inboxes {
		out = append(out, reportInbox{in.AccountID, in.Name})
	}
	for _, in := range cfg.Email.Inboxes {
		out = append(out, reportInbox{in.Address, in.Name})
	}
	return out
}
