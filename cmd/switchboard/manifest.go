package main

import (
	"flag"
	"fmt"
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

// run prints the manifest for -public-url, else server.public_url; the
// error names whichever was used and how to set it.
func (o *manifestOptions) run(cfg *configs.Config, stdout io.Writer) error {
	publicURL, field := cfg.Server.PublicURL, "server.public_url"
	if *o.publicURL != "" {
		publicURL, field = *o.publicURL, "-public-url"
	}
	out, err := configs.SlackManifest(publicURL)
	if err != nil {
		return fmt.Errorf("slack-manifest: %s: %w (set server.public_url, or SWITCHBOARD_PUBLIC_URL with the built-in configuration, or pass -public-url)", field, err)
	}
	_, err = stdout.Write(out)
	return err
}
