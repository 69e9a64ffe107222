package bridge

// Agent-started conversations: an agent writes first to a customer who
// never wrote (or whose last conversation is resolved), with an approved
// template, since WhatsApp allows nothing else outside the 24-hour window.
// Slack's /switchboard new (a form, or text) and Discord's /new reach
// StartConversation; the conversation opens in the team's channel with
// its card, assigned to the agent who started it, and the template goes
// out through the same send path as a template sent from a thread
// (queueTemplate).

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// EventStarted is logged when an agent starts a conversation (Actor: the
// agent, Data: the team). Reports count such conversations as started,
// not received, and measure no first response in them (docs/metrics.md).
// Stored: never rename.
const EventStarted = "started"

// StartField names the part of a start request a refusal is about, so a
// form can show the refusal next to that field.
type StartField string

const (
	StartFieldNone     StartField = ""
	StartFieldPhone    StartField = "phone"
	StartFieldTeam     StartField = "team"
	StartFieldTemplate StartField = "template"
	StartFieldParams   StartField = "params"
	// StartFieldOpen: the customer has an open conversation already; the
	// text links its thread (a form shows it rather than an error).
	StartFieldOpen StartField = "open"
)

// StartRequest is an agent asking to start a conversation.
type StartRequest struct {
	Workspace WorkspaceKind
	// EventID makes a repeated request change nothing (a Slack view id, a
	// Discord interaction id); may be empty.
	EventID string
	// ChannelID is where the person asked: its team is the default one
	// and its language the language of the answer.
	ChannelID string
	UserID    string
	Roles     []string
	Guest     bool
	// Phone is the customer's number as typed (ReadPhone).
	Phone string
	// Team is the team that will hold the conversation; "" for the team
	// of ChannelID (or the person's only team).
	Team string
	// Template is "name" or "name@language" (Meta's code, e.g. es_MX).
	Template string
	Params   []string
	// DryRun checks everything and writes nothing: a form's preview step.
	DryRun bool
}

// StartResult is the outcome, worded for the person who asked.
type StartResult struct {
	Started bool
	// Ready: a dry run found the request in order.
	Ready        bool
	Conversation ConversationID
	// Text is the private answer: what happened and where the thread
	// appears, or why nothing was started.
	Text string
	// Field is what a refusal is about (StartFieldNone for a success or a
	// refusal about the request as a whole).
	Field StartField
	// Phone is the number as read, in international format, and Team
	// and Template what was chosen, once they are known to be valid.
	Phone    string
	Team     string
	Template templates.Template
	// Preview is the template as the customer will read it.
	Preview string
}

// StartChoices is what a start form offers its person.
type StartChoices struct {
	// Language is the person's language for the form's texts.
	Language string
	// Teams are the teams of the form's workspace the person may start
	// conversations in, and Team the one preselected (the channel's).
	Teams []string
	Team  string
	// Templates are what Team's number may send (TemplateChoices of a
	// channel query on the team's channel).
	Templates TemplateChoices
	// Refusal, when set, is why the person may start no conversation.
	Refusal string
	// PhoneExample is a number as an agent of Team would type it, and
	// PhoneHint the formats its number field accepts.
	PhoneExample, PhoneHint string
}

// Starter is implemented by the bridge for workspace adapters: a form
// asks StartChoices while it is drawn (within the platform's 3 seconds),
// and StartConversation when it is submitted. Both are called outside
// transactions.
type Starter interface {
	StartChoices(ctx context.Context, q PickerQuery, team string) (StartChoices, error)
	StartConversation(ctx context.Context, req StartRequest) (StartResult, error)
}

var _ Starter = (*Bridge)(nil)

// ChannelToken writes a workspace channel reference into a text; the
// workspace adapter renders it as a link to the channel (see
// MentionToken for people).
func ChannelToken(channelID string) string { return "{#" + channelID + "}" }

