package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// discordSide is the Discord half of an App: the REST workspace through
// which every replica delivers, and the gateway connection (messages,
// buttons, slash commands) that only the elected leader holds, since
// Discord sends each event to every connection of a bot.
type discordSide struct {
	ws     *discord.Workspace
	gw     *discord.Gateway
	leader *leadership
}

// buildDiscord wires Discord when a team lives there and a bot token is
// set; it returns nil otherwise (deliveries to Discord teams then wait for
// a process that has the token). The gateway's Inbound is set once the
// bridge exists.
func buildDiscord(cfg *configs.Config, tune Tuning, log *slog.Logger, db *storage.DB, reg prometheus.Registerer) (*discordSide, error) {
	kinds := map[string]discord.ChannelKind{}
	for _, t := range cfg.Teams {
		switch {
		case t.DiscordChannel == "":
		case t.DiscordKind == "forum":
			kinds[t.DiscordChannel] = discord.ChannelForum
		case t.DiscordKind == "text":
			kinds[t.DiscordChannel] = discord.ChannelText
		default:
			kinds[t.DiscordChannel] = "" // asked of Discord once
		}
	}
	if len(kinds) == 0 {
		return nil, nil
	}
	d := cfg.Discord
	if d.BotToken == "" {
		log.Warn("teams live in Discord but discord.bot_token is empty; their conversations wait until it is set (see docs/setup-discord.md)")
		return nil, nil
	}
	known := map[string]discord.ChannelKind{}
	for ch, k := range kinds {
		if k != "" {
			known[ch] = k
		}
	}
	ws, err := discord.NewWorkspace(discord.Config{Token: d.BotToken, GuildID: d.GuildID, APIBaseURL: d.APIURL,
		HTTPClient: tune.HTTPClient, ChannelKinds: known, Now: tune.Now, Log: log})
	if err != nil {
		return nil, fmt.Errorf("discord (discord.api_url): %w", err)
	}
	gw := &discord.Gateway{Token: d.BotToken, AppID: d.ApplicationID, IsMember: discordMembers(cfg.Teams),
		NotePrefix: firstOr(cfg.Options.NotePrefixes, "note:"),
		Marks:      discordMarks{db: db, now: tune.Now}, Language: teamLanguages(cfg),
		StoreTimeout: tune.DiscordStoreTimeout, RecoverFor: tune.DiscordRecoverFor,
		APIBaseURL: d.APIURL, HTTPClient: tune.HTTPClient, Log: log}
	if d.GuildID != "" {
		gw.GuildIDs = []string{d.GuildID}
	}
	gw.Parity = discordParity(cfg) // discord_parity.go
	gw.MemberName = ws.UserName    // names in agents' mentions (issue 17)
	held := prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchboard_discord_gateway_leader",
		Help: "1 while this replica holds the Discord gateway connection (exactly one replica should)."})
	reg.MustRegister(held)
	dsn := ""
	if db.Dialect == storage.Postgres {
		dsn = cfg.Database.DSN()
	}
	side := &discordSide{ws: ws, gw: gw}
	side.leader = &leadership{name: "discord-gateway", dsn: dsn, log: log,
		lead:   func(ctx context.Context) error { return gw.Open(ctx) },
		unlead: func() { _ = gw.Close() },
		onChange: func(leader bool) {
			if leader {
				held.Set(1)
			} else {
				held.Set(0)
			}
		}}
	return side, nil
}

// Catch-up bounds: after a new or resumed gateway session, the threads of
// open conversations touched in the last catchUpWindow are fetched again
// from their marks, at most catchUpThreads of them (the newest). The
// window must stay shorter than the time processed event ids are kept,
// or a message stored long ago could be taken for a new one.
const (
	catchUpWindow  = 24 * time.Hour
	catchUpThreads = 200
)

// discordMarks keeps the gateway's per-thread high-water marks in the
// database, where the replica that takes the gateway over finds them.
type discordMarks struct {
	db  *storage.DB
	now func() time.Time
}

func (m discordMarks) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

func (m discordMarks) Advance(ctx context.Context, threadID, messageID string) error {
	return m.db.AdvanceWatermark(ctx, string(bridge.WorkspaceDiscord), threadID, messageID, m.clock())
}

func (m discordMarks) Recent(ctx context.Context) ([]discord.ThreadMark, error) {
	rows, err := m.db.RecentThreads(ctx, string(bridge.WorkspaceDiscord), m.clock().Add(-catchUpWindow), catchUpThreads)
	if err != nil {
		return nil, err
	}
	out := make([]discord.ThreadMark, 0, len(rows))
	for _, r := range rows {
		out = append(out, discord.ThreadMark{ParentID: r.ChannelID, ThreadID: r.ThreadKey, After: r.MessageID})
	}
	return out, nil
}

// teamLanguages returns the language of the Discord team at home in a
// channel (the default language elsewhere).
func teamLanguages(cfg *configs.Config) func(channelID string) string {
	langs := map[string]string{}
	for _, t := range cfg.Teams {
		if t.DiscordChannel != "" {
			langs[t.DiscordChannel] = t.Language
		}
	}
	return func(channelID string) string {
		if l, ok := langs[channelID]; ok && l != "" {
			return l
		}
		return cfg.Options.Language
	}
}

// discordMembers answers an interaction at once ("Only members of this
// team can do that.") instead of a "done" followed by a private refusal.
// It is a pre-check only: the bridge decides every verb again with the
// roles the event carries (bridge/membership.go), by the same rule for a
// Discord team: supervisors, pinned members and role holders, never the
// excluded. Outside any team's channel (a command typed elsewhere) a
// member of any Discord team passes; the bridge then shows only their
// teams.
func discordMembers(teams []configs.Team) func(channelID, userID string, roles []string) bool {
	type rule struct {
		users   []string
		exclude []string
		role    string
	}
	byChannel := map[string]rule{}
	for _, t := range teams {
		if t.DiscordChannel == "" {
			continue
		}
		byChannel[t.DiscordChannel] = rule{users: slices.Concat(t.Members, t.Supervisors), exclude: t.Exclude, role: t.DiscordRole}
	}
	allows := func(r rule, user string, roles []string) bool {
		if slices.Contains(r.users, user) {
			return true
		}
		return !slices.Contains(r.exclude, user) && r.role != "" && slices.Contains(roles, r.role)
	}
	return func(channelID, userID string, roles []string) bool {
		if r, ok := byChannel[channelID]; ok {
			return allows(r, userID, roles)
		}
		for _, r := range byChannel {
			if allows(r, userID, roles) {
				return true
			}
		}
		return false
	}
}

// workspace is nil-safe for the wiring in Build.
func (d *discordSide) workspace() (bridge.AgentWorkspace, bool) {
	if d == nil {
		return nil, false
	}
	return d.ws, true
}

// connect hands the gateway's events to the bridge.
func (d *discordSide) connect(in bridge.AgentInbound) {
	if d != nil {
		d.gw.Inbound = in
		d.gw.Picker, _ = in.(bridge.Picker)
	}
}

func (d *discordSide) start() {
	if d != nil {
		d.leader.Start()
	}
}

func (d *discordSide) stop(ctx context.Context) error {
	if d == nil {
		return nil
	}
	return d.leader.Stop(ctx)
}

// DiscordLeader reports whether this replica holds the Discord gateway.
func (a *App) DiscordLeader() bool { return a.discord != nil && a.discord.leader.Leader() }

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}
