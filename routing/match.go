package routing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Matchers are the conditions of one route. Every matcher that is set must
// hold for the route to match (AND); within a list any one value is enough
// (OR). A route without matchers matches everything, which is what the root
// and catch-all children want.
type Matchers struct {
	// Inboxes: the message arrived on one of these numbers (WhatsApp
	// phone_number_id).
	Inboxes []string `yaml:"inboxes,omitempty"`
	// Channel: the message arrived on one of these customer channels
	// (whatsapp, messenger, instagram, email; see ChannelNames).
	Channel []string `yaml:"channel,omitempty"`
	// Keywords: one of these words or phrases occurs in the text as whole
	// words, ignoring case and accents. "devolucion" matches "Devolución"
	// but not "devoluciones"; a trailing * matches any word starting with
	// the rest ("devolu*" matches both). A phrase ("no funciona") matches
	// the same words in a row, whatever punctuation or spacing sits between
	// them.
	Keywords []string `yaml:"keywords,omitempty"`
	// Regex must match the whole normalised text, as Alertmanager anchors
	// its matchers: the pattern p is compiled as ^(?:p)$ (with (?is), so
	// upper-case letters in p and "." across lines work). Write
	// ".*pedido #?\d+.*" to find an order number anywhere. Accents in the
	// pattern are removed, as they are from the text.
	Regex *Regexp `yaml:"regex,omitempty"`
	// ContainsRegex is Regex without anchors: it matches anywhere in the
	// normalised text.
	ContainsRegex *Regexp `yaml:"contains_regex,omitempty"`
	// ContactLabels: the contact carries one of these labels (compared
	// without regard to case).
	ContactLabels []string `yaml:"contact_labels,omitempty"`
	// ContactAttributes: the contact has every one of these attributes
	// with this value (names exact, values compared without regard to
	// case or accents), e.g. {plan: gold}. Agents set them with !attr.
	ContactAttributes map[string]string `yaml:"contact_attributes,omitempty"`
	// Language: the message is in one of these languages (en, es, pt), as
	// given in Input.Language or told by DetectLanguage. When the language
	// cannot be told the matcher does not match.
	Language []string `yaml:"language,omitempty"`
	// BusinessHours: the message arrived while a team is open (or closed).
	BusinessHours *HoursMatcher `yaml:"business_hours,omitempty"`
	// Classifier: the classifier gave this label with at least this
	// confidence and did not abstain.
	Classifier *LabelMatcher `yaml:"classifier,omitempty"`
	// LLM: the LLM classifier (the assistant's provider) gave this label
	// with at least this confidence. The labels of every llm matcher are
	// what the LLM chooses from (Route.LLMLabels). When no LLM answer is
	// given (Input.LLM nil: the provider failed, timed out or is not
	// configured) the offline classifier decides instead, as a classifier
	// matcher would, and the reasons say so.
	LLM *LabelMatcher `yaml:"llm,omitempty"`
}

// HoursMatcher matches on a team's business hours at Input.At.
type HoursMatcher struct {
	// Team whose hours count; default the route's own (inherited) team.
	Team string `yaml:"team,omitempty"`
	// State is "open" or "closed".
	State string `yaml:"state"`
}

// LabelMatcher matches a classifier label.
type LabelMatcher struct {
	Label string `yaml:"label"`
	// MinConfidence in [0, 1]; 0 accepts any label the classifier did not
	// abstain on.
	MinConfidence float64 `yaml:"min_confidence,omitempty"`
}

// Empty reports whether no matcher is set.
func (m Matchers) Empty() bool {
	return len(m.Inboxes) == 0 && len(m.Channel) == 0 && len(m.Keywords) == 0 && m.Regex == nil &&
		m.ContainsRegex == nil && len(m.ContactLabels) == 0 && len(m.ContactAttributes) == 0 && len(m.Language) == 0 &&
		m.BusinessHours == nil && m.Classifier == nil && m.LLM == nil
}

// Regexp is a regular expression from the config. It keeps the text as
// written for messages and YAML output.
type Regexp struct {
	*regexp.Regexp
	original string
}