// inboxOfTeam is the number a team starts conversations from: the first
// inbox routed to it, else the first inbox with no team (it serves the
// default team), else the first inbox.
func (b *Bridge) inboxOfTeam(team string) (Inbox, bool) {
	var unowned, first *Inbox
	for i := range b.opts.Inboxes {
		in := &b.opts.Inboxes[i]
		if in.Channel.OrWhatsApp() != ChannelWhatsApp {
			// Only WhatsApp lets the business write first (a template):
			// Messenger, Instagram and e-mail inboxes start nothing.
			continue
		}
		switch {
		case in.Team == team:
			return *in, true
		case in.Team == "" && unowned == nil:
			unowned = in
		}
		if first == nil {
			first = in
		}
	}
	if unowned != nil {
		return *unowned, true
	}
	if first != nil {
		return *first, true
	}
	return Inbox{}, false
}

// workspaceTeams are the teams of workspace ws that p may act in, by name.
func (b *Bridge) workspaceTeams(ctx context.Context, r rosterReader, ws WorkspaceKind, p Person) ([]Team, bool, error) {
	teams, unknown, err := b.teamsOf(ctx, r, p)
	if err != nil {
		return nil, false, err
	}
	var out []Team
	for _, t := range teams {
		if t.Workspace == ws {
			out = append(out, t)
		}
	}
	return out, unknown, nil
}

