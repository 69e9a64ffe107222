package bridge

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// HandleAgentCommand answers /switchboard typed in a channel. The answer
// is shown only to the person who typed it.
func (b *Bridge) HandleAgentCommand(ctx context.Context, cmd AgentCommand) (string, error) {
	lang := b.commandLanguage(cmd.ChannelID)
	fields := strings.Fields(cmd.Text)
	verb := "help"
	if len(fields) > 0 {
		verb = strings.ToLower(fields[0])
	}
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cmd.Text), firstOr(fields, "")))
	if verb == "metrics" {
		return b.metricsCommand(ctx, cmd, fields[1:], lang)
	}
	var reply string
	err := b.inTx(ctx, func(tx Tx) error {
		var err error
		now := b.now()
		switch verb {
		case "available", "back", "away", "auto":
			reply, err = b.setAvailability(ctx, tx, cmd, verb, lang, now)
		case "status":
			reply, err = b.statusReport(ctx, tx, cmd, lang, now)
		case "queue":
			reply, err = b.queueReport(ctx, tx, cmd, lang, now)
		case "transfer":
			reply, err = b.transferCommand(ctx, tx, cmd, rest, lang, now)
		default:
			reply = Text(lang, "cmd.help", strings.Join(b.opts.NotePrefixes, " / "))
		}
		return err
	})
	return reply, err
}

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}

func (b *Bridge) commandLanguage(channel string) string {
	for _, t := range b.teams {
		if t.owns(channel) && t.Language != "" {
			return t.Language
		}
	}
	return b.language(b.opts.DefaultTeam)
}

// teamsOf lists the teams an agent belongs to (all teams without a member
// list, where anyone in the channel answers).
func (b *Bridge) teamsOf(user string) []Team {
	var out []Team
	for _, name := range strings.Split(b.teamNames(), ", ") {
		if t := b.teams[name]; t.isMember(user) {
			out = append(out, t)
		}
	}
	return out
}

func (b *Bridge) setAvailability(ctx context.Context, tx Tx, cmd AgentCommand, verb, lang string, now time.Time) (string, error) {
	state, source := Available, "manual"
	switch verb {
	case "away":
		state = Away
	case "auto":
		source = "auto" // presence and shifts decide again
	}
	if err := tx.SetAgentStatus(ctx, cmd.Workspace, AgentStatus{UserID: cmd.UserID, State: state, Source: source, Since: now}); err != nil {
		return "", err
	}
	if state == Available {
		for _, t := range b.teamsOf(cmd.UserID) {
			if err := b.drainQueue(ctx, tx, t.Name, now); err != nil {
				return "", err
			}
		}
		return Text(lang, "cmd.now_available"), nil
	}
	return Text(lang, "cmd.now_away"), nil
}

func (b *Bridge) statusReport(ctx context.Context, tx Tx, cmd AgentCommand, lang string, now time.Time) (string, error) {
	statuses, err := tx.AgentStatuses(ctx, cmd.Workspace)
	if err != nil {
		return "", err
	}
	counts, err := tx.OpenCounts(ctx)
	if err != nil {
		return "", err
	}
	describe := func(user string) string {
		st, ok := statuses[user]
		if ok && st.State == Away {
			return Text(lang, "cmd.state_away", st.Source, st.Since.Format("2006-01-02 15:04 MST"))
		}
		if b.opts.OnShift != nil {
			if on, has := b.opts.OnShift(user, now); has && !on {
				return Text(lang, "cmd.state_off_shift")
			} else if has {
				return Text(lang, "cmd.state_on_shift")
			}
		}
		if !ok {
			return Text(lang, "cmd.state_default")
		}
		return Text(lang, "cmd.state_"+string(st.State), st.Source, st.Since.Format("2006-01-02 15:04 MST"))
	}
	var lines []string
	lines = append(lines, Text(lang, "cmd.status_you", MentionToken(cmd.UserID), describe(cmd.UserID), counts[cmd.UserID]))
	for _, t := range b.teamsOf(cmd.UserID) {
		lines = append(lines, fmt.Sprintf("*%s*", t.Name))
		for _, m := range t.Members {
			lines = append(lines, fmt.Sprintf("  • %s — %s · %d", MentionToken(m), describe(m), counts[m]))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// queueReport shows each team's waiting and assigned conversations,
// oldest first, with how long each has waited and a link to its thread.
func (b *Bridge) queueReport(ctx context.Context, tx Tx, cmd AgentCommand, lang string, now time.Time) (string, error) {
	names := strings.Split(b.teamNames(), ", ")
	sort.Strings(names)
	var lines []string
	for _, name := range names {
		convs, err := tx.OpenConversations(ctx, name)
		if err != nil {
			return "", err
		}
		waiting, assigned := 0, 0
		var rows []string
		for _, c := range convs {
			link := b.currentLink(ctx, tx, c.ID)
			age := now.Sub(c.OpenedAt).Round(time.Minute)
			if c.Assignee == "" {
				waiting++
				rows = append(rows, Text(lang, "cmd.queue_waiting", int64(c.ID), age.String(), link))
			} else {
				assigned++
				rows = append(rows, Text(lang, "cmd.queue_assigned", int64(c.ID), MentionToken(c.Assignee), age.String(), link))
			}
		}
		lines = append(lines, Text(lang, "cmd.queue_team", name, waiting, assigned))
		lines = append(lines, rows...)
	}
	return strings.Join(lines, "\n"), nil
}

// transferCommand is /switchboard transfer <conversation> <@agent|team> [reason].
func (b *Bridge) transferCommand(ctx context.Context, tx Tx, cmd AgentCommand, args, lang string, now time.Time) (string, error) {
	fields := strings.Fields(args)
	if len(fields) < 2 {
		return Text(lang, "cmd.transfer_usage", b.teamNames()), nil
	}
	id, err := ParseConversationID(strings.TrimPrefix(fields[0], "#"))
	if err != nil {
		return Text(lang, "cmd.transfer_usage", b.teamNames()), nil
	}
	conv, err := tx.GetConversation(ctx, id)
	if err != nil {
		return Text(lang, "cmd.no_conversation", fields[0]), nil
	}
	to, reason, _ := b.parseTransfer(strings.TrimSpace(strings.TrimPrefix(args, fields[0])), nil)
	if err := b.transfer(ctx, tx, conv, cmd.UserID, to, reason, now); err != nil {
		return "", err
	}
	// Refusals are told in the thread, privately; a success shows there too.
	return Text(lang, "cmd.transfer_done", int64(id)), nil
}