// NewRegexp compiles pattern anchored (^(?:p)$) or not, case-insensitive,
// with accents folded out of it.
func NewRegexp(pattern string, anchored bool) (*Regexp, error) {
	p := FoldAccents(pattern)
	if anchored {
		p = "^(?:" + p + ")$"
	}
	re, err := regexp.Compile("(?is)" + p)
	if err != nil {
		return nil, err
	}
	return &Regexp{Regexp: re, original: pattern}, nil
}

// String is the pattern as written in the config.
func (r *Regexp) String() string {
	if r.original == "" && r.Regexp != nil {
		return r.Regexp.String()
	}
	return r.original
}

// MarshalYAML writes the pattern as written.
func (r *Regexp) MarshalYAML() (any, error) { return r.original, nil }

// UnmarshalYAML keeps the pattern and reports syntax errors with their
// line. Whether it is anchored depends on the field (regex or
// contains_regex), so the final form is built when the tree is compiled.
func (r *Regexp) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a regular expression must be a string", n.Line)
	}
	if _, err := regexp.Compile(FoldAccents(n.Value)); err != nil {
		return fmt.Errorf("line %d: regex %q: %w", n.Line, n.Value, err)
	}
	r.original = n.Value
	return nil
}

// matchers is the compiled form of Matchers.
type matchers struct {
	idx      int // position in the tree, for the keyword index; -1 when none
	inboxes  []string
	channels []string
	keywords []keyword
	regex    *regexp.Regexp
	contains *regexp.Regexp
	// regexSrc and containsSrc are the patterns as written, for reasons.
	regexSrc, containsSrc string
	labels                []string          // lowercased
	attrs                 map[string]string // name → folded value
	language              []string
	hours                 *Team // team whose hours count
	open                  bool  // state wanted
	label                 *LabelMatcher
	llm                   *LabelMatcher
}

// keyword is one configured keyword split into normalised words; a word
// ending in '*' is a prefix.
type keyword struct {
	source string
	words  []string
}

func (k keyword) matchesAt(tokens []string, i int) bool {
	if i+len(k.words) > len(tokens) {
		return false
	}
	for j, w := range k.words {
		t := tokens[i+j]
		if p, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(t, p) {
				return false
			}
		} else if t != w {
			return false
		}
	}
	return true
}

// compileMatchers validates m and builds its compiled form. team is the
// route's effective team; teams are the known teams (nil: not checked).
func compileMatchers(m Matchers, path, team string, teams map[string]*Team) (matchers, error) {
	c := matchers{idx: -1}
	for i, in := range m.Inboxes {
		if strings.TrimSpace(in) == "" {
			return c, fmt.Errorf("%s.inboxes[%d]: empty inbox id", path, i)
		}
	}
	c.inboxes = m.Inboxes
	for i, ch := range m.Channel {
		if !slices.Contains(ChannelNames, ch) {
			return c, fmt.Errorf("%s.channel[%d]: unknown channel %q: use one of %s", path, i, ch, strings.Join(ChannelNames, ", "))
		}
	}
	c.channels = m.Channel
	for i, kw := range m.Keywords {
		words := keywordWords(kw)
		if len(words) == 0 {
			return c, fmt.Errorf("%s.keywords[%d]: %q has no letters or digits", path, i, kw)
		}
		c.keywords = append(c.keywords, keyword{source: kw, words: words})
	}
	var err error
	if m.Regex != nil {
		c.regexSrc = m.Regex.String()
		if c.regex, err = compileRegexp(m.Regex, true); err != nil {
			return c, fmt.Errorf("%s.regex: %w", path, err)
		}
	}
	if m.ContainsRegex != nil {
		c.containsSrc = m.ContainsRegex.String()
		if c.contains, err = compileRegexp(m.ContainsRegex, false); err != nil {
			return c, fmt.Errorf("%s.contains_regex: %w", path, err)
		}
	}
	for i, l := range m.ContactLabels {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			return c, fmt.Errorf("%s.contact_labels[%d]: empty label", path, i)
		}
		c.labels = append(c.labels, l)
	}
	for name, v := range m.ContactAttributes {
		if strings.TrimSpace(name) == "" || strings.TrimSpace(v) == "" {
			return c, fmt.Errorf("%s.contact_attributes: %q: a name and a value are needed, e.g. {plan: gold}", path, name)
		}
		if c.attrs == nil {
			c.attrs = map[string]string{}
		}
		c.attrs[strings.TrimSpace(name)] = foldValue(v)
	}
	for i, l := range m.Language {
		if !slices.Contains(knownLanguages, l) {
			return c, fmt.Errorf("%s.language[%d]: %q is not one of en, es, pt", path, i, l)
		}
	}
	c.language = m.Language
	if bh := m.BusinessHours; bh != nil {
		switch bh.State {
		case "open":
			c.open = true
		case "closed":
		default:
			return c, fmt.Errorf("%s.business_hours.state: %q must be open or closed", path, bh.State)
		}
		name := bh.Team
		if name == "" {
			name = team
		}
		t, ok := teams[name]
		switch {
		case !ok:
			return c, fmt.Errorf("%s.business_hours.team: unknown team %q", path, name)
		case t.Hours == nil:
			return c, fmt.Errorf("%s.business_hours.team: team %q has no hours configured", path, name)
		}
		c.hours = t
	}
	if lm := m.Classifier; lm != nil {
		if lm.Label == "" {
			return c, fmt.Errorf("%s.classifier.label: required", path)
		}
		if lm.MinConfidence < 0 || lm.MinConfidence > 1 {
			return c, fmt.Errorf("%s.classifier.min_confidence: %v must be between 0 and 1", path, lm.MinConfidence)
		}
		c.label = lm
	}
	if lm := m.LLM; lm != nil {
		if strings.TrimSpace(lm.Label) == "" {
			return c, fmt.Errorf("%s.llm.label: required (the label the LLM must give, e.g. billing)", path)
		}
		if lm.MinConfidence < 0 || lm.MinConfidence > 1 {
			return c, fmt.Errorf("%s.llm.min_confidence: %v must be between 0 and 1", path, lm.MinConfidence)
		}
		c.llm = lm
	}
	return c, nil
}

