package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The fake as a workspace people use, for the sandbox: what people write
// (PostAs) joins the channel with the ts its event will carry, as in
// Slack; people react; trigger_ids name who opened a modal; response_urls
// land where Slack shows them; and History is every channel as its
// members see it, with a version that grows on every change.

// said is one message a person wrote.
type said struct {
	channel, ts, threadTS, user, text string
}

// userReaction is one reaction a person put on a message.
type userReaction struct {
	channel, ts, user, name string
}

// responseTarget is where posts to a response_url land: the message they
// may replace or delete (an ephemeral's ts; "" for a slash command), and
// the user, channel and thread a new ephemeral goes to.
type responseTarget struct {
	user, channel, threadTS, messageTS string
}

// ChannelMessage is one message as the members of its channel see it.
type ChannelMessage struct {
	Channel  string
	TS       string
	ThreadTS string
	// User is the author (BotUserID for switchboard's posts and uploads).
	User     string
	Bot      bool
	Username string
	Text     string
	Blocks   json.RawMessage
	// EphemeralTo is the only user who sees an ephemeral.
	EphemeralTo string
	// Files are the files shared in the message (an upload).
	Files     []Upload
	Reactions []ReactionCount
	// Metadata is a post's message metadata as sent (nil when none).
	Metadata json.RawMessage
}

// ReactionCount is one emoji on a message and who put it there, in order.
type ReactionCount struct {
	Name  string
	Users []string
}

// OpenView is a modal open on a user's screen.
type OpenView struct {
	ID   string
	User string
	JSON json.RawMessage
	// Errors are the field errors of its last submission (block_id →
	// message), when switchboard answered response_action "errors".
	Errors map[string]string
}

// bump records a change: the version grows and waiters wake. mu is held.
func (s *Server) bump() {
	s.version++
	close(s.notify)
	s.notify = make(chan struct{})
	s.changed.Broadcast()
}

// Changes returns the version (it grows with every call the fake answers
// and every change made through its methods) and a channel closed at the
// next change.
func (s *Server) Changes() (version int64, next <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.notify
}

// SetTeamName is the workspace name auth.test answers.
func (s *Server) SetTeamName(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teamName = name
	s.bump()
}

// PostAs records that user wrote text in channel (in the thread threadTS
// when not "") and returns the message's ts: the one the Events API event
// of the message must carry.
func (s *Server) PostAs(channel, threadTS, user, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump()
	ts := s.nextTS()
	s.said = append(s.said, said{channel: channel, ts: ts, threadTS: threadTS, user: user, text: text})
	return ts
}

// ErrNoMessage is returned by React for a message the channel does not hold.
var ErrNoMessage = errors.New("message_not_found")

// React adds (added) or removes user's reaction name on the message ts of
// channel, answering Slack's errors already_reacted and no_reaction.
func (s *Server) React(channel, ts, user, name string, added bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.holdsLocked(channel, ts) {
		return ErrNoMessage
	}
	r := userReaction{channel: channel, ts: ts, user: user, name: name}
	i := slices.Index(s.userReactions, r)
	switch {
	case added && i >= 0:
		return errors.New("already_reacted")
	case !added && i < 0:
		return errors.New("no_reaction")
	case added:
		s.userReactions = append(s.userReactions, r)
	default:
		s.userReactions = slices.Delete(s.userReactions, i, i+1)
	}
	s.bump()
	return nil
}

// holdsLocked reports whether channel holds a message ts; mu is held.
func (s *Server) holdsLocked(channel, ts string) bool {
	for _, p := range s.posts {
		if p.Channel == channel && p.TS == ts {
			return true
		}
	}
	for _, m := range s.said {
		if m.channel == channel && m.ts == ts {
			return true
		}
	}
	for _, u := range s.uploads {
		if u.Channel == channel && s.uploadTS[u.FileID] == ts {
			return true
		}
	}
	return false
}

// NewTrigger hands out a trigger_id for an interaction of user: a modal
// opened with it is user's (OpenViews).
func (s *Server) NewTrigger(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.triggers == nil {
		s.triggers = map[string]string{}
	}
	id := fmt.Sprintf("%d.%d.fake%08d", s.base, s.nextSeq(), s.seq)
	s.triggers[id] = user
	return id
}

// CloseView closes user's modal id, as when they press Cancel.
func (s *Server) CloseView(user, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.current[id]
	if !ok || v.closed || v.user != user {
		return fmt.Errorf("no open view %s for %s", id, user)
	}
	v.closed = true
	s.bump()
	return nil
}

