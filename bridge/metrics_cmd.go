package bridge

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// metricsArgs is what "/switchboard metrics …" asked for.
type metricsArgs struct {
	Team     string
	Agent    string
	Inbox    InboxID
	Channel  Channel // "": every customer channel
	Label    string  // a person's label, normalised; "": everybody
	Period   string
	From, To string
	Post     bool
	// Chart attaches the digest chart (where the answer can carry a
	// file); Totals leaves out the per-agent rows a supervisor would see.
	Chart, Totals bool
}

var (
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	// userIDRE is a workspace user id written as "@U0123456789" (Slack) or
	// "@123456789012345678" (Discord) without the platform's mention markup.
	userIDRE = regexp.MustCompile(`^(?:[UW][A-Z0-9]{6,}|[0-9]{15,20})$`)
)

// parseMetricsArgs reads "[team|@agent] [inbox] [channel:<channel>]
// [label:<label>] [today|yesterday|7d|30d|--from YYYY-MM-DD --to
// YYYY-MM-DD] [post]" in any order; inbox names a business number by its
// name or id, channel a customer channel ("messenger"), label one of the
// people's labels (any case: it is normalised as labels are stored). bad
// is the first word it could not read ("" when all were read).
func parseMetricsArgs(words []string, isTeam func(string) bool, inbox func(string) (InboxID, bool)) (a metricsArgs, bad string) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		lower := strings.ToLower(w)
		flag, value, hasValue := strings.Cut(lower, "=")
		switch {
		case lower == "today" || lower == "yesterday" || lower == "7d" || lower == "30d":
			a.Period = lower
		case lower == "post":
			a.Post = true
		case lower == "chart":
			a.Chart = true
		case lower == "totals":
			a.Totals = true
		case strings.HasPrefix(lower, "channel:") || strings.HasPrefix(lower, "channel="):
			ch := Channel(lower[len("channel:"):])
			if !slices.Contains(Channels, ch) {
				return a, w
			}
			a.Channel = ch
		case strings.HasPrefix(lower, "label:") || strings.HasPrefix(lower, "label="):
			l, err := contacts.NormalizeLabel(w[len("label:"):])
			if err != nil {
				return a, w
			}
			a.Label = l
		case flag == "--from" || flag == "--to":
			if !hasValue {
				if i+1 >= len(words) {
					return a, w
				}
				i++
				value = words[i]
			}
			if !dateRE.MatchString(value) {
				return a, value
			}
			if flag == "--from" {
				a.From = value
			} else {
				a.To = value
			}
		case mentionID(w) != "":
			a.Agent = mentionID(w)
		case strings.HasPrefix(w, "@") && userIDRE.MatchString(w[1:]):
			a.Agent = w[1:]
		case isTeam(strings.TrimPrefix(lower, "#")):
			a.Team = strings.TrimPrefix(lower, "#")
		default:
			if id, ok := inbox(w); ok {
				a.Inbox = id
				continue
			}
			return a, w
		}
	}
	if (a.From == "") != (a.To == "") { // name the one missing
		if a.From == "" {
			return a, "--from"
		}
		return a, "--to"
	}
	if a.Period == "" {
		a.Period = "today"
	}
	return a, ""
}

// metricsCommand answers /switchboard metrics: the figures as a table,
// privately; with "post" they are also shared in the channel. It runs
// outside the command's transaction: loading a month of events must not
// hold one open.
func (b *Bridge) metricsCommand(ctx context.Context, cmd AgentCommand, words []string, lang string) (string, error) {
	r, err := b.metricsReply(ctx, cmd, words, lang)
	if err != nil || len(r.Chart) == 0 {
		return r.Text, err
	}
	// A text answer cannot carry the chart (metrics_reply.go).
	return r.Text + "\n" + Text(lang, "metrics.chart_not_here"), nil
}

