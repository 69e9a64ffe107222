package configs

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FieldError is one problem found in a configuration. Parse and Load return
// all of them joined with errors.Join, so errors.As finds the first and
// callers that want them all can unwrap the join.
//
// Its text never contains a secret value: messages quote only values of
// fields that are not secrets.
type FieldError struct {
	Source string // file name, or a description of the built-in configuration
	Line   int    // 1-based line in Source; 0 when unknown
	Field  string // path of the field, e.g. "teams[1].slack_channel"
	Env    string // environment variable the value came from, if any
	Msg    string // what is wrong and how to fix it

	bare bool // Msg already names the field (unknown keys)
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	if !e.bare && e.Field != "" {
		b.WriteString(e.Field)
		if e.Env != "" {
			fmt.Fprintf(&b, " (from $%s)", e.Env)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxNodeVisits bounds the work the decoder does on documents built from
// aliases (a "billion laughs" file must fail quickly, not hang check-config).
const maxNodeVisits = 100_000

// decoder walks a yaml.Node tree against the Config struct types. It exists
// instead of yaml.v3's own struct decoding so that every error carries the
// field path and line, unknown keys get a suggestion, ${VAR} expansion happens
// on scalar values only (never keys), and a value that came from the
// environment is never re-parsed as YAML or quoted in an error.
type decoder struct {
	source string
	getenv func(string) string
	errs   []error
	visits int

	// lines maps a field path to the line of its value; set marks paths
	// whose value is present and non-empty (so defaults apply to the rest);
	// env maps a path to the variable its value was expanded from.
	lines map[string]int
	set   map[string]bool
	env   map[string]string

	// failed marks paths whose value could not be decoded; once validating,
	// errors under them are dropped (they would only repeat the problem).
	failed     map[string]bool
	validating bool
}

func newDecoder(source string, getenv func(string) string) *decoder {
	return &decoder{
		source: source,
		getenv: getenv,
		lines:  map[string]int{},
		set:    map[string]bool{},
		env:    map[string]string{},
		failed: map[string]bool{},
	}
}

func (d *decoder) fail(line int, path, format string, args ...any) {
	if !d.validating {
		d.failed[path] = true
	} else {
		for p := path; p != ""; p = parentPath(p) {
			if d.failed[p] {
				return
			}
		}
	}
	d.errs = append(d.errs, &FieldError{
		Source: d.source, Line: line, Field: path, Env: d.env[path],
		Msg: fmt.Sprintf(format, args...),
	})
}

// lineOf returns the line of path, or of its nearest ancestor present in
// the file.
func (d *decoder) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := d.lines[p]; ok {
			return l
		}
	}
	return 0
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// decode stores node n into v (addressable), recording errors under path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	d.visits++
	if d.visits > maxNodeVisits {
		if d.visits == maxNodeVisits+1 {
			d.fail(n.Line, path, "the document expands to too many values (aliases?); write the configuration out plainly")
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.fail(n.Line, path, "alias to an unknown anchor")
			return
		}
		line := n.Line
		n = n.Alias
		defer func() { d.lines[path] = line }()
	}
	d.lines[path] = n.Line
	if isNull(n) {
		return // leave the zero value; defaults fill it
	}

	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) {
		if n.Kind == yaml.ScalarNode {
			n = d.expandNode(n, path)
			if n.Value == "" {
				return
			}
		}
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			if h, ok := v.Addr().Interface().(interface{ hint() string }); ok && d.env[path] != "" {
				// The message would quote a value from the environment.
				d.fail(n.Line, path, "the value of $%s is not valid: %s", d.env[path], h.hint())
			} else {
				d.fail(n.Line, path, "%v", err)
			}
			return
		}
		d.set[path] = true
		return
	}

	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n.Line, path, "expected a list (lines starting with \"- \"), found %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
		d.set[path] = true
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode {
			d.fail(n.Line, path, "expected a single value, found %s", kindName(n))
			return
		}
		n = d.expandNode(n, path)
		if n.Value == "" {
			return
		}
		d.scalar(n, v, path)
	default:
		// Types owned by other packages (the routing rule tree, business
		// hours, classifier examples) decode with yaml.v3, still strictly.
		if err := strictDecode(n, v.Addr().Interface()); err != nil {
			d.fail(n.Line, path, "%v", err)
			return
		}
		d.set[path] = true
	}
}

