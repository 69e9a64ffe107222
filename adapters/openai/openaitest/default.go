package openaitest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Default is the model's answer when a test scripts none. It reads the
// prompt conventions of bridge/assist's LLM assistant and answers like a
// careful model would, deterministically:
//
//   - a JSON request with a "Labels:" line (classification) gets the label
//     named in the message, confidence 0.9 (or the first label, 0.3);
//   - a JSON request with numbered passages ("[1] source › heading" then
//     its text) gets passage 1's first sentences as the answer, citing
//     source 1, confidence 0.9;
//   - any other JSON request gets an empty answer, confidence 0;
//   - a plain request (a summary) gets "Summary: " and the conversation's
//     first customer line.
func Default(req ChatRequest) string {
	user := req.User()
	if !req.JSON {
		for _, line := range strings.Split(user, "\n") {
			if rest, ok := strings.CutPrefix(line, "Customer: "); ok {
				return "Summary: " + rest
			}
		}
		return "Summary: nothing to summarise."
	}
	if labels, ok := lineAfter(user, "Labels:"); ok {
		msg, _ := lineAfter(user, "Message:")
		names := strings.Split(labels, ",")
		for _, name := range names {
			name = strings.TrimSpace(name)
			if name != "" && strings.Contains(strings.ToLower(msg), strings.ToLower(name)) {
				return mustJSON(map[string]any{"label": name, "confidence": 0.9})
			}
		}
		return mustJSON(map[string]any{"label": strings.TrimSpace(names[0]), "confidence": 0.3})
	}
	if text := Passage(user, 1); text != "" {
		return mustJSON(map[string]any{"answer": FirstSentences(text, 300), "confidence": 0.9, "sources": []int{1}})
	}
	return mustJSON(map[string]any{"answer": "", "confidence": 0, "sources": []int{}})
}

// Passage is the text of passage n in a prompt ("[n] citation" on its own
// line, then the text up to a blank line), "" when there is none.
func Passage(prompt string, n int) string {
	head := "[" + strconv.Itoa(n) + "] "
	lines := strings.Split(prompt, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, head) {
			continue
		}
		var text []string
		for _, l := range lines[i+1:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			text = append(text, l)
		}
		return strings.Join(text, " ")
	}
	return ""
}

// FirstSentences is text's leading sentences, at most limit bytes (at
// least one sentence, cut at a word if it alone is longer).
func FirstSentences(text string, limit int) string {
	text = strings.TrimSpace(text)
	out := ""
	for text != "" {
		end := strings.IndexAny(text, ".!?")
		if end < 0 {
			end = len(text) - 1
		}
		sentence := text[:end+1]
		if out != "" && len(out)+1+len(sentence) > limit {
			break
		}
		if out == "" && len(sentence) > limit {
			cut := strings.LastIndex(sentence[:limit], " ")
			if cut <= 0 {
				cut = limit
			}
			return sentence[:cut]
		}
		if out != "" {
			out += " "
		}
		out += strings.TrimSpace(sentence)
		text = strings.TrimSpace(text[end+1:])
	}
	return out
}

func lineAfter(text, prefix string) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}" // maps of strings and numbers always marshal
	}
	return string(b)
}
