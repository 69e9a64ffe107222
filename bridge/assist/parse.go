package assist

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// object is a model's JSON answer, read leniently: models wrap JSON in
// code fences or prose, write numbers as strings ("0.8") and lists as
// numbers or strings ("sources": [1, "2"]).
type object map[string]any

// errNoObject is parseObject's error when the text holds no JSON object.
var errNoObject = errors.New("no JSON object in the answer")

// parseObject finds the JSON object in a model's answer: the whole text,
// or from its first "{" to its last "}" (a fenced or explained answer).
func parseObject(text string) (object, error) {
	var out object
	text = strings.TrimSpace(text)
	if json.Unmarshal([]byte(text), &out) == nil && out != nil {
		return out, nil
	}
	start, end := strings.Index(text, "{"), strings.LastIndex(text, "}")
	if start < 0 || end <= start {
		return nil, errNoObject
	}
	if err := json.Unmarshal([]byte(text[start:end+1]), &out); err != nil || out == nil {
		return nil, errNoObject
	}
	return out, nil
}

// str is the first of keys that holds a string.
func (o object) str(keys ...string) string {
	for _, k := range keys {
		if s, ok := o[k].(string); ok {
			return s
		}
	}
	return ""
}

// num is key as a number (a number, or a string holding one; "80%" is 0.8).
func (o object) num(key string) float64 {
	switch v := o[key].(type) {
	case float64:
		return v
	case string:
		v = strings.TrimSpace(v)
		pct := strings.HasSuffix(v, "%")
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err != nil {
			return 0
		}
		if pct {
			f /= 100
		}
		return f
	}
	return 0
}

// boolean is key as a boolean (true, or the string "true").
func (o object) boolean(key string) bool {
	switch v := o[key].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}

// ints is key as a list of whole numbers; a single number counts as a
// list of one, and "[2]" or "2" as strings are read too.
func (o object) ints(key string) []int {
	var items []any
	switch v := o[key].(type) {
	case []any:
		items = v
	case nil:
		return nil
	default:
		items = []any{v}
	}
	var out []int
	for _, it := range items {
		switch v := it.(type) {
		case float64:
			out = append(out, int(v))
		case string:
			if n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(v), "[]")); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}
