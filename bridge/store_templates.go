package bridge

import (
	"context"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// TemplateTx is the storage contract of WhatsApp message templates: the
// synced list of each WhatsApp Business Account, shared by every replica.
type TemplateTx interface {
	// ReplaceTemplates stores the full list read from the Graph API for
	// account at now. A stored template missing from list becomes
	// StatusDeleted. It returns the templates whose status changed (with
	// their new status), so supervisors can be told; a template seen for
	// the first time counts as changed unless it is approved. A change is
	// reported by exactly one of several transactions making it at once
	// (two replicas syncing, a sync racing a webhook): the status moves
	// only from the value read, so the others see nothing left to change.
	ReplaceTemplates(ctx context.Context, account string, list []templates.Template, now time.Time) (changed []templates.Template, err error)
	// SetTemplateStatus records a status webhook for the template with
	// Meta id templateID (or, when no row has that id, name and language
	// in account). changed is false when the status was already that
	// (a retried webhook; also when another transaction moved it at the
	// same moment), or the template is unknown (ErrNotFound then; the next
	// sync brings it).
	SetTemplateStatus(ctx context.Context, account, templateID, name, language string, status templates.Status, reason string, now time.Time) (t templates.Template, changed bool, err error)
	// SetTemplateCategory records a template_category_update webhook.
	SetTemplateCategory(ctx context.Context, account, templateID, category string, now time.Time) error
	// Templates lists account's templates of every status, by name then
	// language.
	Templates(ctx context.Context, account string) ([]templates.Template, error)
	// Template finds one by name and exact language code; ErrNotFound.
	Template(ctx context.Context, account, name, language string) (templates.Template, error)
	// TemplateSyncState says where the sync of account stands (the zero
	// TemplateSync, with Account set, when it was never tried).
	TemplateSyncState(ctx context.Context, account string) (TemplateSync, error)
	// RecordTemplateSync stores the outcome of a sync attempt.
	RecordTemplateSync(ctx context.Context, s TemplateSync) error
}

// TemplateSync is where the sync of one account's templates stands,
// shared by every replica (templatesync.go).
type TemplateSync struct {
	Account string
	// SyncedAt is the last successful sync (zero: never).
	SyncedAt time.Time
	// AttemptedAt is the last attempt, Failures how many failed in a row
	// since the last success, LastError why the last one failed.
	AttemptedAt time.Time
	Failures    int
	LastError   string
}
