package discord

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// forumTagNames are the tag names (normalised: lower case, letters and
// spaces only) that show each conversation state on a forum post, when
// Config.ForumTags does not name the tag ids. The first name a forum has
// wins, so "Waiting" beats "Open" when both exist.
var forumTagNames = map[string][]string{
	"pending":  {"waiting", "pending", "open", "new", "unassigned"},
	"assigned": {"assigned", "claimed", "in progress"},
	"resolved": {"resolved", "closed", "done", "solved"},
}

// forumTagsTTL is how long a forum's tags, read from Discord, are trusted:
// tags an admin adds or renames are picked up within this time, at the
// cost of one GET per forum.
const forumTagsTTL = 10 * time.Minute

// forumTagCache remembers, per forum channel, the tag id of each state.
type forumTagCache struct {
	mu sync.Mutex
	m  map[string]forumTagEntry
}

type forumTagEntry struct {
	byState map[string]string
	at      time.Time
}

// forumTags returns the tag to apply to a forum post for the card's state:
// from Config.ForumTags when it names the channel, otherwise from the
// forum's own tags matched by name (see forumTagNames). nil when the state
// cannot be told or the forum has no such tag.
func (w *Workspace) forumTags(ctx context.Context, channelID string, card bridge.Card) ([]string, error) {
	state := CardState(card)
	if state == "" {
		return nil, nil
	}
	byState, ok := w.cfg.ForumTags[channelID]
	if !ok {
		var err error
		if byState, err = w.discoverForumTags(ctx, channelID); err != nil {
			return nil, err
		}
	}
	if tag := byState[state]; tag != "" {
		return []string{tag}, nil
	}
	return nil, nil
}

// discoverForumTags reads the forum's available tags and matches them to
// states by name.
func (w *Workspace) discoverForumTags(ctx context.Context, channelID string) (map[string]string, error) {
	w.tags.mu.Lock()
	e, ok := w.tags.m[channelID]
	w.tags.mu.Unlock()
	if ok && time.Since(e.at) < forumTagsTTL {
		return e.byState, nil
	}
	ch, err := w.s.Channel(channelID, discordgo.WithContext(ctx))
	if err != nil {
		return nil, deliveryError("get forum tags", err)
	}
	byState := MatchForumTags(ch.AvailableTags)
	if len(byState) < len(forumTagNames) {
		w.cfg.Log.Warn("discord forum lacks state tags; add tags named Waiting, Assigned and Resolved to the forum",
			"channel", channelID, "found", len(byState))
	}
	w.tags.mu.Lock()
	if w.tags.m == nil {
		w.tags.m = map[string]forumTagEntry{}
	}
	w.tags.m[channelID] = forumTagEntry{byState: byState, at: time.Now()}
	w.tags.mu.Unlock()
	return byState, nil
}

// MatchForumTags maps states ("pending", "assigned", "resolved") to the id
// of the forum tag whose name shows it (see forumTagNames).
func MatchForumTags(tags []discordgo.ForumTag) map[string]string {
	byName := map[string]string{}
	for _, t := range tags {
		n := normaliseTagName(t.Name)
		if _, dup := byName[n]; !dup && t.ID != "" {
			byName[n] = t.ID
		}
	}
	out := map[string]string{}
	for state, names := range forumTagNames {
		for _, n := range names {
			if id, ok := byName[n]; ok {
				out[state] = id
				break
			}
		}
	}
	return out
}

func normaliseTagName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r):
			return unicode.ToLower(r)
		case unicode.IsSpace(r), r == '-', r == '_':
			return ' '
		}
		return -1
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
