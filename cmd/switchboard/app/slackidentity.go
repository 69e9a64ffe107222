package app

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	slackadapter "github.com/switchboard/switchboard/adapters/slack"
)

// slackIdentity learns who our Slack bot is (auth.test: user id, bot id,
// team id). The Slack handler refuses events until it is known, since an
// echo of our own post or upload cannot be recognised without it; Slack
// delivers refused events again, so nothing is lost while we wait.
type slackIdentity struct {
	ws  *slackadapter.Workspace
	h   *slackadapter.Handler
	log *slog.Logger

	mu     sync.Mutex
	known  bool
	cancel context.CancelFunc
	done   chan struct{}
}

// slackIdentityTimeout bounds one auth.test call.
const slackIdentityTimeout = 10 * time.Second

// learn makes one auth.test call and reports whether it succeeded.
func (s *slackIdentity) learn(ctx context.Context) bool {
	actx, cancel := context.WithTimeout(ctx, slackIdentityTimeout)
	defer cancel()
	resp, err := s.ws.Client().AuthTestContext(actx)
	if err != nil || resp.UserID == "" || resp.BotID == "" {
		if err == nil {
			s.log.Error("slack auth.test answered without a bot user id or bot id: is slack.bot_token a bot token (xoxb-)?")
		} else {
			// slack-go's errors carry the Slack error code, never the token.
			s.log.Warn("slack auth.test failed; Slack events are refused (and retried by Slack) until it succeeds", "err", err)
		}
		return false
	}
	s.h.SetIdentity(slackadapter.Identity{UserID: resp.UserID, BotID: resp.BotID, TeamID: resp.TeamID, EnterpriseID: resp.EnterpriseID})
	s.mu.Lock()
	s.known = true
	s.mu.Unlock()
	s.log.Info("slack bot identity known", "user_id", resp.UserID, "bot_id", resp.BotID, "team_id", resp.TeamID)
	return true
}

// start keeps asking in the background, with jittered exponential backoff
// (200 ms doubling to 30 s), until auth.test answers or stop is called.
func (s *slackIdentity) start() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known || s.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		wait := 200 * time.Millisecond
		for {
			jittered := time.Duration(float64(wait) * (0.8 + 0.4*rand.Float64()))
			select {
			case <-ctx.Done():
				return
			case <-time.After(jittered):
			}
			if s.learn(ctx) {
				return
			}
			wait = min(2*wait, 30*time.Second)
		}
	}()
}

// stop ends the background attempts and waits for them.
func (s *slackIdentity) stop() {
	if s == nil {
		return
	}
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}
