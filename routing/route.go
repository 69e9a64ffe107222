// Package routing decides which team takes a conversation and which agent
// of the team gets it. It is pure: it is given the message, the contact,
// the time and the agents' state, and returns a decision with the rule and
// reasons that made it. It never touches the database or the network.
//
// The route tree copies Prometheus Alertmanager's semantics
// (dispatch/route.go):
//
//   - The root route matches everything and is the fallback: when no child
//     matches, the root's team takes the conversation.
//   - A route's children are tried in order; the first that matches wins,
//     and its own children are tried in turn. The deepest matching route
//     decides.
//   - A child with continue: true does not stop the search: its siblings are
//     tried as well. The first match still decides; later ones are reported
//     in Decision.Also (for logs and notifications).
//   - A child inherits the team from its parent when it names none.
//   - Regular expressions are anchored: regex must match the whole
//     normalised text. contains_regex matches anywhere.
//   - Every route has a stable id, used in reasons, logs, event data and
//     metrics.
package routing

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Route is one node of the routing tree.
//
//	route:
//	  id: root
//	  team: support            # the fallback
//	  routes:
//	    - id: refunds
//	      team: billing
//	      match:
//	        keywords: [devolucion, reembolso, refund, "devolver*"]
//	    - id: vip
//	      match: {contact_labels: [vip]}
//	      continue: true       # also try the routes below
//	    - id: portuguese
//	      team: brasil
//	      match: {language: [pt]}
//	      routes:
//	        - id: brasil-night
//	          team: brasil-oncall
//	          match: {business_hours: {team: brasil, state: closed}}
type Route struct {
	// ID names the route in reasons, logs and metrics. Required on every
	// route but the root (default "root"); lowercase letters, digits, "-",
	// "_" and "."; unique in the tree. Keep it stable when reordering rules.
	ID string `yaml:"id"`
	// Team that takes conversations this route decides. Inherited from the
	// parent when empty; required on the root.
	Team string `yaml:"team,omitempty"`
	// Match holds the conditions; empty matches everything.
	Match Matchers `yaml:"match,omitempty"`
	// Continue: after this route matched, keep trying its siblings.
	Continue bool `yaml:"continue,omitempty"`
	// Routes are the children, tried in order.
	Routes []*Route `yaml:"routes,omitempty"`

	parent   *Route
	team     string // effective team after inheritance
	compiled matchers
	env      *env
	lazy     *lazyCompile // root only: compile on first Decide
}

type lazyCompile struct {
	once sync.Once
	err  error
}

// env is what a compiled tree shares: the teams and the classifier.
type env struct {
	teams      map[string]*Team
	classifier Classifier
	keywords   *keywordIndex
}

var routeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// Compile validates the tree rooted at r against the teams (nil: team names
// are not checked, and business_hours matchers cannot be used) and prepares
// it for Decide. classifier may be nil; then classifier matchers only see
// Input.Classification. Errors name the route id and the field.
func (r *Route) Compile(teams []*Team, classifier Classifier) error {
	r.lazy = &lazyCompile{}
	r.lazy.once.Do(func() { r.lazy.err = r.compileRoot(teams, classifier) })
	return r.lazy.err
}

func (r *Route) compileRoot(teams []*Team, classifier Classifier) error {
	e := &env{classifier: classifier}
	if teams != nil {
		e.teams = make(map[string]*Team, len(teams))
		for _, t := range teams {
			e.teams[t.Name] = t
		}
	}
	if r.ID == "" {
		r.ID = "root"
	}
	if r.Team == "" {
		return fmt.Errorf("route %q: team: required on the root route (it is the fallback)", r.ID)
	}
	if !r.Match.Empty() {
		return fmt.Errorf("route %q: match: the root route must not have matchers (it catches everything); add a child route instead", r.ID)
	}
	if r.Continue {
		return fmt.Errorf("route %q: continue: not allowed on the root route", r.ID)
	}
	e.keywords = &keywordIndex{byWord: map[string][]keywordRef{}}
	return r.compile(nil, e, map[string]bool{})
}

