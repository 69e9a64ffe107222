package discordtest

import (
	"testing"
	"time"
)

// Edits and deletions as the gateway tells them: MESSAGE_UPDATE carries
// the whole message with edited_timestamp set; MESSAGE_DELETE only the
// message's id, channel_id and guild_id (no author).

// EditMessage changes the content of a message a person wrote (SendMessage)
// and dispatches MESSAGE_UPDATE.
func (s *Server) EditMessage(t testing.TB, id, content string) {
	t.Helper()
	s.mu.Lock()
	m, ok := s.messages[id]
	if !ok || m.event == nil {
		s.mu.Unlock()
		t.Fatalf("discordtest: edit of unknown person's message %s", id)
		return
	}
	m.Content = content
	m.Edits++
	m.event["content"] = content
	m.event["edited_timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	data := map[string]any{"guild_id": GuildID, "member": s.members[m.AuthorID].memberJSON(false)}
	for k, v := range m.event {
		data[k] = v
	}
	s.notifyLocked()
	s.mu.Unlock()
	s.Dispatch(t, "MESSAGE_UPDATE", data)
}

// DispatchBotUpdate dispatches the MESSAGE_UPDATE Discord sends after our
// bot edited one of its own messages (a card, a customer's post).
func (s *Server) DispatchBotUpdate(t testing.TB, id string) {
	t.Helper()
	s.mu.Lock()
	m, ok := s.messages[id]
	if !ok {
		s.mu.Unlock()
		t.Fatalf("discordtest: update of unknown message %s", id)
		return
	}
	data := s.messageJSON(m)
	data["edited_timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	s.mu.Unlock()
	s.Dispatch(t, "MESSAGE_UPDATE", data)
}

// DeleteMessage removes a message and dispatches MESSAGE_DELETE.
func (s *Server) DeleteMessage(t testing.TB, id string) {
	t.Helper()
	s.mu.Lock()
	m, ok := s.messages[id]
	if !ok {
		s.mu.Unlock()
		t.Fatalf("discordtest: delete of unknown message %s", id)
		return
	}
	delete(s.messages, id)
	for i, o := range s.order {
		if o == id {
			s.order = append(s.order[:i:i], s.order[i+1:]...)
			break
		}
	}
	channel := m.ChannelID
	s.notifyLocked()
	s.mu.Unlock()
	s.Dispatch(t, "MESSAGE_DELETE", map[string]any{"id": id, "channel_id": channel, "guild_id": GuildID})
}
