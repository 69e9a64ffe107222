package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrPDF is returned by Parse for a .pdf file: no well-kept pure-Go PDF
// text extractor is available to this build (the module proxy serves
// none; pdfcpu extracts content streams, not text), so PDFs are refused
// with a message that says how to add them.
var ErrPDF = errors.New("PDF files are not read yet: save the document as .md, .txt or .html in the same folder")

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
// headings. Source and Team are the caller's.
func Parse(team, source string, data []byte) (Document, error) {
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
		return Document{}, fmt.Errorf("%s: %w", source, ErrPDF)
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
	text = regexp.MustCompile(`\n{3,}`).ReplaceAllString(b.String(), "\n\n")
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
