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
	// the first time counts as changed unless it is approved.
	ReplaceTemplates(ctx context.Context, account string, list []templates.Template, now time.Time) (changed []templates.Template, err error)
	// SetTemplateStatus records a status webhook for the template with
	// Meta id templateID (or, when no row has that id, name and language
	// in account). changed is false when the status was already that, or
	// the template is unknown (ErrNotFound then; the next sync brings it).
	SetTemplateStatus(ctx context.Context, account, templateID, name, language string, status templates.Status, reason string, now time.Time) (t templates.Template, changed bool, err error)
	// SetTemplateCategory records a template_category_update webhook.
	SetTemplateCategory(ctx context.Context, account, templateID, category string, now time.Time) error
	// Templates lists account's templates of every status, by name then
	// language.
	Templates(ctx context.Context, account string) ([]templates.Template, error)
	// Template finds one by name and exact language code; ErrNotFound.
	Template(ctx context.Context, account, name, language string) (templates.Template, error)
}
