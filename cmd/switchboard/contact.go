package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/configs"
	"github.com/switchboard/switchboard/storage"
)

// contactOptions are the flags of `switchboard contact export|erase <id>`
// (issue 12, docs/crm.md): everything stored about a person as JSON, or
// the erasure of their personal data (GDPR/LGPD). Both are recorded in
// audit_log with actor "cli".
type contactOptions struct {
	out *string
	yes *bool
}

func addContactFlags(fs *flag.FlagSet) *contactOptions {
	return &contactOptions{
		out: fs.String("o", "", "export: write the JSON to this file instead of stdout (created with mode 0600: it holds personal data)"),
		yes: fs.Bool("yes", false, "erase: do not ask for confirmation (for scripts); the erase cannot be undone"),
	}
}

const contactUsage = `usage: switchboard contact export <person id> [-o file] | switchboard contact erase <person id> [-yes]`

// contactStdin is where erase reads its confirmation (a variable for tests).
var contactStdin io.Reader = os.Stdin

// contactActor is who the audit log names for the command line: it has
// no workspace user.
const contactActor = "cli"

// erasedElsewhere is what erase says it could not reach.
const erasedElsewhere = `Not erased (switchboard cannot reach them):
  - messages already posted in Slack or Discord threads: delete those threads there;
  - what the customer's own app shows;
  - what the CRM webhook already delivered to your CRM: erase the person there too.`

// run is `contact export <id>` or `contact erase <id>`; flags may also
// follow the id, as people type them.
func (o *contactOptions) run(cfg *configs.Config, args []string, stdout io.Writer) error {
	words, err := o.parseMixed(args)
	if err != nil {
		return err
	}
	if len(words) != 2 || (words[0] != "export" && words[0] != "erase") {
		return fmt.Errorf("%w: %s", errUsage, contactUsage)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(words[1], "#"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: contact %s: %q is not a person id (the number on the contact's card); %s", errUsage, words[0], words[1], contactUsage)
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, app.DatabaseURL(cfg), cfg.Database.MaxOpenConns)
	if err != nil {
		return err
	}
	defer db.Close()
	// audit_log comes with a migration: apply it, as serve does.
	if err := db.MigrateWith(ctx, storage.MigrateOptions{Log: newLogger(cfg.Server.LogLevel)}); err != nil {
		return err
	}
	if words[0] == "export" {
		return o.export(ctx, db, id, stdout)
	}
	return o.erase(ctx, cfg, db, id, stdout)
}

func (o *contactOptions) export(ctx context.Context, db *storage.DB, id int64, stdout io.Writer) error {
	exp, err := db.ExportPerson(ctx, id, contactActor, time.Now())
	if errors.Is(err, bridge.ErrNotFound) {
		return fmt.Errorf("contact export: there is no person %d", id)
	}
	if err != nil {
		return fmt.Errorf("contact export %d: %w", id, err)
	}
	out := stdout
	if *o.out != "" {
		f, err := os.OpenFile(*o.out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("contact export: %w", err)
		}
		defer f.Close()
		out = f
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(exp); err != nil {
		return fmt.Errorf("contact export: write: %w", err)
	}
	if *o.out != "" {
		fmt.Fprintf(stdout, "person %d exported to %s\n", id, *o.out)
	}
	return nil
}

func (o *contactOptions) erase(ctx context.Context, cfg *configs.Config, db *storage.DB, id int64, stdout io.Writer) error {
	if !*o.yes {
		fmt.Fprintf(stdout, "Erase the personal data of person %d? Names, phone numbers, e-mail addresses, message texts, notes, labels and attributes are removed for good; metrics keep their counts.\nType the person id (%d) to confirm: ", id, id)
		line, _ := bufio.NewReader(contactStdin).ReadString('\n')
		if strings.TrimSpace(line) != strconv.FormatInt(id, 10) {
			return fmt.Errorf("contact erase: not confirmed; nothing was erased")
		}
	}
	now := time.Now()
	// contact.erased for the business's CRM, committed with the erase; a
	// running server sends it (bridge.RecordCRMChangeIn).
	hook := bridge.CRMWebhook{URL: cfg.Contacts.Webhook.URL, Secret: cfg.Contacts.Webhook.Secret, Events: cfg.Contacts.Webhook.Events}
	record := func(ctx context.Context, tx bridge.Tx) error {
		return bridge.RecordCRMChangeIn(ctx, tx, hook, contacts.Change{Kind: contacts.ChangeContactErased, PersonID: id,
			Actor: contactActor, At: now})
	}
	rep, err := db.ErasePerson(ctx, id, contactActor, now, record)
	if errors.Is(err, bridge.ErrNotFound) {
		return fmt.Errorf("contact erase: there is no person %d", id)
	}
	if err != nil {
		return fmt.Errorf("contact erase %d: %w", id, err)
	}
	fmt.Fprintf(stdout, "person %d erased (%s).\n%s\n", id, rep, erasedElsewhere)
	return nil
}

// parseMixed parses flags that may come before or after the words.
func (o *contactOptions) parseMixed(args []string) ([]string, error) {
	fs := flag.NewFlagSet("contact", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(o.out, "o", *o.out, "")
	fs.BoolVar(o.yes, "yes", *o.yes, "")
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: contact: %v (%s)", errUsage, err, contactUsage)
		}
		if fs.NArg() == 0 {
			return words, nil
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