// StartChoices implements Starter: the teams the person may start in,
// the one preselected (team when it is one of them, else the channel's),
// and that team's templates.
func (b *Bridge) StartChoices(ctx context.Context, q PickerQuery, team string) (StartChoices, error) {
	c := StartChoices{Language: b.commandLanguage(q.ChannelID)}
	p := Person{ID: q.UserID, Roles: q.Roles, Guest: q.Guest}
	var teams []Team
	var unknown bool
	err := b.store.InTx(ctx, func(tx Tx) error {
		var err error
		teams, unknown, err = b.workspaceTeams(ctx, tx, q.Workspace, p)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("start choices: %w", err)
	}
	if len(teams) == 0 {
		c.Refusal = Text(c.Language, "start.no_team")
		if unknown {
			c.Refusal = Text(c.Language, "tell.membership_unknown", b.teamNames())
		}
		return c, nil
	}
	chosen := teams[0]
	home, homeOK := b.homeTeam(q.Workspace, q.ChannelID)
	for _, t := range teams {
		c.Teams = append(c.Teams, t.Name)
		if t.Name == team || (team == "" && homeOK && t.Name == home.Name) {
			chosen = t
		}
	}
	c.Team = chosen.Name
	if in, ok := b.inboxOfTeam(chosen.Name); ok {
		intl, national := phoneExamples(in.Country)
		c.PhoneExample, c.PhoneHint = intl, Text(c.Language, "start.phone_format", intl)
		if national != "" {
			c.PhoneExample, c.PhoneHint = national, Text(c.Language, "start.phone_formats", intl, national, in.Country)
		}
	}
	tq := q
	tq.ChannelID, tq.ThreadKey, tq.ConversationID = chosen.ChannelID, "", 0
	if c.Templates, err = b.TemplateChoices(ctx, tq); err != nil {
		return c, fmt.Errorf("start choices: %w", err)
	}
	return c, nil
}

// StartConversation implements Starter.
func (b *Bridge) StartConversation(ctx context.Context, req StartRequest) (StartResult, error) {
	lang := b.commandLanguage(req.ChannelID)
	var res StartResult
	err := b.inTx(ctx, func(tx Tx) error {
		var err error
		if res, err = b.start(ctx, tx, req, lang, b.now()); err != nil {
			return err
		}
		if !res.Started {
			return errNothingWritten // a refusal or a dry run leaves no trace
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNothingWritten) {
		return StartResult{}, fmt.Errorf("start conversation: %w", err)
	}
	return res, nil
}

// errNothingWritten rolls back the transaction of a start request that
// started nothing.
var errNothingWritten = errors.New("nothing started")

// refuse is a refusal about field.
func refuse(field StartField, text string) StartResult { return StartResult{Field: field, Text: text} }

// start decides a start request and, unless it is a dry run or refused,
// writes the conversation, its thread and the template send.
func (b *Bridge) start(ctx context.Context, tx Tx, req StartRequest, lang string, now time.Time) (StartResult, error) {
	p := Person{ID: req.UserID, Roles: req.Roles, Guest: req.Guest}
	team, res, err := b.startTeam(ctx, tx, req, p, lang)
	if err != nil || res.Text != "" {
		return res, err
	}
	inbox, ok := b.inboxOfTeam(team.Name)
	if !ok {
		return refuse(StartFieldNone, Text(lang, "start.no_inbox")), nil
	}
	if looksLikeUsername(req.Phone) { // identities.go
		return refuse(StartFieldPhone, Text(lang, "waid.start_username")), nil
	}
	phone, problem := ReadPhone(req.Phone, inbox.Country)
	if problem != PhoneOK {
		return refuse(StartFieldPhone, phoneRefusal(lang, problem, req.Phone, inbox.Country)), nil
	}
	res = StartResult{Phone: phone.International, Team: team.Name}
	// The contact is the wa_id a customer writing from that number would
	// have; a refused or dry-run request rolls its creation back.
	contact, err := tx.UpsertContact(ctx, Contact{Channel: string(ChannelWhatsApp), Address: CustomerAddress(phone.Digits),
		Phone: phone.Digits, CreatedAt: now})
	if err != nil {
		return res, err
	}
	if err := b.contactCreated(ctx, tx, contact, req.UserID, now); err != nil {
		return res, err
	}
	tpl, refusal, err := b.startTemplate(ctx, tx, team, inbox, contact, req, lang)
	if err != nil || refusal.Text != "" {
		refusal.Phone, refusal.Team = res.Phone, res.Team
		return refusal, err
	}
	res.Template = tpl
	if res.Preview, err = templates.Render(tpl, req.Params); err != nil {
		return res, fmt.Errorf("render %s: %w", tpl.Name, err) // counted by startTemplate already
	}
	// A second conversation while one is open would split the customer's
	// messages over two threads.
	latest, err := tx.LatestConversation(ctx, contact.ID, inbox.ID)
	found := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return res, err
	}
	if found && latest.State != StateResolved {
		where := Text(lang, "start.thread_soon")
		if link := b.currentLink(ctx, tx, latest.ID); link != "" {
			where = " — " + link
		}
		res.Field, res.Text = StartFieldOpen, Text(lang, "start.already_open", phone.International, int64(latest.ID), latest.Team, where)
		return res, nil
	}
	if req.DryRun {
		res.Ready, res.Text = true, Text(lang, "start.checked", phone.International, team.Name, tpl.Name)
		return res, nil
	}
	if req.EventID != "" {
		fresh, err := tx.MarkProcessed(ctx, string(req.Workspace)+":start", req.EventID, now)
		if err != nil {
			return res, err
		}
		if !fresh {
			res.Text = Text(lang, "start.duplicate")
			return res, nil
		}
	}
	conv, err := b.openStarted(ctx, tx, contact, team, inbox, req.UserID, latest.ID, tpl, req.Params, now)
	if err != nil {
		return res, err
	}
	res.Started, res.Conversation = true, conv.ID
	res.Text = Text(lang, "start.started", int64(conv.ID), phone.International, team.Name,
		ChannelToken(team.homeFor(conv.ID)), tpl.Name)
	return res, nil
}

// startTeam resolves and checks the team that will hold the conversation:
// it must exist, live in the person's workspace, and count the person
// among its agents.
func (b *Bridge) startTeam(ctx context.Context, tx Tx, req StartRequest, p Person, lang string) (Team, StartResult, error) {
	var team Team
	switch name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(req.Team), "#")); {
	case name != "":
		t, ok := b.teams[name]
		if !ok {
			return team, refuse(StartFieldTeam, Text(lang, "start.unknown_team", req.Team, b.teamNames())), nil
		}
		team = t
	default:
		if t, ok := b.homeTeam(req.Workspace, req.ChannelID); ok {
			team = t
			break
		}
		mine, unknown, err := b.workspaceTeams(ctx, tx, req.Workspace, p)
		if err != nil {
			return team, StartResult{}, err
		}
		switch len(mine) {
		case 0:
			if unknown {
				return team, refuse(StartFieldTeam, Text(lang, "tell.membership_unknown", b.teamNames())), nil
			}
			return team, refuse(StartFieldTeam, Text(lang, "start.no_team")), nil
		case 1:
			team = mine[0]
		default:
			names := make([]string, 0, len(mine))
			for _, t := range mine {
				names = append(names, t.Name)
			}
			return team, refuse(StartFieldTeam, Text(lang, "start.which_team", strings.Join(names, ", "))), nil
		}
	}
	if team.Workspace != req.Workspace {
		return team, refuse(StartFieldTeam, Text(lang, "start.other_workspace", team.Name, workspaceName(team.Workspace))), nil
	}
	who, err := b.standingIn(ctx, tx, team, p)
	if err != nil {
		return team, StartResult{}, err
	}
	if !who.mayAct() {
		key := refusalKey(who, p)
		if key == "tell.not_member" {
			key = "start.not_member" // that text speaks of a message kept as a note
		}
		return team, refuse(StartFieldTeam, Text(lang, key, team.Name)), nil
	}
	return team, StartResult{}, nil
}

