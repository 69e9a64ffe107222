package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errUsage is returned by run when the command line names no known command
// or carries a bad flag: main exits 2, as flag-parsing programs do.
var errUsage = errors.New("usage")

// commands are the subcommands run dispatches, with one line each for
// `switchboard help`. Keep the order: the most used first.
var commands = []struct{ name, summary string }{
	{"serve", "run the bridge: webhooks, slash commands, buttons and delivery jobs (the default)"},
	{"sandbox", "try switchboard on this machine: simulated WhatsApp customers and Slack agents in the browser, no accounts needed"},
	{"doctor", "check a real setup with live calls (config, database, WhatsApp, Slack, Discord) and name the fix for each failure"},
	{"slack-manifest", "print the Slack app manifest with this server's request URLs filled in"},
	{"migrate", "apply the database migrations and exit"},
	{"check-config", "validate the configuration and print what it understood, secrets hidden"},
	{"route", `show which routing rule takes a message and why: route --explain "text"`},
	{"kb", `index the knowledge base now (kb index) or show what the assistant finds for a question (kb search "question")`},
	{"contact", "export everything stored about a person as JSON (contact export ID), or erase their personal data (contact erase ID)"},
	{"report", "print a period's figures (the /switchboard metrics table) as CSV or JSON"},
	{"version", "print the version"},
	{"help", "list the commands; help COMMAND (or COMMAND -h) lists its flags"},
}

// isHelpFlag reports whether arg asks for help.
func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help"
}

// known reports whether name is a subcommand.
func known(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// printCommands writes the list of commands.
func printCommands(w io.Writer) {
	fmt.Fprintln(w, "Usage: switchboard [COMMAND] [-config FILE] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every command reads -config FILE (or $SWITCHBOARD_CONFIG); without it the")
	fmt.Fprintln(w, "configuration comes from environment variables (docs/configuration.md).")
}

// commandUsage is the usage function of one subcommand's flag set: its
// line from the list, then one line per flag.
func commandUsage(fs *flag.FlagSet) func() {
	return func() {
		w := fs.Output()
		summary := ""
		for _, c := range commands {
			if c.name == fs.Name() {
				summary = c.summary
			}
		}
		fmt.Fprintf(w, "Usage: switchboard %s [flags]\n\n%s\n\nFlags:\n", fs.Name(), summary)
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			line := "  -" + f.Name
			if name != "" {
				line += " " + name
			}
			usage = strings.ReplaceAll(usage, "\n", " ")
			switch {
			case f.DefValue == "" || f.DefValue == "false":
			case name == "string":
				usage += fmt.Sprintf(" (default %q)", f.DefValue)
			default:
				usage += " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(w, "%-24s %s\n", line, usage)
		})
	}
}

// helpFor prints the help of `switchboard help [COMMAND]`.
func helpFor(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || isHelpFlag(args[0]) {
		printCommands(stdout)
		return nil
	}
	if !known(args[0]) {
		fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n", args[0])
		printCommands(stderr)
		return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	fs, _ := newFlagSet(args[0])
	fs.SetOutput(stdout)
	fs.Usage()
	return nil
}
