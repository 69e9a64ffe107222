package bridge

// This file is the one place that decides who may act on a team's
// conversations. Every verb (reply, claim, unclaim, resolve, reopen,
// transfer, takeover, queue, status, metrics) asks standingIn, whatever
// adapter the request came through.
//
// The rule (standing, a pure function):
//  1. the team's supervisors may always act;
//  2. people in the team's exclude list never may;
//  3. people in its members list always may (pinned);
//  4. a guest of another workspace (Slack Connect) may not;
//  5. a team with a role (Discord) counts the holders of that role, as the
//     event that carried the request says;
//  6. a team whose workspace lists channel members (Slack) counts the
//     members of its channels, as last read from conversations.members and
//     kept fresh by member_joined_channel / member_left_channel;
//  7. when that list was never read (the API failing, a missing scope) the
//     answer is StandingUnknown and the request is refused with the reason: never
//     fail open;
//  8. anyone else is an outsider.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Standing is what a person is to a team. The order matters: a standing
// of StandingAgent or more may act.
type Standing int

const (
	// StandingOutsider is nobody the team knows.
	StandingOutsider Standing = iota
	// StandingUnknown: the team's member list could not be read, so nobody but its
	// pinned members and supervisors is taken for an agent.
	StandingUnknown
	// StandingAgent may reply, claim, resolve, transfer.
	StandingAgent
	// StandingSupervisor may also take over and read every agent's figures.
	StandingSupervisor
)

// mayAct reports whether s allows acting on the team's conversations.
func (s Standing) mayAct() bool { return s >= StandingAgent }

// Person is who asks to act, as the adapter saw them.
type Person struct {
	ID string
	// Roles are the person's Discord role ids from the event (nil on Slack).
	Roles []string
	// Guest: a user of another workspace (Slack Connect), as the event's
	// team id says.
	Guest bool
}

// Roster is who is in a workspace channel, as stored (storage keeps it so
// every replica shares it).
type Roster struct {
	Members []string
	// Loaded is false until the channel's member list was read once from
	// the platform; events alone never make a roster known.
	Loaded   bool
	LoadedAt time.Time
	// Version counts the joins and leaves recorded since; a refresh
	// passes the version it saw before reading, so it cannot undo one.
	Version int64
}

// standing applies the rule above. rosters are the rosters of the team's
// channels; nil means the team's workspace lists no channel members.
func standing(t Team, p Person, rosters []Roster) Standing {
	switch {
	case p.ID == "":
		return StandingOutsider
	case contains(t.Supervisors, p.ID):
		return StandingSupervisor
	case contains(t.Exclude, p.ID):
		return StandingOutsider
	case contains(t.Members, p.ID):
		return StandingAgent
	case p.Guest:
		return StandingOutsider
	case t.Role != "":
		if contains(p.Roles, t.Role) {
			return StandingAgent
		}
		return StandingOutsider
	}
	unknown := false
	for _, r := range rosters {
		if !r.Loaded {
			unknown = true
			continue
		}
		if contains(r.Members, p.ID) {
			return StandingAgent
		}
	}
	if unknown {
		return StandingUnknown
	}
	return StandingOutsider
}

// RosterSource is an optional capability of an AgentWorkspace: listing
// who is in a channel (Slack conversations.members). Teams in a
// workspace without it have only their pinned members and role holders.
type RosterSource interface {
	// ChannelMembers returns the user ids in channel, every page of them.
	// Called by SyncRosters, outside transactions.
	ChannelMembers(ctx context.Context, channel string) ([]string, error)
}

// MembershipChange is someone joining or leaving a workspace channel
// (Slack member_joined_channel / member_left_channel).
type MembershipChange struct {
	Workspace WorkspaceKind
	EventID   string // the platform's delivery id; a retry changes nothing
	ChannelID string
	UserID    string
	Joined    bool
	// Guest: a user of another workspace; a guest joining never becomes a
	// member (only the members list can make them one).
	Guest bool
}

// MembershipInbound is what a workspace adapter that sees channel
// membership events calls. Returning nil means the change is stored.
type MembershipInbound interface {
	HandleMembershipChange(ctx context.Context, ch MembershipChange) error
}

var _ MembershipInbound = (*Bridge)(nil)

