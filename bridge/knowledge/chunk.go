package knowledge

import (
	"strings"
	"unicode/utf8"
)

// HeadingSeparator joins a chunk's heading path: "Refunds › Timing".
const HeadingSeparator = " › "

// Default chunk sizes (assistant.knowledge.chunk_chars, overlap_chars).
const (
	DefaultChunkChars   = 1200
	DefaultOverlapChars = 200
)

// Split cuts doc into chunks of at most size characters (bytes of UTF-8,
// near enough for sizing) that share overlap characters with their
// neighbour, so a sentence cut at a border is whole in one of them.
// Chunks never cross a heading: each one carries the path of headings
// above it ("Refunds › Timing"), which both cites it and is searched with
// it. Cuts fall on a paragraph, a sentence or a word, in that order of
// preference.
func Split(doc Document, size, overlap int) []Chunk {
	if size <= 0 {
		size = DefaultChunkChars
	}
	if overlap < 0 || overlap >= size/2 {
		overlap = min(DefaultOverlapChars, size/4)
	}
	var chunks []Chunk
	for _, s := range sections(doc.Text) {
		for _, text := range cut(s.body, size, overlap) {
			chunks = append(chunks, Chunk{Team: doc.Team, Source: doc.Source, Heading: s.heading, Text: text, Ordinal: len(chunks)})
		}
	}
	return chunks
}

type section struct{ heading, body string }

// sections splits Markdown-style text at its headings ("# …" to
// "###### …"), keeping for each body the path of headings above it.
func sections(text string) []section {
	var (
		out   []section
		path  []string // path[i] is the heading of level i+1
		body  strings.Builder
		fence bool
	)
	flush := func() {
		if b := strings.TrimSpace(body.String()); b != "" {
			out = append(out, section{heading: strings.Join(nonEmpty(path), HeadingSeparator), body: b})
		}
		body.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			fence = !fence // a # inside a code block is not a heading
		}
		if level, title := heading(trimmed); level > 0 && !fence {
			flush()
			if len(path) < level {
				path = append(path, make([]string, level-len(path))...)
			}
			path = append(path[:level-1], title)
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	return out
}

// heading reports a Markdown ATX heading's level and title.
func heading(line string) (int, string) {
	level := 0
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || level == len(line) || line[level] != ' ' {
		return 0, ""
	}
	title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[level:]), "#"))
	if title == "" {
		return 0, ""
	}
	return level, title
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// cut splits text into pieces of at most size bytes overlapping by about
// overlap bytes, cutting at the best boundary in the second half of each
// piece.
func cut(text string, size, overlap int) []string {
	var out []string
	start := 0
	for {
		if len(text)-start <= size {
			if piece := strings.TrimSpace(text[start:]); piece != "" {
				out = append(out, piece)
			}
			return out
		}
		end := boundary(text, start+size/2, start+size)
		out = append(out, strings.TrimSpace(text[start:end]))
		next := end - overlap
		// Start the overlap on a word.
		if i := strings.IndexAny(text[next:end], " \n"); i >= 0 {
			next += i + 1
		}
		if next <= start {
			next = end
		}
		start = next
	}
}

// boundary is the best place to cut text in [lo, hi]: after the last
// paragraph break, else the last sentence end, else the last space, else
// hi moved back to a rune start.
func boundary(text string, lo, hi int) int {
	window := text[lo:hi]
	if i := strings.LastIndex(window, "\n\n"); i >= 0 {
		return lo + i + 2
	}
	best := -1
	for _, end := range []string{". ", "? ", "! ", ".\n", "\n"} {
		if i := strings.LastIndex(window, end); i >= 0 && lo+i+len(end) > best {
			best = lo + i + len(end)
		}
	}
	if best >= 0 {
		return best
	}
	if i := strings.LastIndex(window, " "); i >= 0 {
		return lo + i + 1
	}
	for hi > lo && !utf8.RuneStart(text[hi]) {
		hi--
	}
	return hi
}
