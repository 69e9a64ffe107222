package routing

import (
	"fmt"
	"strings"
)

// Explain describes in several lines how in is routed through the tree
// rooted at root: the input as the matchers see it, each route tried in
// order with why it matched or not, routes skipped because an earlier one
// won, and the decision with its reasons. It backs
// `switchboard route --explain`.
//
//	text: "hola, quiero una devolucion"  (language es, detected)
//	✓ root 'root' (team support)
//	  ✗ route 'sales': none of the keywords ["precio" "comprar"] occurs in the text
//	  ✓ route 'refunds' (team billing): matched keyword 'devolucion'
//	  · route 'portuguese': not tried, 'refunds' matched first
//	decision: team billing by route 'refunds'
func Explain(root *Route, in Input) string {
	if err := root.ensureCompiled(); err != nil {
		return fmt.Sprintf("the routing tree is invalid: %v\ndecision: team %s by the root (fallback)\n", err, root.Team)
	}
	s := newSubject(in, root.env)
	var b strings.Builder

	fmt.Fprintf(&b, "text: %q", s.normalized)
	if lang, ok := s.language(); ok {
		src := "detected"
		if in.Language != "" {
			src = "given"
		}
		fmt.Fprintf(&b, "  (language %s, %s)", lang, src)
	} else {
		b.WriteString("  (language not told)")
	}
	b.WriteByte('\n')
	if in.Inbox != "" {
		fmt.Fprintf(&b, "inbox: %s\n", in.Inbox)
	}
	fmt.Fprintf(&b, "channel: %s\n", in.channel())
	if len(in.ContactAttributes) > 0 {
		fmt.Fprintf(&b, "contact attributes: %v\n", in.ContactAttributes)
	}
	if len(in.ContactLabels) > 0 {
		fmt.Fprintf(&b, "contact labels: %s\n", strings.Join(in.ContactLabels, ", "))
	}
	if !in.At.IsZero() {
		fmt.Fprintf(&b, "at: %s\n", in.At.Format("Mon 2006-01-02 15:04 MST"))
	}
	if c := s.classification(); c != nil {
		verdict := "accepted"
		if c.Abstained {
			verdict = "abstained"
		}
		fmt.Fprintf(&b, "classifier: %s %.2f (%s)\n", c.Label, c.Confidence, verdict)
	}
	if root.UsesLLM() {
		if r, _ := s.llmResult(); r != nil {
			fmt.Fprintf(&b, "%s\n", r)
		} else {
			b.WriteString("llm unavailable, no offline classifier: llm rules cannot match\n")
		}
	}

	explainRoute(&b, root, s, 0)

	d := root.Decide(in)
	fmt.Fprintf(&b, "decision: team %s by route '%s'\n", d.Team, d.RouteID)
	for _, r := range d.Reasons {
		fmt.Fprintf(&b, "  because %s\n", r)
	}
	for _, m := range d.Also {
		fmt.Fprintf(&b, "also matched (continue): route '%s' (team %s)\n", m.RouteID, m.Team)
	}
	if d.OutOfHours {
		target := "waits in the team's queue"
		if d.OnCallTeam != "" {
			target = "goes to on-call team " + d.OnCallTeam
		}
		fmt.Fprintf(&b, "out of hours: the conversation %s", target)
		if !d.NextOpen.IsZero() {
			fmt.Fprintf(&b, "; %s opens %s", d.Team, d.NextOpen.Format("Mon 2006-01-02 15:04 MST"))
		}
		b.WriteByte('\n')
		if d.AwayMessage != "" {
			fmt.Fprintf(&b, "away message: %q\n", d.AwayMessage)
		}
	}
	return b.String()
}

// explainRoute mirrors Route.match, writing one line per route considered.
func explainRoute(b *strings.Builder, r *Route, s *subject, depth int) bool {
	indent := strings.Repeat("  ", depth)
	ok, reasons, why := r.compiled.eval(s, r.ID, true)
	kind := "route"
	if r.parent == nil {
		kind = "root"
	}
	if !ok {
		fmt.Fprintf(b, "%s✗ %s '%s': %s\n", indent, kind, r.ID, why)
		return false
	}
	fmt.Fprintf(b, "%s✓ %s '%s' (team %s)", indent, kind, r.ID, r.team)
	if len(reasons) > 0 {
		parts := make([]string, len(reasons))
		prefix := fmt.Sprintf("route '%s' ", r.ID)
		for i, rs := range reasons {
			parts[i] = strings.TrimPrefix(rs, prefix)
		}
		fmt.Fprintf(b, ": %s", strings.Join(parts, "; "))
	} else if r.parent != nil {
		b.WriteString(": no conditions")
	}
	b.WriteByte('\n')
	stoppedBy := ""
	for _, c := range r.Routes {
		if stoppedBy != "" {
			fmt.Fprintf(b, "%s  · route '%s': not tried, '%s' matched first\n", indent, c.ID, stoppedBy)
			continue
		}
		if explainRoute(b, c, s, depth+1) && !c.Continue {
			stoppedBy = c.ID
		}
	}
	return true
}
