package bridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/canned"
)

// Managing canned responses from the chat tool:
//
//	/switchboard canned list [team|global]
//	/switchboard canned add [team/|global/]name [en|es|pt|any] text…
//	/switchboard canned edit [team/|global/]name [en|es|pt|any] text…
//	/switchboard canned remove [team/|global/]name [en|es|pt|any]
//
// (Discord's /canned-admin builds the same text.) A name without a prefix
// belongs to the team whose channel the command is typed in; "global/"
// makes it every team's. The language is optional (any language when
// left out); only the languages switchboard learns customers speak are
// read as one, so a text may start with any other word.
//
// Who may do what: anyone who may act in a team lists its responses; its
// supervisors add, edit and remove them; a supervisor of any team manages
// the global ones. Responses defined in the configuration file cannot be
// changed here (the file wins at every start-up): the answer says so.

// cannedChatLanguages are the language codes the command reads.
var cannedChatLanguages = []string{"en", "es", "pt", "any"}

// cannedScope is the team a command's response belongs to ("" global).
type cannedScope struct {
	team   string
	global bool
}

func (s cannedScope) label(lang string) string {
	if s.global {
		return Text(lang, "canned.scope_global")
	}
	return Text(lang, "canned.scope_team", s.team)
}

// cannedCommand answers /switchboard canned …
func (b *Bridge) cannedCommand(ctx context.Context, tx Tx, cmd AgentCommand, args, lang string, now time.Time) (string, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return Text(lang, "canned.admin_usage", cannedVariableList()), nil
	}
	sub, rest := strings.ToLower(fields[0]), strings.TrimSpace(strings.TrimPrefix(args, fields[0]))
	switch sub {
	case "list", "ls":
		return b.cannedList(ctx, tx, cmd, rest, lang)
	case "add", "edit", "remove", "rm", "delete":
		return b.cannedChange(ctx, tx, cmd, sub, rest, lang, now)
	}
	return Text(lang, "canned.admin_usage", cannedVariableList()), nil
}

func cannedVariableList() string {
	names := make([]string, len(canned.Variables))
	for i, v := range canned.Variables {
		names[i] = "{{" + v + "}}"
	}
	return strings.Join(names, ", ")
}

// commandTeam is the team a command typed in channel is about: the team
// whose channel (or supervisors' channel) it is.
func (b *Bridge) commandTeam(ws WorkspaceKind, channel string) (Team, bool) {
	name := b.channelTeam(ws, channel)
	t, ok := b.teams[name]
	return t, ok && name != ""
}

// cannedList lists the responses of the team named (or whose channel this
// is), or of every team the person may act in, and the global ones.
func (b *Bridge) cannedList(ctx context.Context, tx Tx, cmd AgentCommand, arg, lang string) (string, error) {
	var teams []Team
	switch arg = strings.ToLower(strings.TrimSpace(arg)); {
	case arg == "" || arg == "global":
		if t, ok := b.commandTeam(cmd.Workspace, cmd.ChannelID); ok && arg == "" {
			teams = []Team{t}
			break
		}
		mine, unknown, err := b.teamsOf(ctx, tx, cmd.person())
		if err != nil {
			return "", err
		}
		if len(mine) == 0 {
			return b.noTeam(lang, unknown), nil
		}
		if arg == "" {
			teams = mine
		}
	default:
		t, ok := b.teams[arg]
		if !ok {
			return Text(lang, "canned.unknown_scope", arg, b.teamNames()), nil
		}
		teams = []Team{t}
	}
	var lines []string
	for _, t := range teams {
		who, err := b.standingIn(ctx, tx, t, cmd.person())
		if err != nil {
			return "", err
		}
		if !who.mayAct() {
			return b.cannedRefusal(lang, who, cmd.person(), t.Name), nil
		}
		own, err := tx.CannedResponses(ctx, t.Name)
		if err != nil {
			return "", err
		}
		own = slices.DeleteFunc(own, func(r canned.Response) bool { return r.Team == "" })
		lines = append(lines, Text(lang, "canned.list_team", t.Name))
		lines = append(lines, cannedRows(lang, own)...)
	}
	global, err := tx.CannedResponses(ctx, "")
	if err != nil {
		return "", err
	}
	lines = append(lines, Text(lang, "canned.list_global"))
	lines = append(lines, cannedRows(lang, global)...)
	lines = append(lines, Text(lang, "canned.list_footer"))
	return strings.Join(lines, "\n"), nil
}

