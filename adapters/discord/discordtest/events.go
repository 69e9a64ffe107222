package discordtest

import (
	"cmp"
	"encoding/json"
	"testing"
	"time"
)

// permissions is a plausible permission set; Discord sends it as a string
// (discordgo fails the whole event on a number).
const permissions = "2248473465835073"

// User is a guild member who writes or clicks.
type User struct {
	ID       string
	Username string
	// Nick is the member's nickname in the guild ("" for none).
	Nick  string
	Bot   bool
	Roles []string
	// Locale is the user's client language, sent with their interactions
	// ("es-ES", "pt-BR"); empty means "en-US".
	Locale string
}

func (u User) userJSON() map[string]any {
	name := u.Username
	if name == "" {
		name = "user" + u.ID
	}
	out := map[string]any{"id": u.ID, "username": name, "global_name": name, "discriminator": "0", "avatar": nil}
	if u.Bot {
		out["bot"] = true
	}
	return out
}

func (u User) memberJSON(withUser bool) map[string]any {
	out := map[string]any{
		"roles": nonNil(u.Roles), "joined_at": "2024-01-02T03:04:05.000000+00:00", "nick": nil,
		"deaf": false, "mute": false, "flags": 0, "pending": false, "premium_since": nil,
	}
	if u.Nick != "" {
		out["nick"] = u.Nick
	}
	if withUser {
		out["user"] = u.userJSON()
		out["permissions"] = permissions
	}
	return out
}

// Attachment is a file on a dispatched message.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// MessageSpec describes a MESSAGE_CREATE.
type MessageSpec struct {
	ChannelID   string // the thread (or channel) the message is in
	Author      User
	Content     string
	Attachments []Attachment
	Mentions    []User
	// Type is the message type; 0 (default) or 19 (reply) are what people
	// send; 18 announces a thread.
	Type      int
	WebhookID string
	// Lost stores the message without dispatching MESSAGE_CREATE, as when
	// the gateway lost the event: only GET …/messages shows it.
	Lost bool
	// Flags are the message flags, e.g. FlagVoiceMessage.
	Flags int
	// ReplyTo makes the message a reply (type 19) to that message of the
	// same channel, with message_reference and referenced_message.
	ReplyTo string
}

// FlagVoiceMessage (IS_VOICE_MESSAGE, 1<<13) marks a voice message: one
// audio/ogg attachment recorded in the client.
const FlagVoiceMessage = 1 << 13

// SendMessage stores a message as if a person had written it and
// dispatches MESSAGE_CREATE to the current gateway session. It returns the
// message id.
func (s *Server) SendMessage(t testing.TB, m MessageSpec) string {
	t.Helper()
	s.mu.Lock()
	id := s.newIDLocked()
	channelType := TypeText
	if c, ok := s.channels[m.ChannelID]; ok {
		channelType = c.Type
	}
	attachments := []any{}
	for _, a := range m.Attachments {
		aid := s.newIDLocked()
		path := m.ChannelID + "/" + aid + "/" + a.Filename
		s.files[path] = a.Data
		attachments = append(attachments, map[string]any{
			"id": aid, "filename": a.Filename, "size": len(a.Data), "content_type": a.ContentType,
			"url":       CDNURL + "/attachments/" + path,
			"proxy_url": "https://media.discordapp.net/attachments/" + path,
		})
	}
	mentions := []any{}
	for _, u := range m.Mentions {
		mu := u.userJSON()
		mu["member"] = u.memberJSON(false)
		mentions = append(mentions, mu)
		s.members[u.ID] = u // a guild member: GET …/members/{id} finds them
	}
	data := map[string]any{
		"id": id, "channel_id": m.ChannelID, "guild_id": GuildID, "channel_type": channelType,
		"type": m.Type, "content": m.Content, "author": m.Author.userJSON(),
		"member": m.Author.memberJSON(false), "attachments": attachments, "embeds": []any{},
		"mentions": mentions, "mention_roles": []any{}, "mention_everyone": false, "pinned": false,
		"tts": false, "timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil,
		"flags": m.Flags, "components": []any{}, "nonce": id,
	}
	if m.WebhookID != "" {
		data["webhook_id"] = m.WebhookID
	}
	if m.ReplyTo != "" {
		data["type"] = 19
		data["message_reference"] = map[string]any{"type": 0, "message_id": m.ReplyTo, "channel_id": m.ChannelID, "guild_id": GuildID}
		if ref, ok := s.messages[m.ReplyTo]; ok {
			data["referenced_message"] = s.messageJSON(ref)
		}
	}
	// Over REST a message carries neither guild_id nor member.
	stored := map[string]any{}
	for k, v := range data {
		if k != "guild_id" && k != "member" {
			stored[k] = v
		}
	}
	s.messages[id] = &Message{ID: id, ChannelID: m.ChannelID, AuthorID: m.Author.ID, Content: m.Content, event: stored}
	s.order = append(s.order, id)
	s.members[m.Author.ID] = m.Author
	s.notifyLocked()
	s.mu.Unlock()
	if !m.Lost {
		s.Dispatch(t, "MESSAGE_CREATE", data)
	}
	return id
}

// Interaction is what a dispatched INTERACTION_CREATE carried; its id and
// token find the callback.
type Interaction struct {
	ID    string
	Token string
}