func (r *Route) compile(parent *Route, e *env, seen map[string]bool) error {
	r.parent, r.env = parent, e
	path := fmt.Sprintf("route %q", r.ID)
	if r.ID == "" {
		where := "the root"
		if parent != nil {
			where = fmt.Sprintf("child %d of %q", slices.Index(parent.Routes, r), parent.ID)
		}
		return fmt.Errorf("route at %s: id: required (a short stable name such as \"refunds\")", where)
	}
	if !routeIDPattern.MatchString(r.ID) {
		return fmt.Errorf("%s: id: use lowercase letters, digits, '-', '_' or '.'", path)
	}
	if seen[r.ID] {
		return fmt.Errorf("%s: id: used by another route; ids must be unique", path)
	}
	seen[r.ID] = true
	r.team = r.Team
	if r.team == "" && parent != nil {
		r.team = parent.team
	}
	if e.teams != nil {
		if _, ok := e.teams[r.team]; !ok {
			return fmt.Errorf("%s: team: unknown team %q (known: %s)", path, r.team, strings.Join(teamNames(e.teams), ", "))
		}
	}
	var err error
	if r.compiled, err = compileMatchers(r.Match, path+": match", r.team, e.teams); err != nil {
		return err
	}
	r.compiled.idx = e.keywords.routes
	e.keywords.routes++
	e.keywords.add(&r.compiled)
	for i, c := range r.Routes {
		if c == nil {
			return fmt.Errorf("%s: routes[%d]: empty route", path, i)
		}
		if err := c.compile(r, e, seen); err != nil {
			return err
		}
	}
	return nil
}

func teamNames(m map[string]*Team) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Input is what a routing decision looks at.
type Input struct {
	// Text of the customer's message (caption for media, title of a pressed
	// button).
	Text string
	// Inbox the message arrived on (WhatsApp phone_number_id).
	Inbox string
	// Channel is the inbox's customer channel ("whatsapp", "messenger",
	// "instagram", "email"); empty is WhatsApp.
	Channel string
	// ContactLabels are the contact's labels.
	ContactLabels []string
	// ContactAttributes are the contact's attributes (canonical values).
	ContactAttributes map[string]string
	// At is when the message arrived; business hours are checked against
	// it. Zero: no hours check (business_hours matchers do not match and
	// the decision is never out of hours).
	At time.Time
	// Language overrides detection ("en", "es", "pt") when the caller knows
	// better (a contact attribute, a previous conversation).
	Language string
	// Classification, when given, is used instead of running the tree's
	// classifier.
	Classification *Classification
	// LLM is the LLM classifier's answer for llm matchers; nil (not asked,
	// or the provider failed) lets the offline classifier decide them.
	LLM *LLMResult
}

// Decision is the outcome of routing one message.
type Decision struct {
	// Team that takes the conversation (the routed team, even out of hours).
	Team string
	// RouteID of the route that decided.
	RouteID string
	// Reasons say why, in order from the root down, e.g.
	// "route 'refunds' matched keyword 'devolucion'".
	Reasons []string
	// Language of the message, when given or detected ("" otherwise).
	Language string
	// OutOfHours is true when Team has hours and is closed at Input.At.
	OutOfHours bool
	// NextOpen is when Team opens again (zero unless OutOfHours).
	NextOpen time.Time
	// OnCallTeam takes the conversation out of hours, when Team names one.
	OnCallTeam string
	// AwayMessage is Team's automatic reply out of hours, in the customer's
	// language when there is one for it (else English, else any).
	AwayMessage string
	// Also lists further routes that matched because of continue.
	Also []Match
}

// Match is one matching route.
type Match struct {
	RouteID string
	Team    string
	Reasons []string
}

