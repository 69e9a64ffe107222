package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/charmap"
)

// Formats are the file extensions a knowledge folder's files may have.
var Formats = []string{".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}

// IsDocument reports whether name has one of Formats' extensions.
func IsDocument(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, f := range Formats {
		if ext == f {
			return true
		}
	}
	return false
}

// Parse turns a file's bytes into a Document by its extension: Markdown
// and text as they are, HTML as text with its h1–h6 made Markdown
// headings, PDF as the text of its pages, each page a section. Source and Team are the caller's.
func Parse(team, source string, data []byte) (Document, error) {
	if !strings.EqualFold(path.Ext(source), ".pdf") {
		data = cleanText(data)
	}
	var text, title string
	switch strings.ToLower(path.Ext(source)) {
	case ".md", ".markdown":
		text = markdownText(string(data))
	case ".txt":
		text = string(data)
	case ".html", ".htm":
		var err error
		if text, title, err = htmlText(data); err != nil {
			return Document{}, fmt.Errorf("read %s: %w", source, err)
		}
	case ".pdf":
		var err error
		if text, err = pdfText(data); err != nil {
			return Document{}, fmt.Errorf("read %s: %w", source, err)
		}
		// Pages are its sections; its title is its name.
		title = strings.TrimSuffix(path.Base(source), path.Ext(source))
	default:
		return Document{}, fmt.Errorf("%s: not a knowledge document (use %s)", source, strings.Join(Formats, ", "))
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if title == "" {
		for _, s := range sections(text) {
			title = strings.SplitN(s.heading, HeadingSeparator, 2)[0]
			break
		}
	}
	if title == "" {
		title = strings.TrimSuffix(path.Base(source), path.Ext(source))
	}
	sum := sha256.Sum256([]byte(text))
	return Document{Team: team, Source: source, Title: title, Text: text, Hash: hex.EncodeToString(sum[:])}, nil
}

// cleanText makes data valid UTF-8 without NUL bytes, which PostgreSQL
// refuses in text: a file that is not UTF-8 is read as Windows-1252 (the
// usual encoding of old text files in English, Spanish and Portuguese),
// which maps every byte to a character.
func cleanText(data []byte) []byte {
	if !utf8.Valid(data) {
		if decoded, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			data = decoded
		} else {
			data = []byte(strings.ToValidUTF8(string(data), "\uFFFD"))
		}
	}
	return bytes.ReplaceAll(data, []byte{0}, nil)
}

// markdownLink is [text](url) or ![alt](url).
var markdownLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// markdownText keeps headings and text and drops link targets, which
// would only add noise to the index ("https", "www").
func markdownText(s string) string {
	return markdownLink.ReplaceAllString(s, "$1")
}

// htmlText extracts an HTML page's visible text; headings become
// Markdown headings so chunks know where they are. Scripts, styles and
// navigation are skipped.
func htmlText(data []byte) (text, title string, err error) {
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return "", "", err
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(strings.Join(strings.Fields(n.Data), " "))
			if strings.HasSuffix(n.Data, " ") || strings.HasSuffix(n.Data, "\n") {
				b.WriteByte(' ')
			}
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Nav, atom.Noscript, atom.Template, atom.Svg:
				return
			case atom.Title:
				if n.FirstChild != nil {
					title = strings.TrimSpace(n.FirstChild.Data)
				}
				return
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				level := int(n.Data[1] - '0')
				b.WriteString("\n\n" + strings.Repeat("#", level) + " ")
				var inner strings.Builder
				collectText(n, &inner)
				b.WriteString(strings.Join(strings.Fields(inner.String()), " "))
				b.WriteString("\n\n")
				return
			case atom.Br:
				b.WriteByte('\n')
			case atom.P, atom.Div, atom.Section, atom.Article, atom.Ul, atom.Ol, atom.Table, atom.Tr, atom.Blockquote, atom.Pre:
				b.WriteString("\n\n")
			case atom.Li:
				b.WriteString("\n- ")
			case atom.Td, atom.Th:
				b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	text = regexp.MustCompile(`\n{3,}`).ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(text) + "\n", title, nil
}

func collectText(n *html.Node, b *strings.Builder) {
	if n.Type == html.TextNode {
		b.WriteString(n.Data + " ")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, b)
	}
}

// ReadFolder reads every document under root (or root itself when it is
// a file) for team; a document's Source is its path relative to root,
// with forward slashes. Sub-folders listed in skip (other sources, e.g. a
// team's folder inside the global one) are left to their own source.
// Files it cannot read are reported in errs and skipped, so one bad file
// does not hide the others.
func ReadFolder(team, root string, skip ...string) (docs []Document, errs []error, err error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		doc, err := readFile(team, filepath.Base(root), root)
		if err != nil {
			return nil, []error{err}, nil
		}
		return []Document{doc}, nil, nil
	}
	walkErr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || slices.Contains(skip, filepath.Clean(p))) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !IsDocument(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		doc, err := readFile(team, filepath.ToSlash(rel), p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		docs = append(docs, doc)
		return nil
	})
	sort.Slice(docs, func(i, j int) bool { return docs[i].Source < docs[j].Source })
	return docs, errs, walkErr
}

func readFile(team, source, file string) (Document, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Document{}, err
	}
	return Parse(team, source, data)
}