// metricsReply computes the answer to a metrics command, chart included
// when asked: the one code path behind Slack's /switchboard metrics and
// Discord's /metrics (HandleMetricsCommand).
func (b *Bridge) metricsReply(ctx context.Context, cmd AgentCommand, words []string, lang string) (MetricsReply, error) {
	text := func(s string) (MetricsReply, error) { return MetricsReply{Text: s}, nil }
	if b.opts.Reporter == nil {
		return text(Text(lang, "cmd.metrics_unavailable"))
	}
	args, bad := parseMetricsArgs(words, func(s string) bool { _, ok := b.teams[s]; return ok }, b.inboxNamed)
	if bad != "" {
		return text(Text(lang, "cmd.metrics_usage_filters", bad, b.teamNames(), channelList()))
	}
	home := b.channelTeam(cmd.Workspace, cmd.ChannelID)
	if args.Team == "" {
		args.Team = home
		if args.Agent != "" {
			args.Team = ""
			if t, ok := b.teamOfAgent(args.Agent, home); ok {
				args.Team = t.Name
			}
		}
	}
	// The asker's standing in every team, read once: membership lives in
	// the database (channel rosters).
	standings := map[string]Standing{}
	if err := b.store.InTx(ctx, func(tx Tx) error {
		for name, t := range b.teams {
			s, err := b.standingIn(ctx, tx, t, cmd.person())
			if err != nil {
				return err
			}
			standings[name] = s
		}
		return nil
	}); err != nil {
		return MetricsReply{}, err
	}
	access := accessOf(b.teams, standings, cmd.UserID, args.Team, args.Agent)
	if access == accessNone {
		scope := args.Team
		if args.Agent != "" {
			scope = args.Agent
		}
		if scope == "" {
			scope = b.teamNames()
		}
		return text(Text(lang, "cmd.metrics_denied", scope, cmd.UserID))
	}
	rep, err := b.opts.Reporter.Report(ctx, ReportQuery{Team: args.Team, Agent: args.Agent, Inbox: string(args.Inbox),
		Channel: string(args.Channel), Label: args.Label, Period: args.Period,
		From: args.From, To: args.To, Now: b.now(), Lang: lang, ByAgent: args.Agent == "" && access == accessAll && !args.Totals,
		Chart: args.Chart})
	if errors.Is(err, ErrBadPeriod) {
		return text(Text(lang, "cmd.metrics_usage_filters", args.From+" "+args.To, b.teamNames(), channelList()))
	}
	if err != nil {
		return MetricsReply{}, err
	}
	table := "```\n" + rep.Table + "```"
	reply := MetricsReply{Text: table, Chart: rep.Chart}
	if !args.Post {
		return reply, nil
	}
	ws, ok := b.workspaces[cmd.Workspace]
	if !ok {
		reply.Text = Text(lang, "cmd.metrics_not_posted", "workspace not configured") + "\n" + table
		return reply, nil
	}
	// A slash command must be answered within 3 s.
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err = ws.Post(pctx, ThreadRef{Workspace: cmd.Workspace, ChannelID: cmd.ChannelID},
		Post{Kind: PostSystem, Text: Text(lang, "sys.metrics_shared", MentionToken(cmd.UserID)) + "\n" + table})
	if err != nil {
		b.log.Warn("metrics not shared in the channel", "channel", cmd.ChannelID, "err", err)
		reply.Text = Text(lang, "cmd.metrics_not_posted", err.Error()) + "\n" + table
		return reply, nil
	}
	reply.Text = Text(lang, "cmd.metrics_posted")
	return reply, nil
}

// inboxNamed finds a business number by its name (any case) or id.
func (b *Bridge) inboxNamed(s string) (InboxID, bool) {
	for id, in := range b.inboxes {
		if string(id) == s || (in.Name != "" && strings.EqualFold(in.Name, s)) {
			return id, true
		}
	}
	return "", false
}

// metricsAccess is what a user may read of a report.
type metricsAccess int

const (
	accessNone   metricsAccess = iota
	accessTotals               // the totals, without one row per agent
	accessAll                  // the totals and every agent's row
)

// accessOf decides what user, whose standing in each team is given,
// may read of the figures of team ("": every team) or of one agent. A user
// who is an agent of no team reads nothing. Everyone else may read their
// own figures. A team's supervisors read everything about it; its agents
// read its totals but not their colleagues' figures. A team without
// supervisors keeps no secrets from its agents. Every team's figures
// together are for those who may read each team's.
func accessOf(all map[string]Team, standings map[string]Standing, user, team, agent string) metricsAccess {
	inSome := false
	for _, s := range standings {
		inSome = inSome || s.mayAct()
	}
	if !inSome {
		return accessNone
	}
	if agent != "" && agent == user {
		return accessAll
	}
	teams := all
	if t, ok := all[team]; ok {
		teams = map[string]Team{team: t}
	}
	access := accessAll
	for name, t := range teams {
		s := standings[name]
		switch {
		case s == StandingSupervisor || (len(t.Supervisors) == 0 && s.mayAct()):
		case s.mayAct() && agent == "":
			access = min(access, accessTotals)
		default:
			return accessNone
		}
	}
	return access
}

// channelTeam is the team whose home (or supervisors') channel this is,
// "" when none or several teams share it.
func (b *Bridge) channelTeam(ws WorkspaceKind, channel string) string {
	found := ""
	for _, name := range strings.Split(b.teamNames(), ", ") {
		t := b.teams[name]
		if t.Workspace != ws {
			continue
		}
		if t.owns(channel) {
			return t.Name
		}
		if t.Supervision.SupervisorsChannel == channel {
			if found != "" {
				return ""
			}
			found = t.Name
		}
	}
	return found
}

// channelList names the customer channels a metrics filter accepts.
func channelList() string {
	names := make([]string, len(Channels))
	for i, c := range Channels {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}