// cannedRows are the list lines of responses, each with its language,
// owner and the start of its text.
func cannedRows(lang string, list []canned.Response) []string {
	if len(list) == 0 {
		return []string{"  " + Text(lang, "canned.list_empty")}
	}
	out := make([]string, 0, len(list))
	for _, r := range list {
		owner := ""
		if r.Source == canned.SourceConfig {
			owner = " · " + Text(lang, "canned.from_config")
		} else if r.UpdatedBy != "" {
			owner = " · " + MentionToken(r.UpdatedBy)
		}
		body := strings.Join(strings.Fields(r.Body), " ")
		if runes := []rune(body); len(runes) > 80 {
			body = string(runes[:79]) + "…"
		}
		out = append(out, fmt.Sprintf("  • *%s* (%s)%s: %s", r.Name, languageLabel(lang, r.Language), owner, body))
	}
	return out
}

// cannedRefusal tells someone who may not act in team why.
func (b *Bridge) cannedRefusal(lang string, s Standing, p Person, team string) string {
	if key := refusalKey(s, p); key != "tell.not_member" {
		return Text(lang, key, team)
	}
	return Text(lang, "canned.not_member", team)
}

// parseCannedRef reads "[team/|global/]name" against the command's channel.
func (b *Bridge) parseCannedRef(cmd AgentCommand, ref, lang string) (cannedScope, string, string) {
	scope, name, qualified := strings.Cut(strings.ToLower(ref), "/")
	if !qualified {
		name = scope
		t, ok := b.commandTeam(cmd.Workspace, cmd.ChannelID)
		if !ok {
			return cannedScope{}, "", Text(lang, "canned.no_team_here", b.teamNames())
		}
		return cannedScope{team: t.Name}, name, ""
	}
	if scope == "global" {
		return cannedScope{global: true}, name, ""
	}
	if _, ok := b.teams[scope]; !ok {
		return cannedScope{}, "", Text(lang, "canned.unknown_scope", scope, b.teamNames())
	}
	return cannedScope{team: scope}, name, ""
}

// mayManage says whether the person may change the responses of scope: a
// team's supervisors its own, a supervisor of any team the global ones.
func (b *Bridge) mayManage(ctx context.Context, tx Tx, p Person, scope cannedScope) (bool, error) {
	check := []Team{b.teams[scope.team]}
	if scope.global {
		check = nil
		for _, name := range strings.Split(b.teamNames(), ", ") {
			check = append(check, b.teams[name])
		}
	}
	for _, t := range check {
		s, err := b.standingIn(ctx, tx, t, p)
		if err != nil {
			return false, err
		}
		if s == StandingSupervisor {
			return true, nil
		}
	}
	return false, nil
}

