package main

import (
	"errors"
	"flag"
	"io"

	"github.com/switchboard/switchboard/configs"
)

// manifestOptions are the flags of `switchboard slack-manifest` (issue
// 14): configs/slack-app-manifest.yaml with server.public_url's request
// URLs filled in.
type manifestOptions struct {
	publicURL *string
}

func addManifestFlags(fs *flag.FlagSet) *manifestOptions {
	return &manifestOptions{publicURL: fs.String("public-url", "", "public https URL of this server (default: server.public_url)")}
}

func (o *manifestOptions) run(cfg *configs.Config, stdout io.Writer) error {
	return errors.New("slack-manifest: not built yet (issue 14)")
}
