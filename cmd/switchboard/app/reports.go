package app

import (
	"github.com/prometheus/client_golang/prometheus"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
	"github.com/switchboard/switchboard/storage"
)

// withSupervision completes the bridge options with each team's survey,
// SLA targets, business hours and digest schedule, and the report source
// (storage + bridge/report, which the bridge may not import); it also
// registers the live backlog gauge on reg.
func withSupervision(opts bridge.Options, cfg *configs.Config, db *storage.DB, reg prometheus.Registerer) bridge.Options {
	// Slack wants a slash command answered within 3 seconds.
	reporter := ReportService(cfg, db)
	source := ReportSource(cfg, db)
	source.Budget = 1500 * time.Millisecond
	reporter.Source = source
	opts.Reporter = reporter
	names := make([]string, 0, len(opts.Teams))
	for i := range opts.Teams {
		names = append(names, opts.Teams[i].Name)
		t, ok := cfg.Team(opts.Teams[i].Name)
		if !ok {
			continue
		}
		sup := bridge.Supervision{
			CSAT:              t.CSAT.Enabled,
			CSATCommentWindow: t.CSAT.CommentWindow.D(),
			SLA: bridge.SLA{FirstResponse: t.SLA.FirstResponse.D(), NextResponse: t.SLA.NextResponse.D(),
				Resolution: t.SLA.Resolution.D(), WarnAt: t.SLA.WarnAt},
			Location:           t.Location(),
			SupervisorsChannel: t.SupervisorsChannel,
			Digest:             bridge.DigestSchedule{Daily: t.Digest.Daily, At: t.Digest.TimeOfDay(), Channel: t.Digest.Channel},
		}
		if h, ok := businessHours(t); ok {
			sup.Hours = h
		}
		sup.Digest.Weekday, sup.Digest.Weekly = t.Digest.Weekday()
		opts.Teams[i].Supervision = sup
	}
	if reg != nil {
		reg.MustRegister(bridge.NewBacklogCollector(names, db.Backlog))
	}
	return opts
}

// ReportService is the report source of a configuration: the report
// summary of db, each team's time zone, business hours and SLA targets.
// The bridge's metrics command and digests and `switchboard report` all
// use it.
func ReportService(cfg *configs.Config, db *storage.DB) *report.Service {
	s := &report.Service{Source: ReportSource(cfg, db), Teams: map[string]report.TeamSettings{},
		Rates: report.Rates{Currency: cfg.Pricing.Currency, Rates: cfg.Pricing.Rates, Countries: cfg.Pricing.Countries}}
	for _, t := range cfg.Teams {
		set := report.TeamSettings{Location: t.Location(), Targets: report.Targets{FirstResponse: t.SLA.FirstResponse.D(),
			NextResponse: t.SLA.NextResponse.D(), Resolution: t.SLA.Resolution.D()}}
		if h, ok := businessHours(t); ok {
			set.Hours = h
		}
		s.Teams[t.Name] = set
	}
	if t, ok := cfg.Team(cfg.DefaultTeam); ok {
		s.Location = t.Location()
	}
	return s
}

// ReportSource is db's report summary, measuring business time with each
// team's hours.
func ReportSource(cfg *configs.Config, db *storage.DB) storage.ReportSource {
	hours := map[string]report.BusinessHours{}
	for _, t := range cfg.Teams {
		if h, ok := businessHours(t); ok {
			hours[t.Name] = h
		}
	}
	return storage.ReportSource{DB: db, Hours: func(team string) report.BusinessHours { return hours[team] }}
}

// businessHours are a team's opening hours (holidays included), which
// reports and SLAs measure business time with.
func businessHours(t configs.Team) (*routing.Hours, bool) {
	if t.Hours == nil || len(t.Hours.Weekly) == 0 {
		return nil, false
	}
	return t.Hours, true
}
