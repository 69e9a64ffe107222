package knowledge_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/knowledge"
	"github.com/switchboard/switchboard/bridge/knowledge/knowledgetest"
)

// Words that should meet after analysis do, across case, accents,
// plurals and the common inflections of English, Spanish and Portuguese;
// words that should stay apart do.
func TestAnalyze(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"refund", "Refunds", true},
		{"refund", "refunded", true},
		{"reembolso", "reembolsos", true},
		{"Envíos", "envio", true},
		{"devolución", "devoluciones", true},
		{"devolução", "devoluções", true},
		{"devolución", "devolução", true},
		{"options", "opciones", true},
		{"delivery", "deliveries", true},
		{"shipping", "ship", true},
		{"payment", "payments", true},
		{"pedido", "pedidos", true},
		{"horario", "Horários", true},
		{"price", "prices", true},
		{"box", "boxes", true},
		{"refund", "reembolso", false},
		{"card", "cart", false},
		{"envio", "enviar", false},
	} {
		a, b := knowledge.Analyze(tc.a), knowledge.Analyze(tc.b)
		require.Len(t, a, 1, tc.a)
		require.Len(t, b, 1, tc.b)
		if tc.same {
			require.Equal(t, a, b, "%s and %s meet", tc.a, tc.b)
		} else {
			require.NotEqual(t, a, b, "%s and %s stay apart", tc.a, tc.b)
		}
	}
}

// Stop words of the three languages are dropped; numbers stay.
func TestAnalyzeDropsStopWords(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"refund", "tak", "5", "day"}, knowledge.Analyze("The refund takes 5 days"))
	require.Equal(t, []string{"cuant", "tard", "envi"}, knowledge.Analyze("¿Cuánto tarda el envío?"))
	require.Equal(t, []string{"quant", "cust", "fret"}, knowledge.Analyze("Quanto custa o frete?")[:3])
	require.Empty(t, knowledge.Analyze("what is the, de la, do que"))
}

func TestCoverage(t *testing.T) {
	t.Parallel()
	require.Equal(t, 1.0, knowledge.Coverage("refunds timing", "Refund timing: 5 days"))
	require.Equal(t, 0.5, knowledge.Coverage("refund canarias", "Refund timing"))
	require.Zero(t, knowledge.Coverage("the of", "anything"), "a query of stop words covers nothing")
}