func workspaceName(ws WorkspaceKind) string {
	switch ws {
	case WorkspaceSlack:
		return "Slack"
	case WorkspaceDiscord:
		return "Discord"
	}
	return string(ws)
}

// startTemplate picks the approved template req names, in the language
// it names or the customer's, and checks the values fit it, with the same
// rules and words as a template sent from a thread (templatepick.go).
func (b *Bridge) startTemplate(ctx context.Context, tx Tx, team Team, inbox Inbox, contact Contact, req StartRequest, lang string) (templates.Template, StartResult, error) {
	if inbox.Account == "" {
		return templates.Template{}, refuse(StartFieldTemplate, Text(lang, "start.no_account", team.Name)), nil
	}
	all, err := tx.Templates(ctx, inbox.Account)
	if err != nil {
		return templates.Template{}, StartResult{}, fmt.Errorf("templates of %s: %w", inbox.Account, err)
	}
	customer := CustomerLanguage(contact)
	approved := approvedFor(all, customer)
	if len(approved) == 0 {
		return templates.Template{}, refuse(StartFieldTemplate, Text(lang, "start.no_templates", team.Name)), nil
	}
	name, asked, _ := strings.Cut(strings.TrimSpace(req.Template), "@")
	if name == "" {
		return templates.Template{}, refuse(StartFieldTemplate,
			Text(lang, "start.template_missing")+"\n"+templateLines(lang, approved, 10)), nil
	}
	pick := pickTemplate(all, name, asked, customer)
	if !pick.Found {
		return templates.Template{}, refuse(StartFieldTemplate, b.pickRefusal(lang, all, pick, name, asked, customer)), nil
	}
	tpl := pick.Template
	if !tpl.Status.Usable() {
		return tpl, refuse(StartFieldTemplate, b.notApproved(lang, all, tpl)), nil
	}
	if problem := templateValueProblem(lang, tpl, req.Params); problem != "" {
		return tpl, refuse(StartFieldParams, problem), nil
	}
	return tpl, StartResult{}, nil
}