// ButtonSpec describes a click on a message's button.
type ButtonSpec struct {
	ChannelID string // the channel holding the card (the thread, for cards)
	MessageID string // the card
	User      User
	CustomID  string
}

// ClickButton dispatches an INTERACTION_CREATE of type 3 (component).
func (s *Server) ClickButton(t testing.TB, b ButtonSpec) Interaction {
	t.Helper()
	data := map[string]any{"custom_id": b.CustomID, "component_type": 2}
	extra := map[string]any{}
	s.mu.Lock()
	if m, ok := s.messages[b.MessageID]; ok {
		extra["message"] = s.messageJSON(m)
	}
	s.mu.Unlock()
	return s.interact(t, 3, b.ChannelID, b.User, data, extra)
}

// Option is one slash command option; Value is a string (type 3) unless
// Type says otherwise (6 user: Value is the user id).
type Option struct {
	Name  string
	Type  int
	Value any
	// Options are a subcommand's own options (Type 1, no Value).
	Options []Option
}

// CommandSpec describes a slash command typed in a channel or thread.
type CommandSpec struct {
	ChannelID string
	User      User
	Name      string
	Options   []Option
}

// RunCommand dispatches an INTERACTION_CREATE of type 2 (application
// command).
func (s *Server) RunCommand(t testing.TB, c CommandSpec) Interaction {
	t.Helper()
	resolvedUsers := map[string]any{}
	var build func([]Option) []any
	build = func(list []Option) []any {
		opts := []any{}
		for _, o := range list {
			typ := o.Type
			if typ == 0 {
				typ = 3
			}
			if typ == 1 { // a subcommand: its options, no value
				opts = append(opts, map[string]any{"name": o.Name, "type": typ, "options": build(o.Options)})
				continue
			}
			opts = append(opts, map[string]any{"name": o.Name, "type": typ, "value": o.Value})
			if typ == 6 {
				if id, ok := o.Value.(string); ok {
					resolvedUsers[id] = User{ID: id}.userJSON()
				}
			}
		}
		return opts
	}
	opts := build(c.Options)
	data := map[string]any{"id": s.NewID(), "name": c.Name, "type": 1, "guild_id": GuildID, "options": opts}
	if len(resolvedUsers) > 0 {
		data["resolved"] = map[string]any{"users": resolvedUsers}
	}
	return s.interact(t, 2, c.ChannelID, c.User, data, nil)
}

func (s *Server) interact(t testing.TB, typ int, channelID string, u User, data map[string]any, extra map[string]any) Interaction {
	t.Helper()
	s.mu.Lock()
	id := s.newIDLocked()
	s.members[u.ID] = u
	s.itypes[id] = typ
	var channel map[string]any
	if c, ok := s.channels[channelID]; ok {
		channel = channelJSON(c)
	}
	s.mu.Unlock()
	token := s.issueToken(id)
	payload := map[string]any{
		"id": id, "application_id": AppID, "type": typ, "token": token, "version": 1,
		"guild_id": GuildID, "channel_id": channelID, "data": data,
		"member": u.memberJSON(true), "app_permissions": permissions,
		"locale": cmp.Or(u.Locale, "en-US"), "guild_locale": "en-US", "entitlements": []any{},
		"authorizing_integration_owners": map[string]any{"0": GuildID}, "context": 0,
	}
	if channel != nil {
		payload["channel"] = channel
	}
	for k, v := range extra {
		payload[k] = v
	}
	s.Dispatch(t, "INTERACTION_CREATE", payload)
	return Interaction{ID: id, Token: token}
}

// InteractionTTL is how long Discord honours an interaction token for
// follow-ups.
const InteractionTTL = 15 * time.Minute

// issueToken makes the token of interaction id, opaque like Discord's, and
// remembers when it was issued so follow-ups can be checked.
func (s *Server) issueToken(id string) string {
	token := "aW50ZXJhY3Rpb246" + id
	s.mu.Lock()
	s.tokens[token] = time.Now()
	s.mu.Unlock()
	return token
}

// IssueInteraction makes an interaction (id and token) without
// dispatching it, for tests of follow-ups that need no gateway.
func (s *Server) IssueInteraction() Interaction {
	id := s.NewID()
	return Interaction{ID: id, Token: s.issueToken(id)}
}

// ExpireInteraction makes the interaction's token older than
// InteractionTTL, as if 15 minutes had passed.
func (s *Server) ExpireInteraction(in Interaction) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[in.Token]; ok {
		s.tokens[in.Token] = time.Now().Add(-InteractionTTL - time.Second)
	}
}

// WaitCallback waits for the response to an interaction.
func (s *Server) WaitCallback(t testing.TB, in Interaction) Callback {
	t.Helper()
	var got Callback
	s.WaitFor(t, 10*time.Second, "callback of interaction "+in.ID, func() bool {
		for _, c := range s.Callbacks() {
			if c.InteractionID == in.ID {
				got = c
				return true
			}
		}
		return false
	})
	return got
}

// CommandNames returns the names in the last bulk overwrite for guildID.
func (s *Server) CommandNames(guildID string) []string {
	raw, ok := s.Commands(guildID)
	if !ok {
		return nil
	}
	var cmds []struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(raw, &cmds)
	names := make([]string, 0, len(cmds))
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	return names
}
