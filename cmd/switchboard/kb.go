package main

import (
	"errors"
	"flag"
	"io"

	"github.com/switchboard/switchboard/configs"
)

// kbOptions are the flags of `switchboard kb index|search "question"`
// (issue 11): index the configured knowledge sources into the database
// now, or show what retrieval finds for a question and why.
type kbOptions struct {
	team *string
	k    *int
}

func addKBFlags(fs *flag.FlagSet) *kbOptions {
	return &kbOptions{
		team: fs.String("team", "", "search this team's documents and the global ones (default: global only)"),
		k:    fs.Int("k", 5, "how many passages search shows"),
	}
}

// run is `kb index` or `kb search "question"`.
func (o *kbOptions) run(cfg *configs.Config, args []string, stdout io.Writer) error {
	return errors.New("kb: not built yet") // TODO(knowledge)
}