// Target is the team whose queue the conversation goes to: the on-call
// team out of hours when there is one, Team otherwise.
func (d Decision) Target() string {
	if d.OutOfHours && d.OnCallTeam != "" {
		return d.OnCallTeam
	}
	return d.Team
}

// Decide routes in through the tree rooted at r. A tree that was not
// compiled is compiled on first use without teams (no business_hours
// matchers); if that fails, the root's team decides and the reason says why.
func (r *Route) Decide(in Input) Decision {
	if err := r.ensureCompiled(); err != nil {
		return Decision{Team: r.Team, RouteID: r.ID, Reasons: []string{"routing tree is invalid, root decides: " + err.Error()}}
	}
	s := newSubject(in, r.env)
	matches := r.match(s, nil)
	first := matches[0]
	d := Decision{Team: first.Team, RouteID: first.RouteID, Reasons: first.Reasons}
	if len(matches) > 1 {
		d.Also = matches[1:]
	}
	if lang, ok := s.language(); ok {
		d.Language = lang
	}
	r.env.applyHours(&d, in.At)
	return d
}

// ensureCompiled compiles a tree nobody compiled, once. Creating the
// once-guard is not itself synchronised: compile trees (Load, New, Compile)
// before sharing them between goroutines.
func (r *Route) ensureCompiled() error {
	if r.lazy == nil {
		r.lazy = &lazyCompile{}
	}
	r.lazy.once.Do(func() { r.lazy.err = r.compileRoot(nil, nil) })
	return r.lazy.err
}

// match is Alertmanager's Route.Match: the routes that match s below and
// including r, the deepest first-matching ones. It returns nil when r does
// not match.
func (r *Route) match(s *subject, inherited []string) []Match {
	ok, reasons, _ := r.compiled.eval(s, r.ID, false)
	if !ok {
		return nil
	}
	path := inherited
	if len(reasons) > 0 {
		path = append(slices.Clip(inherited), reasons...)
	}
	var all []Match
	for _, c := range r.Routes {
		m := c.match(s, path)
		all = append(all, m...)
		if m != nil && !c.Continue {
			break
		}
	}
	if len(all) == 0 {
		why := fmt.Sprintf("route '%s' decides: no child route matched", r.ID)
		switch {
		case r.parent == nil && len(r.Routes) > 0:
			why = fmt.Sprintf("no route matched; root '%s' is the fallback", r.ID)
		case r.parent == nil:
			why = fmt.Sprintf("root '%s' is the only route", r.ID)
		case len(r.Routes) == 0:
			why = fmt.Sprintf("route '%s' decides", r.ID)
		}
		why += fmt.Sprintf(" (team '%s'%s)", r.team, r.inheritedFrom())
		all = append(all, Match{RouteID: r.ID, Team: r.team, Reasons: append(slices.Clip(path), why)})
	}
	return all
}

// inheritedFrom says where an inherited team came from.
func (r *Route) inheritedFrom() string {
	if r.Team != "" {
		return ""
	}
	for p := r.parent; p != nil; p = p.parent {
		if p.Team != "" {
			return fmt.Sprintf(", inherited from '%s'", p.ID)
		}
	}
	return ""
}

// applyHours fills the out-of-hours fields for the decided team.
func (e *env) applyHours(d *Decision, at time.Time) {
	if e == nil || at.IsZero() {
		return
	}
	t, ok := e.teams[d.Team]
	if !ok || t.Hours == nil || t.Hours.Open(at) {
		return
	}
	d.OutOfHours = true
	d.NextOpen, _ = t.Hours.NextOpen(at)
	d.OnCallTeam = t.OnCall
	d.AwayMessage = t.Away(d.Language)
	reason := fmt.Sprintf("team '%s' is closed at %s", t.Name, at.In(t.Hours.Location()).Format("Mon 15:04 MST"))
	if !d.NextOpen.IsZero() {
		reason += fmt.Sprintf(", opens %s", d.NextOpen.In(t.Hours.Location()).Format("Mon 2006-01-02 15:04"))
	}
	if t.OnCall != "" {
		reason += fmt.Sprintf("; on-call team '%s' takes it", t.OnCall)
	}
	d.Reasons = append(d.Reasons, reason)
}