// OpenViews returns the modals open now (opened with a trigger from
// NewTrigger), oldest first.
func (s *Server) OpenViews() []OpenView {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OpenView
	for id, v := range s.current {
		if v.user != "" && !v.closed && v.json != nil {
			out = append(out, OpenView{ID: id, User: v.user, JSON: v.json, Errors: v.errors})
		}
	}
	slices.SortFunc(out, func(a, b OpenView) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// AddEphemeral shows user an ephemeral in channel (in the thread threadTS
// when not ""), as Slack does with the answer to a slash command, and
// returns its ts.
func (s *Server) AddEphemeral(channel, threadTS, user, text string, blocks json.RawMessage) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump()
	m := Message{Channel: channel, ThreadTS: threadTS, User: user, Text: text, Blocks: blocks, TS: s.nextTS()}
	s.ephemerals = append(s.ephemerals, m)
	return m.TS
}

// ResponseURLFor hands out a response_url whose posts land as Slack's do:
// for an interaction on user's ephemeral messageTS, replace_original and
// delete_original change that ephemeral; any other post (and every post
// when messageTS is "", a slash command's) is a new ephemeral to user in
// channel and thread threadTS.
func (s *Server) ResponseURLFor(id, user, channel, threadTS, messageTS string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.responseTargets == nil {
		s.responseTargets = map[string]responseTarget{}
	}
	s.responseTargets[id] = responseTarget{user: user, channel: channel, threadTS: threadTS, messageTS: messageTS}
	return s.srv.URL + "/actions/" + id
}

// landResponse applies a response_url post to the ephemerals; mu is held.
func (s *Server) landResponse(id string, raw json.RawMessage, text string, replace, del bool) {
	to, ok := s.responseTargets[id]
	if !ok {
		return
	}
	var msg struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	_ = json.Unmarshal(raw, &msg)
	if (replace || del) && to.messageTS != "" {
		for i, e := range s.ephemerals {
			if e.Channel == to.channel && e.TS == to.messageTS && e.User == to.user {
				if del {
					s.ephemerals = slices.Delete(s.ephemerals, i, i+1)
				} else {
					s.ephemerals[i].Text, s.ephemerals[i].Blocks = text, msg.Blocks
				}
				return
			}
		}
		return
	}
	if text == "" && len(msg.Blocks) == 0 {
		return
	}
	s.ephemerals = append(s.ephemerals, Message{Channel: to.channel, ThreadTS: to.threadTS, User: to.user, Text: text,
		Blocks: msg.Blocks, TS: s.nextTS()})
}

// History returns every channel's messages as their members see them,
// ordered by ts: switchboard's posts as last updated, what people wrote,
// uploads, and ephemerals (EphemeralTo set), each with its reactions.
func (s *Server) History() []ChannelMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.historyLocked()
}

// historyLocked is History with mu held.
func (s *Server) historyLocked() []ChannelMessage {
	var out []ChannelMessage
	for _, p := range s.posts {
		m := ChannelMessage{Channel: p.Channel, TS: p.TS, ThreadTS: p.ThreadTS, User: BotUserID, Bot: true,
			Username: p.Username, Text: p.Text, Blocks: p.Blocks, Metadata: p.Metadata}
		for _, u := range s.updates {
			if u.Channel == p.Channel && u.TS == p.TS {
				m.Text, m.Blocks = u.Text, u.Blocks
			}
		}
		out = append(out, m)
	}
	for _, m := range s.said {
		out = append(out, ChannelMessage{Channel: m.channel, TS: m.ts, ThreadTS: m.threadTS, User: m.user, Text: m.text})
	}
	for _, u := range s.uploads {
		out = append(out, ChannelMessage{Channel: u.Channel, TS: s.uploadTS[u.FileID], ThreadTS: u.ThreadTS, User: BotUserID, Bot: true,
			Text: u.InitialComment, Files: []Upload{u}})
	}
	for _, e := range s.ephemerals {
		out = append(out, ChannelMessage{Channel: e.Channel, TS: e.TS, ThreadTS: e.ThreadTS, User: BotUserID, Bot: true,
			Text: e.Text, Blocks: e.Blocks, EphemeralTo: e.User})
	}
	for i := range out {
		out[i].Reactions = s.reactionsLocked(out[i].Channel, out[i].TS)
	}
	slices.SortStableFunc(out, func(a, b ChannelMessage) int { return compareTS(a.TS, b.TS) })
	return out
}

// reactionsLocked lists the reactions on one message: the bot's first
// (reactions.add), then people's; mu is held.
func (s *Server) reactionsLocked(channel, ts string) []ReactionCount {
	var out []ReactionCount
	add := func(name, user string) {
		for i := range out {
			if out[i].Name == name {
				out[i].Users = append(out[i].Users, user)
				return
			}
		}
		out = append(out, ReactionCount{Name: name, Users: []string{user}})
	}
	for _, r := range s.reactions {
		if r.Channel == channel && r.Timestamp == ts {
			add(r.Name, BotUserID)
		}
	}
	for _, r := range s.userReactions {
		if r.channel == channel && r.ts == ts {
			add(r.name, r.user)
		}
	}
	return out
}

// compareTS orders Slack ts values ("1700000000.000123") numerically.
func compareTS(a, b string) int {
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	if c := compareDigits(as, bs); c != 0 {
		return c
	}
	return compareDigits(af, bf)
}

func compareDigits(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// UploadData returns the bytes of a completed upload.
func (s *Server) UploadData(fileID string) (data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.uploads {
		if u.FileID == fileID {
			return u.Data, true
		}
	}
	return nil, false
}

// detectType names a file's type from its first bytes.
func detectType(data []byte) string { return http.DetectContentType(data) }

// Mimetype is the upload's content type, as Slack detects it.
func (u Upload) Mimetype() string { return detectType(u.Data) }
