package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
)

// routeOptions are the flags of `switchboard route --explain`.
type routeOptions struct {
	explainText *string
	inbox       *string
	at          *string
	labels      *string
}

func addRouteFlags(fs *flag.FlagSet) *routeOptions {
	return &routeOptions{
		explainText: fs.String("explain", "", "message text to route"),
		inbox:       fs.String("inbox", "", "phone_number_id the message arrives on"),
		at:          fs.String("at", "", "when it arrives (RFC 3339, e.g. 2026-11-25T21:30:00+01:00; default now)"),
		labels:      fs.String("labels", "", "comma-separated contact labels (no rule can use them until contacts are stored)"),
	}
}

// explain prints which rule matches a message and why, so a supervisor can
// try the rules before deploying them.
func (o *routeOptions) explain(cfg *configs.Config, rest []string, out io.Writer) error {
	text := *o.explainText
	if text == "" {
		text = strings.Join(rest, " ")
	}
	if text == "" {
		return errors.New(`route: give the message, e.g. switchboard route --explain "quiero una devolución"`)
	}
	at := time.Now()
	if *o.at != "" {
		t, err := time.Parse(time.RFC3339, *o.at)
		if err != nil {
			return fmt.Errorf("route --at %q: use RFC 3339, e.g. 2026-11-25T21:30:00+01:00", *o.at)
		}
		at = t
	}
	in := routing.Input{Text: text, Inbox: *o.inbox, At: at}
	if *o.labels != "" {
		in.ContactLabels = strings.Split(*o.labels, ",")
	}
	_, err := fmt.Fprintln(out, cfg.Router().Explain(in))
	return err
}