// Team is what routing and assignment know of a team.
type Team struct {
	Name string `yaml:"name"`
	// Hours are the team's business hours; nil means always open.
	Hours *Hours `yaml:"hours,omitempty"`
	// OnCall names the team that takes conversations out of hours; empty:
	// they wait in this team's queue.
	OnCall string `yaml:"on_call,omitempty"`
	// AwayMessage is the automatic reply out of hours, by language
	// (en, es, pt).
	AwayMessage map[string]string `yaml:"away_message,omitempty"`
	// Strategy assigns agents: round_robin (default), least_busy, sticky,
	// manual.
	Strategy Strategy `yaml:"strategy,omitempty"`
	// StickyFallback is the strategy when sticky finds no previous agent
	// (default round_robin).
	StickyFallback Strategy `yaml:"sticky_fallback,omitempty"`
	// StickyDays: a returning customer goes back to the agent who helped
	// them within this many days (default 30).
	StickyDays int `yaml:"sticky_days,omitempty"`
	// Capacity is the default maximum of open conversations per agent;
	// 0 means no limit.
	Capacity int `yaml:"capacity,omitempty"`
	// Shifts say when agents work; an agent with shifts is available only
	// during them.
	Shifts []Shift `yaml:"shifts,omitempty"`
}

// Away picks the away message for lang: that language, else English, else
// the first by language code; "" when none is configured.
func (t *Team) Away(lang string) string {
	if m, ok := t.AwayMessage[lang]; ok {
		return m
	}
	if m, ok := t.AwayMessage[LangEnglish]; ok {
		return m
	}
	keys := make([]string, 0, len(t.AwayMessage))
	for k := range t.AwayMessage {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return t.AwayMessage[keys[0]]
}

var teamNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Validate checks one team on its own; Config.Validate checks references.
func (t *Team) Validate(path string) error {
	if !teamNamePattern.MatchString(t.Name) {
		return fmt.Errorf("%s.name: %q must be lowercase letters, digits and dashes", path, t.Name)
	}
	path = fmt.Sprintf("team %q", t.Name)
	if t.Hours != nil {
		if err := t.Hours.Validate(path + ": hours"); err != nil {
			return err
		}
	}
	for lang := range t.AwayMessage {
		if !slices.Contains(knownLanguages, lang) {
			return fmt.Errorf("%s: away_message.%s: language must be en, es or pt", path, lang)
		}
	}
	if err := t.Strategy.validate(path+": strategy", true); err != nil {
		return err
	}
	if err := t.StickyFallback.validate(path+": sticky_fallback", false); err != nil {
		return err
	}
	if t.StickyDays < 0 {
		return fmt.Errorf("%s: sticky_days: %d must not be negative", path, t.StickyDays)
	}
	if t.Capacity < 0 {
		return fmt.Errorf("%s: capacity: %d must not be negative (0 means no limit)", path, t.Capacity)
	}
	agents := map[string]bool{}
	for i := range t.Shifts {
		s := &t.Shifts[i]
		if s.Agent == "" {
			return fmt.Errorf("%s: shifts[%d].agent: required", path, i)
		}
		if agents[s.Agent] {
			return fmt.Errorf("%s: shifts[%d].agent: %q has two shifts; put all their spans in one", path, i, s.Agent)
		}
		agents[s.Agent] = true
		if err := s.Hours.Validate(fmt.Sprintf("%s: shifts[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// Config is the routing part of the configuration file.
type Config struct {
	Teams      []*Team           `yaml:"teams"`
	Route      *Route            `yaml:"route"`
	Classifier *ClassifierConfig `yaml:"classifier,omitempty"`
}

// Router is a validated Config, ready to decide.
type Router struct {
	Root       *Route
	Teams      map[string]*Team
	Classifier Classifier // nil without a classifier section
}

// Load decodes YAML strictly (unknown keys are errors) and builds a Router.
func Load(data []byte) (*Router, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("routing config: %w", err)
	}
	return New(cfg)
}

// New validates cfg, trains its classifier and compiles the tree.
func New(cfg Config) (*Router, error) {
	if cfg.Route == nil {
		return nil, errors.New("route: required (the root route names the default team)")
	}
	teams := map[string]*Team{}
	for i, t := range cfg.Teams {
		if t == nil {
			return nil, fmt.Errorf("teams[%d]: empty team", i)
		}
		if err := t.Validate(fmt.Sprintf("teams[%d]", i)); err != nil {
			return nil, err
		}
		if _, dup := teams[t.Name]; dup {
			return nil, fmt.Errorf("teams[%d].name: %q is used twice", i, t.Name)
		}
		teams[t.Name] = t
	}
	for _, t := range cfg.Teams {
		if t.OnCall == "" {
			continue
		}
		if t.OnCall == t.Name {
			return nil, fmt.Errorf("team %q: on_call: a team cannot be its own on-call team", t.Name)
		}
		if _, ok := teams[t.OnCall]; !ok {
			return nil, fmt.Errorf("team %q: on_call: unknown team %q", t.Name, t.OnCall)
		}
	}
	var cl Classifier
	if cfg.Classifier != nil {
		nb, err := TrainNaiveBayes(cfg.Classifier.Examples, cfg.Classifier.Threshold)
		if err != nil {
			return nil, fmt.Errorf("classifier: %w", err)
		}
		cl = nb
	}
	if err := cfg.Route.Compile(cfg.Teams, cl); err != nil {
		return nil, err
	}
	if nb, ok := cl.(*NaiveBayes); ok {
		if err := checkLabels(cfg.Route, nb); err != nil {
			return nil, err
		}
	}
	return &Router{Root: cfg.Route, Teams: teams, Classifier: cl}, nil
}

// checkLabels makes sure every classifier matcher names a trained label,
// and so does every llm matcher: the offline classifier stands in for the
// LLM when the provider fails, and could never give a label it has no
// examples of.
func checkLabels(r *Route, nb *NaiveBayes) error {
	if lm := r.Match.Classifier; lm != nil && !slices.Contains(nb.Labels(), lm.Label) {
		return fmt.Errorf("route %q: match.classifier.label: %q is not a label of the classifier (labels: %s)", r.ID, lm.Label, strings.Join(nb.Labels(), ", "))
	}
	if lm := r.Match.LLM; lm != nil && !slices.Contains(nb.Labels(), lm.Label) {
		return fmt.Errorf("route %q: match.llm.label: %q is not a label of the classifier (labels: %s); add examples of it under classifier.examples so the offline classifier can stand in when the LLM is unavailable", r.ID, lm.Label, strings.Join(nb.Labels(), ", "))
	}
	for _, c := range r.Routes {
		if err := checkLabels(c, nb); err != nil {
			return err
		}
	}
	return nil
}

// Decide routes in.
func (rt *Router) Decide(in Input) Decision { return rt.Root.Decide(in) }

// Explain explains how in is routed.
func (rt *Router) Explain(in Input) string { return Explain(rt.Root, in) }

// ChannelNames are the customer channels a route's channel matcher may
// name: bridge.Channels, spelled out here so that routing stays free of
// the bridge (a test keeps the two lists equal).
var ChannelNames = []string{"whatsapp", "messenger", "instagram", "email"}

// channel is the input's channel; empty is WhatsApp (inputs from before
// channels existed).
func (in Input) channel() string {
	if in.Channel == "" {
		return "whatsapp"
	}
	return in.Channel
}
