package email

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlToText turns an HTML-only mail into plain text: block elements and
// <br> end lines, scripts, styles and quoted earlier mails (<blockquote>,
// Gmail's div.gmail_quote) are left out, runs of spaces collapse.
func htmlToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip := 0 // depth inside an element whose content is dropped
	var skipTag string
	newline := func() {
		s := b.String()
		if s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyLines(b.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if skip > 0 {
				if tag == skipTag && tt == html.StartTagToken {
					skip++
				}
				continue
			}
			drop := tag == "script" || tag == "style" || tag == "head" || tag == "title" || tag == "blockquote"
			if tag == "div" && hasAttr {
				for {
					k, v, more := z.TagAttr()
					if string(k) == "class" && strings.Contains(string(v), "gmail_quote") {
						drop = true
					}
					if !more {
						break
					}
				}
			}
			if drop && tt == html.StartTagToken {
				skip, skipTag = 1, tag
				continue
			}
			switch tag {
			case "br":
				b.WriteByte('\n')
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol":
				newline()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skip > 0 {
				if tag == skipTag {
					skip--
				}
				continue
			}
			switch tag {
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table":
				newline()
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := strings.Join(strings.Fields(string(z.Text())), " ")
			if t == "" {
				continue
			}
			s := b.String()
			if s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") {
				raw := string(z.Raw())
				if raw != "" && (raw[0] == ' ' || raw[0] == '\n' || raw[0] == '\t') {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t)
			if raw := string(z.Raw()); strings.HasSuffix(raw, " ") || strings.HasSuffix(raw, "\n") {
				b.WriteByte(' ')
			}
		}
	}
}

// tidyLines trims each line and keeps at most one empty line in a row.
func tidyLines(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
