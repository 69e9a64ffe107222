package bridge

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// Template sync. Each WhatsApp Business Account's message templates are
// read from the Graph API (a TemplateSource) at start-up and every
// Options.TemplateSyncEvery on one replica, and kept current in between by
// Meta's message_template_status_update and template_category_update
// webhooks. Where each account's sync stands is stored (TemplateSync), so
// replicas share one schedule: a replica starting next to one that synced
// minutes ago does not read the Graph again, and a failed sync is tried
// again after a backoff (1 min, 2 min, 4 min… up to the interval) without
// holding start-up.
//
// A status change (approved, rejected, paused, disabled, deleted…) found
// by a sync or a webhook is told to the supervisors of every team that may
// send on the account's numbers, as a notice (notice.go) written in the
// same transaction as the change; storage reports each change to one
// transaction only, so a retried webhook or two replicas syncing at once
// post it once.

// DefaultTemplateSyncEvery is how often templates are read again when
// Options.TemplateSyncEvery is not set.
const DefaultTemplateSyncEvery = time.Hour

// templateSyncRetry is the first wait after a failed sync; it doubles with
// each failure in a row, up to the sync interval.
const templateSyncRetry = time.Minute

// templateAccounts lists the accounts of the configured inboxes.
func (b *Bridge) templateAccounts() []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range b.inboxes {
		if in.Account != "" && !seen[in.Account] {
			seen[in.Account] = true
			out = append(out, in.Account)
		}
	}
	sort.Strings(out)
	return out
}

func (b *Bridge) templateSource() (TemplateSource, bool) {
	src, ok := b.channelOf(ChannelWhatsApp).(TemplateSource) // only WhatsApp has templates
	return src, ok
}

