package bridge

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// HandleAgentCommand answers /switchboard typed in a channel. The answer
// is shown only to the person who typed it.
func (b *Bridge) HandleAgentCommand(ctx context.Context, cmd AgentCommand) (string, error) {
	lang := b.answerLanguage(cmd) // metrics_reply.go
	fields := strings.Fields(cmd.Text)
	verb := "help"
	if len(fields) > 0 {
		verb = strings.ToLower(fields[0])
	}
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cmd.Text), firstOr(fields, "")))
	switch verb {
	case "metrics":
		return b.metricsCommand(ctx, cmd, fields[1:], lang)
	case "new", "start":
		return b.startCommand(ctx, cmd, rest, lang) // start.go; its own transaction
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
		case "canned":
			reply, err = b.cannedCommand(ctx, tx, cmd, rest, lang, now)
		case "contact", "contacts":
			reply, err = b.contactCommand(ctx, tx, cmd, rest, lang) // crm_card.go
		default:
			reply = Text(lang, "cmd.help", strings.Join(b.opts.NotePrefixes, " / ")) + "\n" + Text(lang, "canned.help_line") + "\n" + Text(lang, "start.help") + "\n" + Text(lang, "crm.help_line")
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

func (b *Bridge) setAvailability(ctx context.Context, tx Tx, cmd AgentCommand, verb, lang string, now time.Time) (string, error) {
	state, source := Available, "manual"
	switch verb {
	case "away":
		state = Away
	case "auto":
		source = "auto" // presence and shifts decide again
	}
	teams, unknown, err := b.teamsOf(ctx, tx, cmd.person())
	if err != nil {
		return "", err
	}
	if len(teams) == 0 {
		return b.noTeam(lang, unknown), nil // only agents have an availability
	}
	if err := tx.SetAgentStatus(ctx, cmd.Workspace, AgentStatus{UserID: cmd.UserID, State: state, Source: source, Since: now}); err != nil {
		return "", err
	}
	if state == Available {
		for _, t := range teams {
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
	teams, unknown, err := b.teamsOf(ctx, tx, cmd.person())
	if err != nil {
		return "", err
	}
	if len(teams) == 0 {
		return b.noTeam(lang, unknown), nil
	}
	var lines []string
	lines = append(lines, Text(lang, "cmd.status_you", MentionToken(cmd.UserID), describe(cmd.UserID), counts[cmd.UserID]))
	for _, t := range teams {
		lines = append(lines, fmt.Sprintf("*%s*", t.Name))
		for _, m := range t.Members {
			lines = append(lines, fmt.Sprintf("  • %s — %s · %d", MentionToken(m), describe(m), counts[m]))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// noTeam is the answer to someone who may act in no team: why, privately.
func (b *Bridge) noTeam(lang string, unknown bool) string {
	if unknown {
		return Text(lang, "tell.membership_unknown", b.teamNames())
	}
	return Text(lang, "cmd.queue_no_team")
}

// queueReport shows the waiting and assigned conversations of each team
// the asker may act in, oldest first, with how long each has waited and a
// link to its thread. Other teams' conversations are not theirs to see.
func (b *Bridge) queueReport(ctx context.Context, tx Tx, cmd AgentCommand, lang string, now time.Time) (string, error) {
	teams, unknown, err := b.teamsOf(ctx, tx, cmd.person())
	if err != nil {
		return "", err
	}
	if len(teams) == 0 {
		return b.noTeam(lang, unknown), nil
	}
	var lines []string
	for _, t := range teams {
		name := t.Name
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
				holder := MentionToken(c.Assignee)
				if c.Assignee == assist.AgentID {
					holder = Text(lang, "fl.name") // no workspace user to mention
				}
				rows = append(rows, Text(lang, "cmd.queue_assigned", int64(c.ID), holder, age.String(), link))
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
	team := b.team(conv.Team)
	who, err := b.standingIn(ctx, tx, team, cmd.person())
	if err != nil {
		return "", err
	}
	if !who.mayAct() {
		if key := refusalKey(who, cmd.person()); key != "tell.not_member" {
			return Text(lang, key, team.Name), nil
		}
		return Text(lang, "cmd.transfer_not_member", team.Name, int64(id)), nil
	}
	to, reason, _ := b.parseTransfer(strings.TrimSpace(strings.TrimPrefix(args, fields[0])), nil)
	if err := b.transfer(ctx, tx, conv, cmd.UserID, to, reason, now); err != nil {
		return "", err
	}
	// Refusals are told in the thread, privately; a success shows there too.
	return Text(lang, "cmd.transfer_done", int64(id)), nil
}
