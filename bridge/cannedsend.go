package bridge

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge/canned"

	"github.com/switchboard/switchboard/bridge/assist"
)

// Canned responses in a thread. "!canned name" (Discord: /canned) answers
// the agent privately with the response as this customer would read it,
// in their language, and a Send button; pressing it (VerbSend, value
// "canned:name@lang") renders the response again and sends it through
// reply, the one path every agent reply takes: claim rules, window rules
// and receipts apply as to a typed reply. The Send click has no message of
// its own, so the bridge posts what was sent in the thread (the post's
// marks show its receipts).

// CannedSendPrefix starts the value of a canned preview's Send button
// ("canned:name@lang"): adapters that offer their own Send (a modal's
// submit) write the same value, so the bridge has one way to read it.
const CannedSendPrefix = "canned:"

// cannedNameTimeout bounds the workspace lookup of an agent's display
// name: it runs while the platform waits for our answer (3 s).
const cannedNameTimeout = 1500 * time.Millisecond

// isCannedCommand reports whether an agent's text asks for a canned
// preview, so its author's name is looked up before the transaction.
func isCannedCommand(text string) bool {
	word, _, ok := textCommand(strings.TrimSpace(text))
	return ok && word == "canned"
}

type agentNameKey struct{}

type agentName struct{ user, name string }

// withAgentName looks up user's display name in workspace ws (outside any
// transaction, bounded by cannedNameTimeout) and carries it in ctx for the
// canned responses rendered while handling this event. A workspace that
// cannot tell leaves it empty: {{agent.name}} is then left out, and the
// preview says so.
func (b *Bridge) withAgentName(ctx context.Context, ws WorkspaceKind, user string) context.Context {
	namer, ok := b.workspaces[ws].(UserNamer)
	if !ok || user == "" {
		return ctx
	}
	nctx, cancel := context.WithTimeout(ctx, cannedNameTimeout)
	defer cancel()
	name, err := namer.UserName(nctx, user)
	if err != nil {
		b.log.Warn("agent's display name not read; {{agent.name}} is left out", "workspace", ws, "user", user, "err", err)
		return ctx
	}
	return context.WithValue(ctx, agentNameKey{}, agentName{user: user, name: strings.TrimSpace(name)})
}

// agentNameFor is user's name as withAgentName found it, or "".
func agentNameFor(ctx context.Context, user string) string {
	if n, ok := ctx.Value(agentNameKey{}).(agentName); ok && n.user == user {
		return n.name
	}
	return ""
}

// cannedValues are the variables of a response sent by author in conv.
func cannedValues(ctx context.Context, conv Conversation, contact Contact, team Team, author string, attrs map[string]string) map[string]string {
	values := map[string]string{
		"contact.name":       contact.Name,
		"contact.first_name": canned.FirstName(contact.Name),
		"agent.name":         agentNameFor(ctx, author),
		"team.name":          team.Name,
		"conversation.id":    strconv.FormatInt(int64(conv.ID), 10),
	}
	// {{contact.<attribute>}}: the person's attributes (issue 12); the
	// built-in names above win over an attribute called "name".
	for name, v := range attrs {
		if _, builtin := values["contact."+name]; !builtin {
			values["contact."+name] = v
		}
	}
	return values
}

// cannedLanguages are the languages a customer's version is chosen by, in
// order: theirs, then their team's.
func cannedLanguages(contact Contact, team Team) []string {
	return []string{CustomerLanguage(contact), team.Language}
}

// parseCannedArgs reads "name", "name lang" or "name@lang" (the text after
// !canned); lang is "" when not given.
func parseCannedArgs(args string) (name, lang string) {
	fields := strings.Fields(strings.ToLower(args))
	if len(fields) == 0 {
		return "", ""
	}
	name, lang, _ = strings.Cut(fields[0], "@")
	if lang == "" && len(fields) > 1 {
		lang = fields[1]
	}
	if lang == "any" {
		lang = ""
	}
	return name, lang
}