func compileRegexp(r *Regexp, anchored bool) (*regexp.Regexp, error) {
	if r.Regexp != nil && r.original == "" {
		// Built in code around an already compiled expression: use it as is.
		return r.Regexp, nil
	}
	c, err := NewRegexp(r.original, anchored)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", r.original, err)
	}
	r.Regexp = c.Regexp
	return c.Regexp, nil
}

// keywordWords normalises a keyword into its words, keeping a trailing '*'
// on the last word as a prefix marker.
func keywordWords(kw string) []string {
	n := Normalize(kw)
	prefix := strings.HasSuffix(n, "*")
	words := Tokenize(n)
	if prefix && len(words) > 0 {
		words[len(words)-1] += "*"
	}
	return words
}

// subject is one Input prepared for matching: everything derived from the
// text is computed once, lazily, and shared by all routes.
type subject struct {
	in         Input
	env        *env
	normalized string
	tokens     []string
	lang       string
	langOK     bool
	langDone   bool
	class      *Classification
	classDone  bool
	llm        *LLMResult
	llmDone    bool
	kwHits     []int
}

func newSubject(in Input, e *env) *subject {
	s := &subject{in: in, env: e, normalized: Normalize(in.Text)}
	s.tokens = Tokenize(s.normalized)
	return s
}

func (s *subject) language() (string, bool) {
	if !s.langDone {
		s.langDone = true
		if s.in.Language != "" {
			s.lang, s.langOK = strings.ToLower(s.in.Language), true
		} else {
			s.lang, s.langOK = DetectLanguage(s.tokens)
		}
	}
	return s.lang, s.langOK
}

func (s *subject) classification() *Classification {
	if !s.classDone {
		s.classDone = true
		s.class = s.in.Classification
		if s.class == nil && s.env != nil && s.env.classifier != nil {
			c := s.env.classifier.Classify(s.in.Text)
			s.class = &c
		}
	}
	return s.class
}

// llmResult is the LLM's answer when one was given, else the offline
// classifier's standing in for it (Decider "offline"); nil when neither
// exists. An abstaining offline classifier gives no label, keeping its
// best guess for explanations.
func (s *subject) llmResult() (r *LLMResult, guess *Classification) {
	if !s.llmDone {
		s.llmDone = true
		s.llm = s.in.LLM
		if s.llm == nil {
			if c := s.classification(); c != nil {
				s.llm = &LLMResult{Label: c.Label, Confidence: c.Confidence, Decider: DeciderOffline}
				if c.Abstained {
					s.llm.Label = ""
				}
			}
		}
	}
	if s.llm != nil && s.llm.Decider == DeciderOffline && s.in.LLM == nil {
		guess = s.classification()
	}
	return s.llm, guess
}

