package slacktest

import (
	"net/http"
	"strings"

	"github.com/switchboard/switchboard/configs"
)

// doctorState is what `switchboard doctor` reads besides messages: the
// scopes the token was granted and the channels the bot is not in.
// Guarded by Server.mu.
type doctorState struct {
	scopes    []string // nil: the manifest's bot scopes
	scopesSet bool
	outside   map[string]bool // channel id → the bot is not a member
}

// SetScopes makes every Web API answer report these scopes in its
// X-OAuth-Scopes header, as Slack does for the token used; by default the
// fake grants exactly the bot scopes of configs/slack-app-manifest.yaml.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doctor.scopes, s.doctor.scopesSet = append([]string{}, scopes...), true
}

// RemoveBot makes conversations.info report the bot as not a member of
// channel (is_member false), as after /remove or before /invite.
func (s *Server) RemoveBot(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.doctor.outside == nil {
		s.doctor.outside = map[string]bool{}
	}
	s.doctor.outside[channel] = true
}

// writeScopes sets X-OAuth-Scopes; mu held.
func (s *Server) writeScopes(w http.ResponseWriter) {
	scopes := s.doctor.scopes
	if !s.doctor.scopesSet {
		scopes = configs.SlackBotScopes()
	}
	w.Header().Set("X-OAuth-Scopes", strings.Join(scopes, ","))
}

// conversationInfo answers conversations.info for channels added with
// AddChannel, with is_member; mu held.
func (s *Server) conversationInfo(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("channel")
	name, ok := s.channels[id]
	if !ok {
		slackErr(w, "channel_not_found")
		return
	}
	reply(w, map[string]any{"ok": true, "channel": map[string]any{"id": id, "name": name, "is_channel": true,
		"is_private": false, "is_archived": false, "is_member": !s.doctor.outside[id]}})
}