// rosterReader is the part of Tx that standingIn reads.
type rosterReader interface {
	ChannelRoster(ctx context.Context, ws WorkspaceKind, channel string) (Roster, error)
}

// usesRosters reports whether the team's agents follow its channels'
// members: its workspace lists them and no role decides instead.
func (b *Bridge) usesRosters(t Team) bool {
	if t.Role != "" {
		return false
	}
	_, ok := b.workspaces[t.Workspace].(RosterSource)
	return ok
}

// standingIn is p's standing in team t, reading the rosters of t's
// channels only when the lists in the config do not decide.
func (b *Bridge) standingIn(ctx context.Context, r rosterReader, t Team, p Person) (Standing, error) {
	if s := standing(t, p, nil); s != StandingOutsider || !b.usesRosters(t) {
		return s, nil
	}
	rosters := make([]Roster, 0, 1+len(t.MoreChannels))
	for _, ch := range append([]string{t.ChannelID}, t.MoreChannels...) {
		ro, err := r.ChannelRoster(ctx, t.Workspace, ch)
		if err != nil {
			return StandingOutsider, fmt.Errorf("roster of %s: %w", ch, err)
		}
		rosters = append(rosters, ro)
	}
	return standing(t, p, rosters), nil
}

// refusalKey is the catalogue text telling p why they may not act in a
// team (%s: the team's name).
func refusalKey(s Standing, p Person) string {
	switch {
	case s == StandingUnknown:
		return "tell.membership_unknown"
	case p.Guest:
		return "tell.guest"
	}
	return "tell.not_member"
}

// teamsOf lists the teams p may act in, in name order; unknown tells
// whether some team's membership could not be read.
func (b *Bridge) teamsOf(ctx context.Context, r rosterReader, p Person) (teams []Team, unknown bool, err error) {
	for _, name := range strings.Split(b.teamNames(), ", ") {
		t := b.teams[name]
		s, err := b.standingIn(ctx, r, t, p)
		if err != nil {
			return nil, false, err
		}
		if s.mayAct() {
			teams = append(teams, t)
		}
		unknown = unknown || s == StandingUnknown
	}
	return teams, unknown, nil
}

// HandleMembershipChange records someone joining or leaving a channel. An
// agent who is no longer one of a team gives their open conversations back
// to its queue.
func (b *Bridge) HandleMembershipChange(ctx context.Context, ch MembershipChange) error {
	if ch.UserID == "" || ch.ChannelID == "" || !b.isTeamChannel(ch.Workspace, ch.ChannelID) {
		return nil // only our teams' channels are worth keeping
	}
	return b.inTx(ctx, func(tx Tx) error {
		if ch.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(ch.Workspace)+":member", ch.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		if ch.Joined && ch.Guest {
			return nil // a guest is never a member through the channel
		}
		if err := tx.SetChannelMember(ctx, ch.Workspace, ch.ChannelID, ch.UserID, ch.Joined); err != nil {
			return err
		}
		if ch.Joined {
			return nil
		}
		return b.releaseOutsiders(ctx, tx, ch.Workspace, ch.ChannelID, b.now())
	})
}

// RosterTrustedFor is how long a channel member list read from the
// platform is still used while reading it again fails; after that the
// team's channel members count as unknown (refused) until a read works.
const RosterTrustedFor = time.Hour