// eval checks every matcher. On success it returns one reason per matcher
// set; on failure the reason of the first matcher that failed (built only
// when explain is true, so decisions stay cheap).
func (m *matchers) eval(s *subject, id string, explain bool) (ok bool, reasons []string, why string) {
	if len(m.inboxes) > 0 {
		if !slices.Contains(m.inboxes, s.in.Inbox) {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("inbox %q is not one of %v", s.in.Inbox, m.inboxes)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched inbox '%s'", id, s.in.Inbox))
	}
	if len(m.channels) > 0 {
		ch := s.in.channel()
		if !slices.Contains(m.channels, ch) {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("channel %q is not one of %v", ch, m.channels)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched channel '%s'", id, ch))
	}
	if len(m.keywords) > 0 {
		kw, found := m.findKeyword(s)
		if !found {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("none of the keywords %q occurs in the text", m.keywordSources())
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched keyword '%s'", id, kw))
	}
	if m.regex != nil {
		if !m.regex.MatchString(s.normalized) {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("the whole text does not match regex %s", m.regexSrc)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched regex %s", id, m.regexSrc))
	}
	if m.contains != nil {
		found := m.contains.FindString(s.normalized)
		if found == "" && !m.contains.MatchString(s.normalized) {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("contains_regex %s finds nothing in the text", m.containsSrc)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched contains_regex %s at %q", id, m.containsSrc, found))
	}
	if len(m.labels) > 0 {
		label, found := "", false
		for _, have := range s.in.ContactLabels {
			if slices.Contains(m.labels, strings.ToLower(strings.TrimSpace(have))) {
				label, found = have, true
				break
			}
		}
		if !found {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("the contact has none of the labels %v (has %v)", m.labels, s.in.ContactLabels)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched contact label '%s'", id, label))
	}
	if len(m.attrs) > 0 {
		names := make([]string, 0, len(m.attrs))
		for name := range m.attrs {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			have, ok := s.in.ContactAttributes[name]
			if !ok || foldValue(have) != m.attrs[name] {
				if !explain {
					return false, nil, ""
				}
				return false, nil, fmt.Sprintf("the contact's %s is %q, not %q", name, have, m.attrs[name])
			}
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched contact attributes %v", id, m.attrs))
	}
	if len(m.language) > 0 {
		lang, known := s.language()
		if !known {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("the language of the text cannot be told (wanted %v)", m.language)
		}
		if !slices.Contains(m.language, lang) {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("language %q is not one of %v", lang, m.language)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched language '%s'", id, lang))
	}
	if m.hours != nil {
		state := "closed"
		if m.open {
			state = "open"
		}
		if s.in.At.IsZero() {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("no time given to check whether team %q is %s", m.hours.Name, state)
		}
		if m.hours.Hours.Open(s.in.At) != m.open {
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("team %q is not %s at %s", m.hours.Name, state, s.in.At.In(m.hours.Hours.Location()).Format("Mon 2006-01-02 15:04 MST"))
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched business hours: team '%s' is %s", id, m.hours.Name, state))
	}
	if m.label != nil {
		c := s.classification()
		switch {
		case c == nil:
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("no classifier result (wanted label %q)", m.label.Label)
		case c.Abstained:
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("the classifier abstained (best guess %q at %.2f)", c.Label, c.Confidence)
		case c.Label != m.label.Label:
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("the classifier said %q, not %q", c.Label, m.label.Label)
		case c.Confidence < m.label.MinConfidence:
			if !explain {
				return false, nil, ""
			}
			return false, nil, fmt.Sprintf("classifier confidence %.2f for %q is below %.2f", c.Confidence, c.Label, m.label.MinConfidence)
		}
		reasons = append(reasons, fmt.Sprintf("route '%s' matched classifier label '%s' (confidence %.2f)", id, c.Label, c.Confidence))
	}
	if m.llm != nil {
		ok, reason, why := m.evalLLM(s, id, explain)
		if !ok {
			return false, nil, why
		}
		reasons = append(reasons, reason)
	}
	return true, reasons, ""
}

// evalLLM checks the llm matcher against the LLM's answer or, without
// one, the offline classifier's.
func (m *matchers) evalLLM(s *subject, id string, explain bool) (ok bool, reason, why string) {
	r, guess := s.llmResult()
	want := m.llm.Label
	if r == nil {
		if !explain {
			return false, "", ""
		}
		return false, "", fmt.Sprintf("llm unavailable and no offline classifier configured (wanted label %q)", want)
	}
	source := r.describe()
	switch {
	case r.Label == "":
		if !explain {
			return false, "", ""
		}
		if guess != nil {
			return false, "", fmt.Sprintf("%s abstained (best guess %q at %.2f; wanted %q)", source, guess.Label, guess.Confidence, want)
		}
		return false, "", fmt.Sprintf("%s found no label that fits (wanted %q)", source, want)
	case r.Label != want:
		if !explain {
			return false, "", ""
		}
		return false, "", fmt.Sprintf("%s said %q, not %q", source, r.Label, want)
	case r.Confidence < m.llm.MinConfidence:
		if !explain {
			return false, "", ""
		}
		return false, "", fmt.Sprintf("%s confidence %.2f for %q is below %.2f", source, r.Confidence, r.Label, m.llm.MinConfidence)
	}
	return true, fmt.Sprintf("route '%s' matched llm label '%s' (%s)", id, r.Label, r.String()), ""
}

// findKeyword returns the first configured keyword of the route found in
// the text. Without an index (a matchers value used on its own) it scans.
func (m *matchers) findKeyword(s *subject) (string, bool) {
	if s.env != nil && s.env.keywords != nil && m.idx >= 0 {
		hits := s.keywordHits()
		if k := hits[m.idx]; k > 0 {
			return m.keywords[k-1].source, true
		}
		return "", false
	}
	for _, k := range m.keywords {
		for i := range s.tokens {
			if k.matchesAt(s.tokens, i) {
				return k.source, true
			}
		}
	}
	return "", false
}

// keywordIndex finds the keywords of every route in one pass over the
// text's words, so a tree with hundreds of keyword rules costs a few map
// lookups per word instead of a scan per rule.
type keywordIndex struct {
	routes int
	// byWord maps a keyword's first word to the keywords starting with it.
	byWord map[string][]keywordRef
	// prefixed are keywords whose first word ends in '*'; they are few and
	// tried at every position.
	prefixed []keywordRef
}

type keywordRef struct {
	route int // matchers.idx
	kw    int // position in the route's keywords
	k     keyword
}

func (x *keywordIndex) add(m *matchers) {
	for i, k := range m.keywords {
		ref := keywordRef{route: m.idx, kw: i, k: k}
		if strings.HasSuffix(k.words[0], "*") {
			x.prefixed = append(x.prefixed, ref)
			continue
		}
		x.byWord[k.words[0]] = append(x.byWord[k.words[0]], ref)
	}
}

// keywordHits returns, per route index, 1 + the position of the first of
// its keywords found in the text, or 0.
func (s *subject) keywordHits() []int {
	if s.kwHits != nil {
		return s.kwHits
	}
	x := s.env.keywords
	hits := make([]int, x.routes)
	mark := func(ref keywordRef) {
		if h := hits[ref.route]; h == 0 || ref.kw+1 < h {
			hits[ref.route] = ref.kw + 1
		}
	}
	for i, tok := range s.tokens {
		for _, ref := range x.byWord[tok] {
			if ref.k.matchesAt(s.tokens, i) {
				mark(ref)
			}
		}
		for _, ref := range x.prefixed {
			if ref.k.matchesAt(s.tokens, i) {
				mark(ref)
			}
		}
	}
	s.kwHits = hits
	return hits
}

func (m *matchers) keywordSources() []string {
	out := make([]string, len(m.keywords))
	for i, k := range m.keywords {
		out[i] = k.source
	}
	return out
}

// foldValue is how attribute values compare: trimmed, lower case, without
// accents ("Gold" and "gold" are one plan).
func foldValue(v string) string { return strings.ToLower(FoldAccents(strings.TrimSpace(v))) }
