package discordtest

import (
	"encoding/json"
	"strconv"
	"time"
)

// Create Message's nonce (a string or an integer, at most 25 characters)
// with enforce_nonce: true is checked for uniqueness over the past few
// minutes; if the same author made a message with the same nonce, Discord
// returns that message and makes no new one. Every message this fake
// stores through the API is the bot's, so the bot's nonces are kept.

// DefaultNonceWindow is how long the fake remembers an enforced nonce
// (Discord says "the past few minutes").
const DefaultNonceWindow = 3 * time.Minute

type nonceSeen struct {
	id string
	at time.Time
}

// nonceFields are the nonce parts of a message body.
type nonceFields struct {
	Nonce        json.RawMessage `json:"nonce"`
	EnforceNonce bool            `json:"enforce_nonce"`
}

// nonce is the nonce as text, whether sent as a string or an integer.
func (n nonceFields) nonce() string {
	if len(n.Nonce) == 0 || string(n.Nonce) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(n.Nonce, &s) == nil {
		return s
	}
	var i int64
	if json.Unmarshal(n.Nonce, &i) == nil {
		return strconv.FormatInt(i, 10)
	}
	return string(n.Nonce)
}

// SetNonceWindow changes how long an enforced nonce is remembered.
func (s *Server) SetNonceWindow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nonceWindow = d
}

// NonceHits counts the messages answered with an earlier message because
// their enforced nonce repeated one.
func (s *Server) NonceHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonceHits
}

// nonceHitLocked returns the message an enforced nonce already made
// within the window, if it still exists; s.mu held.
func (s *Server) nonceHitLocked(nonce string, enforce bool) (*Message, bool) {
	if nonce == "" || !enforce {
		return nil, false
	}
	seen, ok := s.nonces[nonce]
	if !ok || time.Since(seen.at) > s.windowLocked() {
		return nil, false
	}
	m, ok := s.messages[seen.id]
	return m, ok
}

func (s *Server) rememberNonceLocked(nonce string, enforce bool, id string) {
	if nonce == "" || !enforce {
		return
	}
	if s.nonces == nil {
		s.nonces = map[string]nonceSeen{}
	}
	s.nonces[nonce] = nonceSeen{id: id, at: time.Now()}
}

func (s *Server) windowLocked() time.Duration {
	if s.nonceWindow > 0 {
		return s.nonceWindow
	}
	return DefaultNonceWindow
}
