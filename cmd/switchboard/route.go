package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/routing"
)

// routeOptions are the flags of `switchboard route --explain`.
type routeOptions struct {
	explainText *string
	inbox       *string
	channel     *string
	at          *string
	labels      *string
	// classifier asks the configured provider for the LLM's label when the
	// rules use llm matchers; nil when the provider is offline. Tests set
	// it; by default it is built from the assistant section.
	classifier func(cfg *configs.Config) (llmClassifier, error)
}

// llmClassifier is the part of the assistant route --explain asks.
type llmClassifier interface {
	Classify(ctx context.Context, text string, labels []string) (assist.Classification, error)
}

// explainClassifyTimeout bounds the provider's answer for route --explain.
const explainClassifyTimeout = 30 * time.Second

func addRouteFlags(fs *flag.FlagSet) *routeOptions {
	return &routeOptions{
		explainText: fs.String("explain", "", "message text to route"),
		inbox:       fs.String("inbox", "", "phone_number_id the message arrives on"),
		channel:     fs.String("channel", "", "customer channel it arrives on: whatsapp (default), messenger, instagram or email"),
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
	if *o.channel != "" && !slices.Contains(routing.ChannelNames, *o.channel) {
		return fmt.Errorf("route --channel %q: use one of %s", *o.channel, strings.Join(routing.ChannelNames, ", "))
	}
	in := routing.Input{Text: text, Inbox: *o.inbox, Channel: *o.channel, At: at}
	if *o.labels != "" {
		in.ContactLabels = strings.Split(*o.labels, ",")
	}
	if labels := cfg.Router().LLMLabels(); len(labels) > 0 {
		in.LLM = o.classify(cfg, text, labels, out)
	}
	_, err := fmt.Fprintln(out, cfg.Router().Explain(in))
	return err
}

// classify asks the configured provider for the LLM's label, as the
// bridge does for a new conversation (the text redacted the same way). It
// returns nil, after saying why, when the offline classifier decides
// instead: the provider is offline or failed.
func (o *routeOptions) classify(cfg *configs.Config, text string, labels []string, out io.Writer) *routing.LLMResult {
	build := o.classifier
	if build == nil {
		build = providerClassifier
	}
	cl, err := build(cfg)
	if err != nil {
		fmt.Fprintf(out, "llm: cannot build the %s assistant (%v); the offline classifier decides\n", cfg.Assistant.Provider, err)
		return nil
	}
	if cl == nil {
		fmt.Fprintf(out, "llm: no provider (assistant.provider is %s); the offline classifier decides llm rules (labels %s)\n",
			cmp.Or(cfg.Assistant.Provider, "offline"), strings.Join(labels, ", "))
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), explainClassifyTimeout)
	defer cancel()
	c, err := cl.Classify(ctx, assist.Redact(text), labels)
	if err != nil {
		fmt.Fprintf(out, "llm: %s failed (%v); the offline classifier decides\n", cfg.Assistant.Provider, err)
		return nil
	}
	r := &routing.LLMResult{Label: c.Label, Confidence: c.Confidence, Decider: routing.DeciderLLM}
	if c.Decider != routing.DeciderLLM {
		r.Decider = routing.DeciderOffline
	}
	fmt.Fprintf(out, "llm: %s asked to choose from %s\n", cfg.Assistant.Provider, strings.Join(labels, ", "))
	return r
}

// providerClassifier builds the configured provider's assistant for
// route --explain; nil when no provider is configured.
func providerClassifier(cfg *configs.Config) (llmClassifier, error) {
	a, err := app.RouteClassifier(cfg)
	if a == nil || err != nil {
		return nil, err
	}
	return a, nil
}
