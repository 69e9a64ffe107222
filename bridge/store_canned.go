package bridge

import (
	"context"
	"time"

	"github.com/switchboard/switchboard/bridge/canned"
)

// CannedTx is the storage contract of canned responses (bridge/canned):
// the config's and the chat's, in one table every replica shares.
type CannedTx interface {
	// CannedResponses lists the responses a team's agents may use: the
	// team's own and the global ones (Team ""), by name, language, then
	// team. team "" lists the global ones only.
	CannedResponses(ctx context.Context, team string) ([]canned.Response, error)
	// CannedResponse finds one version exactly; ErrNotFound.
	CannedResponse(ctx context.Context, team, name, language string) (canned.Response, error)
	// SaveCanned inserts r or replaces the version with the same team,
	// name and language.
	SaveCanned(ctx context.Context, r canned.Response) error
	// DeleteCanned removes one version; deleted is false when there was none.
	DeleteCanned(ctx context.Context, team, name, language string) (deleted bool, err error)
	// ReplaceConfigCanned makes the config's responses exactly list (all
	// with Source "config"): each is written, over a chat one with the
	// same key (the config wins), and config ones missing from list are
	// removed. Chat ones are kept.
	ReplaceConfigCanned(ctx context.Context, list []canned.Response, now time.Time) error
}