// SyncRosters reads the members of every channel whose team follows its
// channels' members and stores them, when the stored list is older than
// maxAge or was never read. A channel that cannot be read keeps its last
// list for RosterTrustedFor; after that, or when it was never read, its
// members are unknown and its team refuses everyone but its pinned
// members and supervisors, saying why. Called at start-up and
// periodically.
func (b *Bridge) SyncRosters(ctx context.Context, maxAge time.Duration) error {
	var errs []error
	for _, name := range strings.Split(b.teamNames(), ", ") {
		t := b.teams[name]
		if !b.usesRosters(t) {
			continue
		}
		src := b.workspaces[t.Workspace].(RosterSource)
		for _, ch := range append([]string{t.ChannelID}, t.MoreChannels...) {
			var ro Roster
			err := b.store.InTx(ctx, func(tx Tx) error {
				var err error
				ro, err = tx.ChannelRoster(ctx, t.Workspace, ch)
				return err
			})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if ro.Loaded && b.now().Sub(ro.LoadedAt) < maxAge {
				// Fresh: still give back what someone excluded since holds
				// (the config changed at a restart).
				if err := b.inTx(ctx, func(tx Tx) error { return b.releaseOutsiders(ctx, tx, t.Workspace, ch, b.now()) }); err != nil {
					errs = append(errs, err)
				}
				continue
			}
			members, err := src.ChannelMembers(ctx, ch)
			if err != nil {
				errs = append(errs, fmt.Errorf("members of %s: %w", ch, err))
				if ro.Loaded && b.now().Sub(ro.LoadedAt) < RosterTrustedFor {
					b.log.Warn("channel members not read again; the list read earlier is still used", "team", t.Name, "channel", ch,
						"read_at", ro.LoadedAt, "err", err)
					continue
				}
				// Never fail open: a list nobody could confirm for this
				// long may keep someone who left (their member_left event
				// missed, or our access to the channel revoked).
				b.log.Warn("channel members not read; the team's agents cannot act until they are", "team", t.Name, "channel", ch, "err", err)
				if ro.Loaded {
					if err := b.store.InTx(ctx, func(tx Tx) error { return tx.ForgetChannelRoster(ctx, t.Workspace, ch) }); err != nil {
						errs = append(errs, err)
					}
				}
				continue
			}
			// Not b.inTx: a conflict means someone joined or left while the
			// list was read, and only a new read can tell the whole truth.
			err = b.store.InTx(ctx, func(tx Tx) error {
				if err := tx.ReplaceChannelRoster(ctx, t.Workspace, ch, members, b.now(), ro.Version); err != nil {
					return err
				}
				return b.releaseOutsiders(ctx, tx, t.Workspace, ch, b.now())
			})
			switch {
			case errors.Is(err, ErrConflict):
				b.log.Info("channel membership changed while its members were read; reading again next time", "team", t.Name, "channel", ch)
			case err != nil:
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// releaseOutsiders returns to the queue the open conversations of every
// team living in channel whose assignee is no longer one of its agents.
func (b *Bridge) releaseOutsiders(ctx context.Context, tx Tx, ws WorkspaceKind, channel string, now time.Time) error {
	for _, name := range strings.Split(b.teamNames(), ", ") {
		t := b.teams[name]
		// Without rosters (a role team) the assignee's roles are not
		// known here: nobody is released on a guess.
		if t.Workspace != ws || !t.owns(channel) || !b.usesRosters(t) {
			continue
		}
		convs, err := tx.OpenConversations(ctx, t.Name)
		if err != nil {
			return err
		}
		released := false
		for _, c := range convs {
			if c.Assignee == "" || c.Assignee == assist.AgentID || c.State != StateAssigned {
				continue // the assistant is no member of any channel, and never leaves
			}
			s, err := b.standingIn(ctx, tx, t, Person{ID: c.Assignee})
			if err != nil {
				return err
			}
			if s != StandingOutsider { // StandingUnknown keeps the assignee: we cannot tell
				continue
			}
			if err := b.release(ctx, tx, c, now); err != nil {
				return err
			}
			released = true
		}
		if released {
			if err := b.drainQueue(ctx, tx, t.Name, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// EventReleased: an assignee who left the team gave the conversation back.
const EventReleased = "released"

// release puts conv back in its team's queue because its assignee left.
func (b *Bridge) release(ctx context.Context, tx Tx, conv Conversation, now time.Time) error {
	gone := conv.Assignee
	conv.Assignee, conv.State = "", StatePending
	if _, err := tx.UpdateConversation(ctx, conv); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventReleased, Actor: gone, Data: "left_team", At: now}); err != nil {
		return err
	}
	b.log.Info("conversation back in the queue: its agent left the team", "conversation", conv.ID, "team", conv.Team)
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(b.language(conv.Team), "sys.agent_left", MentionToken(gone)), now); err != nil {
		return err
	}
	return b.enqueueCard(ctx, tx, conv.ID, now)
}

// personOf helpers turn inbound events into a Person.
func (m AgentMessage) person() Person { return Person{ID: m.AuthorID, Roles: m.Roles, Guest: m.Guest} }
func (a AgentAction) person() Person  { return Person{ID: a.ActorID, Roles: a.Roles, Guest: a.Guest} }
func (c AgentCommand) person() Person { return Person{ID: c.UserID, Roles: c.Roles, Guest: c.Guest} }