// previewCanned answers "!canned name" from author in conv: privately, the
// response as the customer would read it and, when it could be sent now,
// a Send button.
func (b *Bridge) previewCanned(ctx context.Context, tx Tx, conv Conversation, author, args string, now time.Time) error {
	lang := b.language(conv.Team)
	team := b.team(conv.Team)
	list, err := tx.CannedResponses(ctx, team.Name)
	if err != nil {
		return err
	}
	list = canned.Visible(list)
	name, want := parseCannedArgs(args)
	if name == "" {
		return b.enqueueTell(ctx, tx, conv.ID, author, Text(lang, "canned.usage", cannedNames(lang, list)), now)
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	langs := cannedLanguages(contact, team)
	if want != "" {
		langs = []string{want}
	}
	r, ok := canned.Pick(list, name, langs...)
	if !ok {
		return b.enqueueTell(ctx, tx, conv.ID, author, Text(lang, "canned.unknown", name, cannedNames(lang, list)), now)
	}
	values := cannedValues(ctx, conv, contact, team, author, b.cannedAttributes(ctx, tx, contact))
	lines := []string{Text(lang, "canned.preview", r.Name, languageLabel(lang, r.Language)), "", canned.Render(r.Body, values), ""}
	if missing := canned.Missing(r.Body, values); len(missing) > 0 {
		lines = append(lines, Text(lang, "canned.missing", "{{"+strings.Join(missing, "}}, {{")+"}}"))
	}
	var actions []PrivateAction
	switch {
	case conv.Assignee != "" && conv.Assignee != author && conv.Assignee != assist.AgentID: // sending takes over from the assistant
		lines = append(lines, Text(lang, "canned.held", assigneeMention(lang, conv.Assignee)))
	case !mayWrite(conv, author, now): // sent by a person (agentwindow.go)
		lines = append(lines, windowClosedText(lang, conv, "canned.window_closed"))
	default:
		lines = append(lines, Text(lang, "canned.press_send"))
		actions = []PrivateAction{{Verb: VerbSend, Label: Text(lang, "canned.send"),
			Value: CannedSendPrefix + canned.Ref(r.Name, r.Language), Primary: true}}
	}
	return b.enqueueTellWith(ctx, tx, conv.ID, author, strings.Join(lines, "\n"), actions, now)
}

// sendCanned sends, as actor's reply in conv (locked), the canned response
// a preview's Send button names, rendered again now: the response or the
// names in it may have changed since the preview.
func (b *Bridge) sendCanned(ctx context.Context, tx Tx, conv Conversation, actor, value string, now time.Time) error {
	lang := b.language(conv.Team)
	team := b.team(conv.Team)
	name, version, ok := canned.ParseRef(strings.TrimPrefix(value, CannedSendPrefix))
	if !ok {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "canned.gone", value, languageLabel(lang, "")), now)
	}
	list, err := tx.CannedResponses(ctx, team.Name)
	if err != nil {
		return err
	}
	list = canned.Visible(list)
	i := slices.IndexFunc(list, func(r canned.Response) bool { return r.Name == name && r.Language == version })
	if i < 0 {
		return b.enqueueTell(ctx, tx, conv.ID, actor, Text(lang, "canned.gone", name, languageLabel(lang, version)), now)
	}
	r := list[i]
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	body := canned.Render(r.Body, cannedValues(ctx, conv, contact, team, actor, b.cannedAttributes(ctx, tx, contact)))
	post := Text(lang, "canned.sent_post", MentionToken(actor), r.Name) + "\n" + body
	return b.reply(ctx, tx, conv, outgoing{Author: actor, Text: body, Post: post, SentAt: now}, now)
}

// languageLabel names a response's language for agents.
func languageLabel(lang, code string) string {
	if code == "" {
		return Text(lang, "canned.any_language")
	}
	return code
}

// cannedNames lists the names of list for a usage answer.
func cannedNames(lang string, list []canned.Response) string {
	var names []string
	for _, r := range list {
		if !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		return Text(lang, "canned.none")
	}
	return Text(lang, "canned.available", strings.Join(names, ", "))
}

// CannedChoices implements Picker: the canned responses the person may
// send in the conversation the query names, one per version, each with
// its preview for this customer and this agent. Those in the customer's
// language come first, then the team's language, then any-language ones,
// then the rest; names starting with Search before others containing it.
// It is empty when the query names no conversation or the person may not
// act in its team.
func (b *Bridge) CannedChoices(ctx context.Context, q PickerQuery) ([]CannedChoice, error) {
	ctx = b.withAgentName(ctx, q.Workspace, q.UserID)
	var out []CannedChoice
	err := b.store.InTx(ctx, func(tx Tx) error {
		conv, _, found, err := b.pickerConversation(ctx, tx, q)
		if err != nil || !found {
			return err
		}
		team := b.team(conv.Team)
		who, err := b.standingIn(ctx, tx, team, Person{ID: q.UserID, Roles: q.Roles, Guest: q.Guest})
		if err != nil || !who.mayAct() {
			return err
		}
		contact, err := tx.GetContact(ctx, conv.ContactID)
		if err != nil {
			return err
		}
		list, err := tx.CannedResponses(ctx, team.Name)
		if err != nil {
			return err
		}
		values := cannedValues(ctx, conv, contact, team, q.UserID, b.cannedAttributes(ctx, tx, contact))
		out = cannedChoices(canned.Visible(list), cannedLanguages(contact, team), q.Search, values)
		for i := range out {
			out[i].Conversation = conv.ID
		}
		return nil
	})
	return out, err
}

// cannedChoices orders and filters list for a picker (see CannedChoices).
func cannedChoices(list []canned.Response, langs []string, search string, values map[string]string) []CannedChoice {
	search = strings.ToLower(strings.TrimSpace(search))
	rank := func(r canned.Response) int {
		if i := slices.Index(langs, r.Language); i >= 0 && r.Language != "" {
			return i
		}
		if r.Language == "" {
			return len(langs)
		}
		return len(langs) + 1
	}
	type scored struct {
		r       canned.Response
		prefix  bool
		rank    int
		preview string
	}
	var found []scored
	for _, r := range list {
		preview := canned.Render(r.Body, values)
		prefix := strings.HasPrefix(r.Name, search)
		if search != "" && !prefix && !strings.Contains(r.Name, search) && !strings.Contains(strings.ToLower(preview), search) {
			continue
		}
		found = append(found, scored{r: r, prefix: prefix, rank: rank(r), preview: preview})
	}
	slices.SortStableFunc(found, func(a, b scored) int {
		if a.prefix != b.prefix {
			if a.prefix {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.r.Name, b.r.Name), strings.Compare(a.r.Language, b.r.Language))
	})
	out := make([]CannedChoice, 0, len(found))
	for _, f := range found {
		out = append(out, CannedChoice{Name: f.r.Name, Language: f.r.Language, Preview: f.preview})
	}
	return out
}

// SyncCanned writes the configuration's canned responses to the database
// (Options.Canned), over chat ones with the same name and language, and
// removes config ones no longer in it. Called at start-up by every
// replica; the last to start wins, which is the newest configuration in
// a rolling deploy.
func (b *Bridge) SyncCanned(ctx context.Context) error {
	return b.inTx(ctx, func(tx Tx) error { return tx.ReplaceConfigCanned(ctx, b.opts.Canned, b.now()) })
}