// SyncTemplates reads the templates of every configured account now and
// stores them, one transaction per account; a failing account does not
// keep the others from syncing. Tests and the sync-due check call it.
func (b *Bridge) SyncTemplates(ctx context.Context) error {
	src, ok := b.templateSource()
	if !ok {
		return nil // no WhatsApp credentials in this process
	}
	var errs []error
	for _, account := range b.templateAccounts() {
		if err := b.syncAccount(ctx, src, account); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SyncDueTemplates syncs the accounts whose sync is due: never synced,
// synced longer than Options.TemplateSyncEvery ago, or failed and past its
// backoff. Run at start-up (in the background) and periodically by one
// replica.
func (b *Bridge) SyncDueTemplates(ctx context.Context) error {
	src, ok := b.templateSource()
	if !ok {
		return nil
	}
	var errs []error
	for _, account := range b.templateAccounts() {
		var state TemplateSync
		err := b.store.InTx(ctx, func(tx Tx) (err error) {
			state, err = tx.TemplateSyncState(ctx, account)
			return err
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !b.templateSyncDue(state, b.now()) {
			continue
		}
		if err := b.syncAccount(ctx, src, account); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// templateSyncDue says whether an account in state s should be read again
// at now.
func (b *Bridge) templateSyncDue(s TemplateSync, now time.Time) bool {
	every := b.opts.TemplateSyncEvery
	if s.Failures > 0 {
		wait := every
		if s.Failures <= 16 {
			wait = min(templateSyncRetry<<(s.Failures-1), every)
		}
		return !now.Before(s.AttemptedAt.Add(wait))
	}
	return s.SyncedAt.IsZero() || !now.Before(s.SyncedAt.Add(every))
}

// syncAccount reads one account's templates and stores them with the
// notices their status changes imply. The first sync of an account tells
// nobody anything: what Meta decided before switchboard knew the account
// is history, not news.
func (b *Bridge) syncAccount(ctx context.Context, src TemplateSource, account string) error {
	list, listErr := src.ListTemplates(ctx, account)
	now := b.now()
	if listErr != nil {
		err := b.inTx(ctx, func(tx Tx) error {
			s, err := tx.TemplateSyncState(ctx, account)
			if err != nil {
				return err
			}
			s.AttemptedAt, s.Failures, s.LastError = now, s.Failures+1, truncate(listErr.Error(), 500)
			return tx.RecordTemplateSync(ctx, s)
		})
		b.log.Warn("message templates not synced; retried later", "account", account, "err", listErr)
		return errors.Join(fmt.Errorf("sync templates of %s: %w", account, listErr), err)
	}
	var changed []templates.Template
	err := b.inTx(ctx, func(tx Tx) error {
		s, err := tx.TemplateSyncState(ctx, account)
		if err != nil {
			return err
		}
		if changed, err = tx.ReplaceTemplates(ctx, account, list, now); err != nil {
			return err
		}
		if s.SyncedAt.IsZero() {
			changed = nil
		}
		for _, t := range changed {
			if err := b.enqueueTemplateNotices(ctx, tx, t, now); err != nil {
				return err
			}
		}
		return tx.RecordTemplateSync(ctx, TemplateSync{Account: account, SyncedAt: now, AttemptedAt: now})
	})
	if err != nil {
		return fmt.Errorf("store templates of %s: %w", account, err)
	}
	b.log.Info("message templates synced", "account", account, "templates", len(list), "status_changes", len(changed))
	return nil
}

// storeTemplateUpdate records one template webhook in the webhook's
// transaction. A template not synced yet is skipped: the next sync brings
// it whole.
func (b *Bridge) storeTemplateUpdate(ctx context.Context, tx Tx, u TemplateUpdate) error {
	now := b.now()
	if u.Category != "" {
		id := u.TemplateID
		if id == "" {
			t, err := tx.Template(ctx, u.Account, u.Name, u.Language)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			id = t.ID
		}
		if id == "" {
			return nil
		}
		return tx.SetTemplateCategory(ctx, u.Account, id, u.Category, now)
	}
	if u.Status == "" {
		return nil
	}
	t, changed, err := tx.SetTemplateStatus(ctx, u.Account, u.TemplateID, u.Name, u.Language, u.Status, u.Reason, now)
	if errors.Is(err, ErrNotFound) {
		// A template made since the last sync (the usual case: created in
		// WhatsApp Manager, approved minutes later). The webhook is
		// acknowledged, so what it says must not wait for the next hourly
		// sync: the account's sync is made due now, in this transaction,
		// and the leader's every-minute check fetches it.
		b.log.Info("status of a template not synced yet; syncing its account now", "account", u.Account,
			"template", u.Name, "language", u.Language, "status", u.Status)
		return b.makeTemplateSyncDue(ctx, tx, u.Account, now)
	}
	if err != nil || !changed {
		return err
	}
	return b.enqueueTemplateNotices(ctx, tx, t, now)
}

// templateTeams are the teams that may send on a number of account: each
// inbox's own team (or the default team), and every team when routing
// rules may send a conversation anywhere.
func (b *Bridge) templateTeams(account string) []Team {
	names := map[string]bool{}
	for _, in := range b.inboxes {
		if in.Account == account {
			names[b.teamFor(in.ID).Name] = true
		}
	}
	if len(names) > 0 && b.opts.Router != nil {
		for name := range b.teams {
			names[name] = true
		}
	}
	out := make([]Team, 0, len(names))
	for name := range names {
		out = append(out, b.teams[name])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// enqueueTemplateNotices tells the supervisors of every team sending on
// t's account that t's status changed: in the team's supervisors' channel
// (else its home channel), in the team's language, once per channel.
func (b *Bridge) enqueueTemplateNotices(ctx context.Context, tx Tx, t templates.Template, now time.Time) error {
	posted := map[string]bool{}
	for _, team := range b.templateTeams(t.Account) {
		channel := team.Supervision.SupervisorsChannel
		if channel == "" {
			channel = team.ChannelID
		}
		text := TemplateStatusNotice(b.language(team.Name), t)
		key := string(team.Workspace) + "\x00" + channel + "\x00" + text
		if channel == "" || posted[key] {
			continue
		}
		posted[key] = true
		if err := b.enqueueNotice(ctx, tx, team.Workspace, channel, text, now); err != nil {
			return err
		}
	}
	return nil
}

// TemplateStatusNotice is what supervisors read when t's status changed:
// which template, its new status and Meta's reason, and what it means for
// agents.
func TemplateStatusNotice(lang string, t templates.Template) string {
	reason := templateReason(lang, t)
	if reason != "" {
		reason = ": " + reason
	}
	key := "tplsync." + strings.ToLower(string(t.Status))
	if _, ok := catalog[key]; !ok {
		key = "tplsync.other"
	}
	return Text(lang, key, t.Name, t.Language, reason, strings.ToLower(strings.ReplaceAll(string(t.Status), "_", " ")))
}

// templateReason words Meta's reason: a known rejection code in the
// reader's language, a pause's description as Meta wrote it, and for a
// pause without one, low quality (the only reason Meta pauses).
func templateReason(lang string, t templates.Template) string {
	r := strings.TrimSpace(t.Reason)
	if r == "" {
		if t.Status == templates.StatusPaused {
			return Text(lang, "tplsync.reason.low_quality")
		}
		return ""
	}
	if key := "tplsync.reason." + strings.ToLower(r); catalog[key] != nil {
		return Text(lang, key)
	}
	if t.Status == templates.StatusPaused {
		return Text(lang, "tplsync.reason.low_quality") + " (" + r + ")"
	}
	return r
}

// makeTemplateSyncDue moves account's last sync back by one interval, so
// the next check syncs it; an account never synced is already due (and
// keeps its first sync silent).
func (b *Bridge) makeTemplateSyncDue(ctx context.Context, tx Tx, account string, now time.Time) error {
	state, err := tx.TemplateSyncState(ctx, account)
	if err != nil || state.SyncedAt.IsZero() || b.templateSyncDue(state, now) {
		return err
	}
	state.Account = account
	state.SyncedAt = now.Add(-b.opts.TemplateSyncEvery)
	return tx.RecordTemplateSync(ctx, state)
}
