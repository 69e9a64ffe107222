package bridge

import (
	"context"
	"strings"

	"golang.org/x/text/language"
)

// Agent identity (issue 17): a team with agent_name: first_line shows the
// customer who answers. Each reply starts with the agent's display name in
// bold on its own line ("*Ana:*\n…"), read from the workspace profile
// (UserNamer) before the transaction, bounded and cached by the adapter,
// and stored with the reply's first part (replyPayload.AgentLine) so a
// retry sends the same text. Templates, surveys and the bridge's own texts
// never carry it; a name that cannot be read sends the reply without it.

// mayShowAgentName reports whether msg may become a reply of a team that
// shows its agents' names, so its author's name is read before the
// transaction. Which team the thread belongs to is only known inside it;
// the lookup is cached, so asking for every message of such a workspace
// costs little.
func (b *Bridge) mayShowAgentName(msg AgentMessage) bool {
	if msg.AuthorID == "" {
		return false
	}
	if _, _, ok := textCommand(strings.TrimSpace(msg.Text)); ok {
		return false
	}
	for _, t := range b.teams {
		if t.ShowAgentName && t.Workspace == msg.Workspace {
			return true
		}
	}
	return false
}

// agentLine is the first line of a reply by author in team: the name in
// bold, or "" when the team shows no names or the name is unknown.
func (b *Bridge) agentLine(ctx context.Context, team Team, author string) string {
	if !team.ShowAgentName {
		return ""
	}
	name := strings.Join(strings.Fields(strings.NewReplacer("*", "", "_", "", "~", "", "`", "").Replace(agentNameFor(ctx, author))), " ")
	if name == "" {
		return ""
	}
	if r := []rune(name); len(r) > 60 {
		name = strings.TrimSpace(string(r[:60]))
	}
	return Text(team.Language, "identity.agent_line", name)
}

// withAgentLine puts line above text, on its own line.
func withAgentLine(line, text string) string {
	switch {
	case line == "":
		return text
	case text == "":
		return line
	}
	return line + "\n" + text
}

// customerLanguage is the language of a bot text sent to contact in a
// conversation of team (the away message, the survey and its thanks):
// the contact's own (learnt from their messages, else their phone's
// country, see CustomerLanguage) when we ship texts in it, else the
// team's.
func (b *Bridge) customerLanguage(contact Contact, team string) string {
	if lang := CustomerLanguage(contact); shipped(lang) {
		return lang
	}
	return b.language(team)
}

// shipped reports whether the catalogue has texts in lang.
func shipped(lang string) bool {
	if lang == "" {
		return false
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return false
	}
	_, _, conf := languageMatcher.Match(tag)
	return conf >= language.High
}

// awayMessage picks the team's out-of-hours reply for contact: in the
// contact's language, else the team's, else the router's choice.
func (b *Bridge) awayMessage(contact Contact, team string, d RouteDecision) string {
	for _, lang := range []string{CustomerLanguage(contact), b.language(team)} {
		if m, ok := d.AwayMessages[lang]; ok && lang != "" {
			return m
		}
	}
	return d.AutoReply
}
