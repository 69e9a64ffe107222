package app

import (
	"log/slog"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// buildMessenger adds the messenger channel to set when it is configured.
func buildMessenger(cfg *configs.Config, tune Tuning, log *slog.Logger, metrics *bridge.Metrics, set *channelSet) error {
	_, _, _, _, _ = cfg, tune, log, metrics, set // filled in by issue 12's messenger branch
	return nil
}
