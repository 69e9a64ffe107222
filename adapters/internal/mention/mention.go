// Package mention holds what the workspace adapters share when they turn
// an agent's text into what a customer reads: a mention nobody could name
// is dropped, without leaving the sentence with a doubled space.
package mention

import "strings"

// Unnamed marks where a mention nobody could name was dropped; DropUnnamed
// removes it with one space so the sentence still reads. NUL never occurs
// in text typed in Slack or Discord.
const Unnamed = "\x00U\x00"

// DropUnnamed removes the Unnamed marks and the space each leaves doubled.
func DropUnnamed(s string) string {
	if !strings.Contains(s, Unnamed) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, Unnamed)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, after := s[:i], s[i+len(Unnamed):]
		switch {
		case strings.HasSuffix(before, " ") && (after == "" || strings.ContainsAny(after[:1], " ,.;:!?)\n")):
			before = strings.TrimSuffix(before, " ")
		case (before == "" || strings.HasSuffix(before, "\n")) && strings.HasPrefix(after, " "):
			after = after[1:]
		}
		b.WriteString(before)
		s = after
	}
}