// openStarted writes a started conversation: assigned to the agent, its
// thread (the card, with the customer's earlier threads linked), a line
// saying who started it, and the template send.
func (b *Bridge) openStarted(ctx context.Context, tx Tx, contact Contact, team Team, inbox Inbox, agent string,
	previous ConversationID, tpl templates.Template, params []string, now time.Time) (Conversation, error) {
	conv, err := tx.CreateConversation(ctx, Conversation{ContactID: contact.ID, Inbox: inbox.ID, Channel: inbox.Channel.OrWhatsApp(), Team: team.Name,
		State: StateAssigned, Assignee: agent, OpenedAt: now, PreviousID: previous})
	if err != nil {
		return conv, err
	}
	for _, e := range []Event{
		{ConversationID: conv.ID, Kind: EventStarted, Actor: agent, Data: team.Name, At: now},
		{ConversationID: conv.ID, Kind: EventClaimed, Actor: agent, Data: "started", At: now},
	} {
		if err := tx.AppendEvent(ctx, e); err != nil {
			return conv, err
		}
	}
	if err := b.conversationChanged(ctx, tx, conv, crmOpened, agent, map[string]string{"started_by": agent}, now); err != nil { // crm.go
		return conv, err
	}
	if _, err := tx.CreateThread(ctx, Thread{ConversationID: conv.ID, CreatedAt: now,
		Ref: ThreadRef{Workspace: team.Workspace, ChannelID: team.homeFor(conv.ID)}}); err != nil {
		return conv, err
	}
	// SortKey 0 puts the card first in the lane, as for a customer's.
	if _, err := tx.Enqueue(ctx, Delivery{ConversationID: conv.ID, Lane: WorkspaceLane(conv.ID), Kind: DeliverOpenThread, CreatedAt: now}); err != nil {
		return conv, err
	}
	lang := b.language(team.Name)
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "sys.started", MentionToken(agent), tpl.Name), now); err != nil {
		return conv, err
	}
	if err := b.queueTemplate(ctx, tx, conv, agent, tpl, params, "", now); err != nil {
		return conv, fmt.Errorf("send template %s: %w", tpl.Name, err)
	}
	return conv, nil
}

// startCommand is "/switchboard new <number> [team] <template> [v1 | v2]"
// typed as text.
func (b *Bridge) startCommand(ctx context.Context, cmd AgentCommand, args, lang string) (string, error) {
	if strings.TrimSpace(args) == "" {
		return Text(lang, "start.usage", b.teamNames()), nil
	}
	if first, _, _ := strings.Cut(strings.TrimSpace(args), " "); looksLikeUsername(first) { // identities.go
		return Text(lang, "waid.start_username"), nil
	}
	phone, team, template, params := b.parseStartArgs(args)
	res, err := b.StartConversation(ctx, StartRequest{Workspace: cmd.Workspace, ChannelID: cmd.ChannelID, UserID: cmd.UserID,
		Roles: cmd.Roles, Guest: cmd.Guest, Phone: phone, Team: team, Template: template, Params: params})
	if err != nil {
		return "", err
	}
	if res.Field == StartFieldPhone && phone == "" {
		return res.Text + "\n" + Text(lang, "start.usage", b.teamNames()), nil
	}
	return res.Text, nil
}

// parseStartArgs reads "<number> [team] <template> [v1 | v2 …]": the
// number is the leading words made of digits and + ( ) . - / (so
// "612 34 56 78" is one number), then a team when the next word names
// one or starts with "#", then the template and its values as after !template.
func (b *Bridge) parseStartArgs(args string) (phone, team, template string, params []string) {
	rest := strings.TrimSpace(args)
	var number []string
	for rest != "" {
		word, after, _ := strings.Cut(rest, " ")
		if strings.Trim(word, "0123456789+().-/") != "" {
			break
		}
		number = append(number, word)
		rest = strings.TrimSpace(after)
	}
	phone = strings.Join(number, " ")
	if word, after, _ := strings.Cut(rest, " "); word != "" {
		// "#name" is always meant as a team (no template name starts so).
		if _, ok := b.teams[strings.ToLower(strings.TrimPrefix(word, "#"))]; ok || strings.HasPrefix(word, "#") {
			team, rest = word, strings.TrimSpace(after)
		}
	}
	template, params = templates.ParseArgs(rest)
	return phone, team, template, params
}
