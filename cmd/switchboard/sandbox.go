package main

import (
	"errors"
	"flag"
	"io"
)

// sandboxOptions are the flags of `switchboard sandbox` (issue 14): the
// bridge against built-in simulators of WhatsApp and Slack, on a
// throwaway SQLite database, with a page to play both sides.
type sandboxOptions struct {
	listen *string
}

func addSandboxFlags(fs *flag.FlagSet) *sandboxOptions {
	return &sandboxOptions{listen: fs.String("listen", "127.0.0.1:8080", "address of the sandbox page and of switchboard's endpoints (loopback only unless you mean it)")}
}

// withDefaults gives options built without a flag set (serve -sandbox
// auto) the flags' defaults.
func (o *sandboxOptions) withDefaults() *sandboxOptions {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	return addSandboxFlags(fs)
}

// run starts the sandbox and blocks until SIGINT/SIGTERM. It refuses to
// start when configPath (or the environment) configures real credentials.
func (o *sandboxOptions) run(configPath string, stdout, stderr io.Writer) error {
	return errors.New("sandbox: not built yet (issue 14)")
}