func cos(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

// The test embedding is deterministic, unit length, and nearer for texts
// that share words than for unrelated ones.
func TestEmbed(t *testing.T) {
	t.Parallel()
	a := knowledgetest.Embed("How long does a refund take?")
	require.Len(t, a, knowledgetest.Dimensions)
	require.Equal(t, a, knowledgetest.Embed("How long does a refund take?"))
	var norm float64
	for _, x := range a {
		norm += float64(x) * float64(x)
	}
	require.InDelta(t, 1, math.Sqrt(norm), 1e-5)
	near := cos(a, knowledgetest.Embed("Refund timing: refunds take 5 days"))
	far := cos(a, knowledgetest.Embed("Our shop in Madrid opens at ten"))
	require.Greater(t, near, far+0.2, "near %.3f, far %.3f", near, far)
	require.Greater(t, cos(knowledgetest.Embed("devolución"), knowledgetest.Embed("devolução")), 0.9,
		"the same stem in two languages")
	require.Equal(t, make([]float32, knowledgetest.Dimensions), knowledgetest.Embed("the of"), "no words, no direction")
}

func TestSplit(t *testing.T) {
	t.Parallel()
	text := "# Refunds\n\nIntro line.\n\n## Timing\n\n" + strings.Repeat("Refunds take five days. ", 40) +
		"\n### Cards\n\nCard refunds.\n\n```\n# not a heading\n```\n\n# Exchanges\n\nExchange within 30 days.\n"
	chunks := knowledge.Split(knowledge.Document{Team: "support", Source: "r.md", Text: text}, 300, 60)
	var headings []string
	for i, c := range chunks {
		require.Equal(t, i, c.Ordinal)
		require.Equal(t, "support", c.Team)
		require.Equal(t, "r.md", c.Source)
		require.LessOrEqual(t, len(c.Text), 300, "chunk %d", i)
		if len(headings) == 0 || headings[len(headings)-1] != c.Heading {
			headings = append(headings, c.Heading)
		}
	}
	require.Equal(t, []string{"Refunds", "Refunds › Timing", "Refunds › Timing › Cards", "Exchanges"}, headings)
	timing := 0
	for i, c := range chunks {
		if c.Heading != "Refunds › Timing" {
			continue
		}
		timing++
		require.True(t, strings.HasPrefix(c.Text, "Refunds take"), "chunk %d starts on a sentence: %q", i, c.Text[:20])
		if next := chunks[i+1]; next.Heading == c.Heading {
			tail := c.Text[len(c.Text)-40:]
			require.Contains(t, next.Text, strings.TrimSpace(tail[strings.Index(tail, " "):]), "neighbours overlap")
		}
	}
	require.Greater(t, timing, 3, "a long section is cut into several chunks")
	require.Contains(t, chunks[len(chunks)-2].Text, "# not a heading", "a # in a code block is text")
}

// HTML keeps its text and headings and drops scripts, styles and
// navigation; other files are refused.
func TestParse(t *testing.T) {
	t.Parallel()
	doc, err := knowledge.Parse("", "help/hours.html", []byte(`<!doctype html><html><head><title>Hours</title>
<style>p{color:red}</style></head><body><nav>Home | Shop</nav><h1>Opening <b>hours</b></h1>
<p>We open at <em>9:00</em>.</p><ul><li>Mon</li><li>Tue</li></ul><script>track()</script><h2>Holidays</h2><p>Closed on 25 December.</p></body></html>`))
	require.NoError(t, err)
	require.Equal(t, "Hours", doc.Title)
	require.Equal(t, "# Opening hours\n\nWe open at 9:00.\n\n- Mon\n- Tue\n\n## Holidays\n\nClosed on 25 December.\n", doc.Text)
	require.Len(t, doc.Hash, 64)

	md, err := knowledge.Parse("", "a.md", []byte("# Returns\n\nSee [the form](https://example.com/form).\n"))
	require.NoError(t, err)
	require.Equal(t, "Returns", md.Title)
	require.Equal(t, "# Returns\n\nSee the form.\n", md.Text)

	txt, err := knowledge.Parse("", "notes/faq.txt", []byte("plain"))
	require.NoError(t, err)
	require.Equal(t, "faq", txt.Title)

	_, err = knowledge.Parse("", "data.csv", []byte("a,b"))
	require.ErrorContains(t, err, "not a knowledge document")
}

// A file that is not UTF-8 is read as Windows-1252; NUL bytes go (the
// database refuses both).
func TestParseLegacyText(t *testing.T) {
	t.Parallel()
	doc, err := knowledge.Parse("", "old.txt", []byte("Devoluci\xf3n en 5 d\xedas\x00"))
	require.NoError(t, err)
	require.Equal(t, "Devolución en 5 días", doc.Text)
}

// Chunks are valid UTF-8 within the size, whatever the text.
func FuzzSplit(f *testing.F) {
	f.Add("# A\n\nSome text. More text.\n## B\nÉé ção", 40, 10)
	f.Add(strings.Repeat("ção", 200), 30, 10)
	f.Fuzz(func(t *testing.T, text string, size, overlap int) {
		if !utf8.ValidString(text) || size < 8 || size > 5000 {
			return
		}
		for _, c := range knowledge.Split(knowledge.Document{Text: text}, size, overlap) {
			if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Heading) {
				t.Fatalf("invalid UTF-8 in %q", c.Text)
			}
			if len(c.Text) > size {
				t.Fatalf("chunk of %d bytes over %d", len(c.Text), size)
			}
		}
	})
}

// A PDF's pages become sections headed with their number, so passages
// are cited with their page; a file that is not a PDF is an error.
func TestParsePDF(t *testing.T) {
	t.Parallel()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 12)
	p.AddPage()
	p.Cell(40, 10, "Refunds reach your card within 5 working days.")
	p.AddPage()
	p.Cell(40, 10, "Exchanges are free within 30 days.")
	var buf bytes.Buffer
	require.NoError(t, p.Output(&buf))

	doc, err := knowledge.Parse("", "docs/manual.pdf", buf.Bytes())
	require.NoError(t, err)
	require.Equal(t, "manual", doc.Title)
	require.Equal(t, "# p. 1\n\nRefunds reach your card within 5 working days.\n\n# p. 2\n\nExchanges are free within 30 days.\n\n", doc.Text)
	chunks := knowledge.Split(doc, 300, 50)
	require.Len(t, chunks, 2)
	require.Equal(t, "docs/manual.pdf › p. 2", knowledge.Passage{Source: chunks[1].Source, Heading: chunks[1].Heading}.Citation())

	_, err = knowledge.Parse("", "broken.pdf", []byte("not a pdf"))
	require.ErrorContains(t, err, "read broken.pdf: open PDF")
}