// strictDecode decodes one node into out, rejecting unknown keys. Line
// numbers in yaml.v3's messages count from the node, so callers report the
// node's own line beside them.
func strictDecode(n *yaml.Node, out any) error {
	raw, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  "))
	}
	return nil
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	s := n.Value
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch strings.ToLower(s) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			d.fail(n.Line, path, "expected true or false, found %s", d.quote(path, s))
			return
		}
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil || v.OverflowInt(i) {
			d.fail(n.Line, path, "expected a whole number, found %s", d.quote(path, s))
			return
		}
		v.SetInt(i)
	}
	d.set[path] = true
}

// quote shows a value in an error, unless the field holds a secret or the
// value came from the environment (which may hold a secret, whatever the
// field).
func (d *decoder) quote(path, s string) string {
	if v := d.env[path]; v != "" {
		return "the value of $" + v
	}
	if isSecretPath(path) {
		return "a value (hidden: secret)"
	}
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strconv.Quote(s)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	where := path
	if where == "" {
		where = "the top level"
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n.Line, path, "expected a mapping of keys to values in %s, found %s", where, kindName(n))
		return
	}
	fields := structFields(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k.Line, path, "keys must be plain names, found %s", kindName(k))
			continue
		}
		name := k.Value
		idx, ok := fields[name]
		if !ok {
			msg := fmt.Sprintf("unknown field %q in %s", name, where)
			if name == "<<" {
				msg += "; merge keys (<<) are not supported, write the fields out"
			} else if s := suggest(name, fieldNames(v.Type())); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; known fields: " + strings.Join(fieldNames(v.Type()), ", ")
			}
			d.errs = append(d.errs, &FieldError{Source: d.source, Line: k.Line, Field: joinPath(path, name), Msg: msg, bare: true})
			continue
		}
		if first, dup := seen[name]; dup {
			d.fail(k.Line, joinPath(path, name), "set twice (first at line %d); keep one", first)
			continue
		}
		seen[name] = k.Line
		d.decode(val, v.Field(idx), joinPath(path, name))
	}
}

// structFields maps yaml names to field indexes.
func structFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		m[name] = i
	}
	return m
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" && t.Field(i).IsExported() {
			names = append(names, name)
		}
	}
	return names
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// expandNode returns a copy of the scalar n with ${VAR} references expanded.
// The copy is marked as a quoted string so that nothing re-interprets an
// expanded secret as YAML.
func (d *decoder) expandNode(n *yaml.Node, path string) *yaml.Node {
	if !strings.Contains(n.Value, "$") {
		return n
	}
	out, vars, err := expand(n.Value, d.getenv)
	if err != nil {
		d.fail(n.Line, path, "%v", err)
		out = ""
	}
	if len(vars) > 0 {
		d.env[path] = vars[0]
	}
	c := *n
	c.Value = out
	c.Tag = "!!str"
	c.Style = yaml.DoubleQuotedStyle
	return &c
}

// expand replaces ${NAME} and ${NAME:-default} in s. An unset or empty
// variable expands to the default, or to "". "$${" is a literal "${"; any
// other "$" is kept as is. The expanded text is not scanned again. It returns
// the variables referenced, in order. Errors never quote s (it may hold a
// secret written inline).
func expand(s string, getenv func(string) string) (string, []string, error) {
	var b strings.Builder
	var vars []string
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			b.WriteString(s)
			return b.String(), vars, nil
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "$${"):
			b.WriteString("${")
			s = s[3:]
			continue
		case !strings.HasPrefix(s, "${"):
			b.WriteByte('$')
			s = s[1:]
			continue
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", vars, fmt.Errorf("unterminated ${ (write ${NAME}, or $${ for a literal ${)")
		}
		ref := s[2:end]
		s = s[end+1:]
		name, def, hasDef := strings.Cut(ref, ":-")
		if !validEnvName(name) {
			return "", vars, fmt.Errorf("${...} must name an environment variable made of letters, digits and _ (e.g. ${SLACK_BOT_TOKEN} or ${LISTEN:-:8080})")
		}
		vars = append(vars, name)
		val := getenv(name)
		if val == "" && hasDef {
			val = def
		}
		b.WriteString(val)
	}
}

func validEnvName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// suggest returns the known name closest to a misspelt one, or "".
func suggest(name string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	}
	n := norm(name)
	best, bestDist := "", 1<<30
	for _, k := range known {
		if norm(k) == n {
			return k
		}
		dist := levenshtein(n, norm(k))
		limit := max(1, len(k)/4)
		if dist <= limit && dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return best
	}
	// "slak" for "slack_channel": compare with the first word of each key.
	if len(n) >= 3 {
		for _, k := range known {
			first, _, _ := strings.Cut(k, "_")
			if dist := levenshtein(n, first); dist <= 1 && dist < bestDist {
				best, bestDist = k, dist
			}
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
