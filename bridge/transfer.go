package bridge

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// transferTarget is who or where a conversation is sent: an agent (user
// id) or a team name.
type transferTarget struct {
	Agent string
	Team  string
}

// parseTransfer reads "@agent [reason]" or "team [reason]" from the words
// after !transfer; mentions carries the user ids the platform resolved.
func (b *Bridge) parseTransfer(args string, mentions []string) (transferTarget, string, bool) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return transferTarget{}, "", false
	}
	first, reason := fields[0], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), fields[0]))
	if id := mentionID(first); id != "" {
		return transferTarget{Agent: id}, reason, true
	}
	if strings.HasPrefix(first, "@") && len(mentions) > 0 {
		return transferTarget{Agent: mentions[0]}, reason, true
	}
	return transferTarget{Team: strings.ToLower(strings.TrimPrefix(first, "#"))}, reason, true
}

// mentionID reads a user id from "<@U123>", "<@U123|name>", "{@U123}" or
// "<@!123>" (Discord); "" otherwise.
func mentionID(word string) string {
	for _, p := range [][2]string{{"<@!", ">"}, {"<@", ">"}, {"{@", "}"}} {
		if strings.HasPrefix(word, p[0]) && strings.HasSuffix(word, p[1]) {
			id := strings.TrimSuffix(strings.TrimPrefix(word, p[0]), p[1])
			id, _, _ = strings.Cut(id, "|")
			return id
		}
	}
	return ""
}

func (b *Bridge) teamNames() string {
	names := make([]string, 0, len(b.teams))
	for n := range b.teams {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// teamOfAgent returns the team that lists user as a member, preferring
// the given team.
func (b *Bridge) teamOfAgent(user, prefer string) (Team, bool) {
	if t, ok := b.teams[prefer]; ok && (contains(t.Members, user) || contains(t.Supervisors, user)) {
		return t, true
	}
	for _, name := range strings.Split(b.teamNames(), ", ") {
		t := b.teams[name]
		if contains(t.Members, user) || contains(t.Supervisors, user) {
			return t, true
		}
	}
	return Team{}, false
}

// agentTeam is the team user is an agent (or supervisor) of, preferring
// the given team; ok is false when user is an agent of none. Only what is
// known without the user's own event counts: pinned members, supervisors,
// channel members (a Discord role holder can be named by their team).
func (b *Bridge) agentTeam(ctx context.Context, tx Tx, user, prefer string) (Team, bool, error) {
	names := append([]string{prefer}, strings.Split(b.teamNames(), ", ")...)
	for _, name := range names {
		t, ok := b.teams[name]
		if !ok {
			continue
		}
		s, err := b.standingIn(ctx, tx, t, Person{ID: user})
		if err != nil {
			return Team{}, false, err
		}
		if s.mayAct() {
			return t, true, nil
		}
	}
	return Team{}, false, nil
}

// transfer moves conv to an agent or a team, or tells actor why not.
func (b *Bridge) transfer(ctx context.Context, tx Tx, conv Conversation, actor string, to transferTarget, reason string, now time.Time) error {
	lang := b.language(conv.Team)
	refuse := func(key string, args ...any) error {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, key, args...), now)
	}
	if conv.State == StateResolved {
		return refuse("tell.transfer_resolved")
	}
	if conv.Assignee == assist.AgentID {
		// Any agent may move a conversation on from the assistant.
		var err error
		if conv, err = b.releaseFromAssistant(ctx, tx, conv, actor, now); err != nil { // assist_firstline.go
			return err
		}
	}
	if conv.Assignee != "" && conv.Assignee != actor && !b.team(conv.Team).isSupervisor(actor) {
		// "!transfer @me" would otherwise be a takeover without the
		// supervisor's right to one.
		return refuse("tell.transfer_held", assigneeMention(lang, conv.Assignee))
	}
	if to.Agent != "" {
		statuses, err := tx.AgentStatuses(ctx, b.team(conv.Team).Workspace)
		if err != nil {
			return err
		}
		if st, ok := statuses[to.Agent]; ok && st.State == Away {
			return refuse("tell.transfer_away", MentionToken(to.Agent))
		}
		// Never an outsider as assignee: the agent must be one of this
		// team (a handover) or of another team (a transfer there).
		target, ok, err := b.agentTeam(ctx, tx, to.Agent, conv.Team)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			return refuse("tell.transfer_outsider", MentionToken(to.Agent), b.teamNames())
		case target.Name == conv.Team:
			return b.transferToAgent(ctx, tx, conv, actor, to.Agent, reason, now)
		}
		if _, ok := b.workspaces[target.Workspace]; !ok {
			return refuse("tell.transfer_no_workspace", target.Name)
		}
		return b.transferToTeam(ctx, tx, conv, actor, target, to.Agent, reason, now)
	}
	target, ok := b.teams[to.Team]
	switch {
	case !ok:
		return refuse("tell.transfer_unknown", to.Team, b.teamNames())
	case target.Name == conv.Team:
		return refuse("tell.transfer_same_team", target.Name)
	}
	if _, ok := b.workspaces[target.Workspace]; !ok {
		return refuse("tell.transfer_no_workspace", target.Name)
	}
	return b.transferToTeam(ctx, tx, conv, actor, target, "", reason, now)
}