// cannedChange adds, edits or removes a chat-owned response.
func (b *Bridge) cannedChange(ctx context.Context, tx Tx, cmd AgentCommand, sub, rest, lang string, now time.Time) (string, error) {
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return Text(lang, "canned.admin_usage", cannedVariableList()), nil
	}
	scope, name, problem := b.parseCannedRef(cmd, fields[0], lang)
	if problem != "" {
		return problem, nil
	}
	if err := canned.ValidName(name); err != nil {
		return Text(lang, "canned.bad_name", name, canned.Slug(name)), nil
	}
	ok, err := b.mayManage(ctx, tx, cmd.person(), scope)
	if err != nil {
		return "", err
	}
	if !ok {
		if scope.global {
			return Text(lang, "canned.not_supervisor_global"), nil
		}
		return Text(lang, "canned.not_supervisor", scope.team), nil
	}
	text := strings.TrimSpace(strings.TrimPrefix(rest, fields[0]))
	version, langGiven := "", false
	if len(fields) > 1 && slices.Contains(cannedChatLanguages, strings.ToLower(fields[1])) {
		version, langGiven = strings.ToLower(fields[1]), true
		text = strings.TrimSpace(strings.TrimPrefix(text, fields[1]))
		if version == "any" {
			version = ""
		}
	}
	if sub != "add" && sub != "edit" {
		return b.cannedRemove(ctx, tx, scope, name, version, langGiven, lang)
	}
	label := fmt.Sprintf("*%s* (%s)", name, languageLabel(lang, version))
	if text == "" {
		return Text(lang, "canned.empty_text", sub), nil
	}
	if err := canned.Validate(text, canned.KnownWith(b.attributeNames())); err != nil {
		var uv *canned.UnknownVariableError
		switch {
		case errors.As(err, &uv):
			return Text(lang, "canned.unknown_variable", uv.Name, cannedVariableList()), nil
		case errors.Is(err, canned.ErrEmpty):
			return Text(lang, "canned.empty_text", sub), nil
		}
		return Text(lang, "canned.too_long", len([]rune(text)), canned.MaxBodyChars), nil
	}
	existing, err := tx.CannedResponse(ctx, scope.team, name, version)
	found := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	switch {
	case found && existing.Source == canned.SourceConfig:
		return Text(lang, "canned.config_owned", label), nil
	case found && sub == "add":
		return Text(lang, "canned.exists", label, scope.label(lang), name), nil
	case !found && sub == "edit":
		if _, err := tx.CannedResponse(ctx, "", name, version); err == nil && !scope.global {
			// A global one: say how to reach it (or how to override it).
			return Text(lang, "canned.is_global", label, name, scope.team), nil
		}
		return Text(lang, "canned.not_found", label, scope.label(lang), name), nil
	}
	if err := tx.SaveCanned(ctx, canned.Response{Team: scope.team, Name: name, Language: version, Body: text,
		Source: canned.SourceChat, UpdatedBy: cmd.UserID, UpdatedAt: now}); err != nil {
		return "", err
	}
	b.log.Info("canned response saved from the chat tool", "team", scope.team, "name", name, "language", version, "by", cmd.UserID)
	if sub == "edit" {
		return Text(lang, "canned.edited", label, scope.label(lang)), nil
	}
	return Text(lang, "canned.added", label, scope.label(lang), name), nil
}

// cannedRemove removes one version of a chat-owned response, or every
// version of it when no language was given; config-owned ones stay.
func (b *Bridge) cannedRemove(ctx context.Context, tx Tx, scope cannedScope, name, version string, one bool, lang string) (string, error) {
	list, err := tx.CannedResponses(ctx, scope.team)
	if err != nil {
		return "", err
	}
	var removed, kept []string
	for _, r := range list {
		if r.Team != scope.team || r.Name != name || (one && r.Language != version) {
			continue
		}
		label := fmt.Sprintf("*%s* (%s)", r.Name, languageLabel(lang, r.Language))
		if r.Source == canned.SourceConfig {
			kept = append(kept, Text(lang, "canned.config_owned", label))
			continue
		}
		if _, err := tx.DeleteCanned(ctx, r.Team, r.Name, r.Language); err != nil {
			return "", err
		}
		removed = append(removed, label)
	}
	if len(removed) == 0 && len(kept) == 0 {
		return Text(lang, "canned.remove_none", name, scope.label(lang)), nil
	}
	var lines []string
	if len(removed) > 0 {
		b.log.Info("canned response removed from the chat tool", "team", scope.team, "name", name)
		lines = append(lines, Text(lang, "canned.removed", strings.Join(removed, ", "), scope.label(lang)))
	}
	return strings.Join(append(lines, kept...), "\n"), nil
}