// transferToAgent hands conv to another agent of the same team: the same
// thread, the card and a mention tell them.
func (b *Bridge) transferToAgent(ctx context.Context, tx Tx, conv Conversation, actor, agent, reason string, now time.Time) error {
	lang := b.language(conv.Team)
	conv.Assignee, conv.State = agent, StateAssigned
	if _, err := tx.UpdateConversation(ctx, conv); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventTransferred, Actor: actor, Data: "agent:" + agent, At: now}); err != nil {
		return err
	}
	if err := b.conversationChanged(ctx, tx, conv, crmTransferred, actor, map[string]string{"agent": agent}, now); err != nil { // crm.go
		return err
	}
	why := ""
	if reason != "" {
		why = " " + reason
	}
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.transferred_agent", MentionToken(actor), MentionToken(agent), why), now); err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv.ID, now)
}

// transferToTeam moves conv to another team's channel: a new thread opened
// with a context block, the old thread closed with a link to it. The
// customer notices nothing.
func (b *Bridge) transferToTeam(ctx context.Context, tx Tx, conv Conversation, actor string, target Team, agent, reason string, now time.Time) error {
	from := conv.Team
	lang := b.language(target.Name)
	old, err := tx.CurrentThread(ctx, conv.ID)
	if err != nil {
		return err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	recent, total, err := tx.RecentMessages(ctx, conv.ID, 5)
	if err != nil {
		return err
	}
	conv.Team, conv.Assignee, conv.State = target.Name, "", StatePending
	if agent != "" {
		conv.Assignee, conv.State = agent, StateAssigned
	}
	if conv, err = tx.UpdateConversation(ctx, conv); err != nil {
		return err
	}
	// The transfer is logged before any assignment it leads to, so metrics
	// credit the new agent to the new team.
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventTransferred, Actor: actor,
		Data: fmt.Sprintf("team:%s->%s", from, target.Name), At: now}); err != nil {
		return err
	}
	if err := b.conversationChanged(ctx, tx, conv, crmTransferred, actor,
		map[string]string{"from_team": from, "team": target.Name}, now); err != nil { // crm.go
		return err
	}
	if agent == "" {
		if conv, _, err = b.assign(ctx, tx, conv, now); err != nil {
			return err
		}
	}
	if _, err := tx.CreateThread(ctx, Thread{ConversationID: conv.ID, CreatedAt: now,
		Ref: ThreadRef{Workspace: target.Workspace, ChannelID: target.homeFor(conv.ID)}}); err != nil {
		return err
	}
	// The new thread opens first in the lane, then its context, then the
	// old thread is closed with a link to the new one.
	if err := b.enqueueWorkspace(ctx, tx, conv.ID, DeliverOpenThread, nil, now); err != nil {
		return err
	}
	oldLink := ""
	if ws, ok := b.workspaces[old.Ref.Workspace]; ok && !old.Ref.IsZero() {
		oldLink = ws.Link(old.Ref)
	}
	// A mention only works inside its own workspace: across Slack and
	// Discord the sender is named, not mentioned.
	who := MentionToken(actor)
	if b.team(from).Workspace != target.Workspace {
		who = "@" + actor
	}
	if err := b.enqueueSystem(ctx, tx, conv.ID, b.transferContext(lang, from, who, reason, contact, recent, total, conv.OpenedAt, oldLink), now); err != nil {
		return err
	}
	// The new thread's summary follows its context block (assist_agent.go).
	if err := b.enqueueSummary(ctx, tx, conv.ID, SummaryTransfer, now); err != nil {
		return err
	}
	if err := b.enqueueWorkspace(ctx, tx, conv.ID, DeliverCloseThread, closePayload{ThreadID: old.ID, Team: target.Name}, now); err != nil {
		return err
	}
	return b.enqueueWorkspace(ctx, tx, conv.ID, DeliverUpdateCard, cardPayload{ThreadID: old.ID, TransferredTo: target.Name}, now)
}

// transferContext is the block that opens a transferred conversation's new
// thread: who sent it and why, the customer, and the conversation so far.
func (b *Bridge) transferContext(lang, from, actor, reason string, contact Contact, recent []Message, total int, since time.Time, oldLink string) string {
	why := ""
	if reason != "" {
		why = Text(lang, "sys.transfer_reason", reason)
	}
	var lines []string
	for _, m := range recent {
		who := Text(lang, "who.customer")
		if m.Direction == Outbound {
			who = Text(lang, "who.agent")
		}
		body := m.Body
		if body == "" {
			body = "[" + string(m.Kind) + "]"
		}
		lines = append(lines, fmt.Sprintf("> _%s:_ %s", who, truncate(strings.ReplaceAll(body, "\n", " "), 200)))
	}
	name := customerLabel(contact, Text(lang, "card.unknown_customer")) // identities.go
	return Text(lang, "sys.transfer_context", from, actor, why, name, MaskPhone(contact.Phone),
		total, since.Format("2006-01-02 15:04 MST"), strings.Join(lines, "\n"), oldLink)
}
