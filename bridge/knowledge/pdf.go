package knowledge

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfEngine is PDFium (the PDF library of Chromium) compiled to
// WebAssembly and run by wazero, through klippa-app/go-pdfium: pure Go,
// no cgo, the same text a browser extracts. Compiling the module takes
// seconds, so it happens once, at the first PDF, and the compiled code is
// cached on disk (the user's cache folder) for the next start.
var pdfEngine struct {
	once     sync.Once
	err      error
	pool     pdfium.Pool
	mu       sync.Mutex // one document at a time: knowledge folders are small
	instance pdfium.Pdfium
}

func startPDFium() {
	// The features go-pdfium's own default asks for (PDFium uses
	// WebAssembly exceptions), plus the compilation cache.
	rc := wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling)
	if dir, err := os.UserCacheDir(); err == nil {
		if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "switchboard", "pdfium")); err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1, RuntimeConfig: rc})
	if err != nil {
		pdfEngine.err = fmt.Errorf("start the PDF reader: %w", err)
		return
	}
	instance, err := pool.GetInstance(time.Minute)
	if err != nil {
		pdfEngine.err = fmt.Errorf("start the PDF reader: %w", err)
		return
	}
	pdfEngine.pool, pdfEngine.instance = pool, instance
}

// pdfText is a PDF's text, one section per page headed "p. N" so a
// passage is cited with its page ("manual.pdf › p. 3").
func pdfText(data []byte) (string, error) {
	pdfEngine.once.Do(startPDFium)
	if pdfEngine.err != nil {
		return "", pdfEngine.err
	}
	pdfEngine.mu.Lock()
	defer pdfEngine.mu.Unlock()
	in := pdfEngine.instance
	doc, err := in.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return "", fmt.Errorf("open PDF: %w", err)
	}
	defer in.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	pages, err := in.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return "", fmt.Errorf("count PDF pages: %w", err)
	}
	var b strings.Builder
	for i := range pages.PageCount {
		page, err := in.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return "", fmt.Errorf("read PDF page %d: %w", i+1, err)
		}
		text := strings.TrimSpace(strings.ReplaceAll(page.Text, "\r\n", "\n"))
		if text == "" {
			continue // a scanned page: an image without text
		}
		fmt.Fprintf(&b, "# p. %d\n\n%s\n\n", i+1, text)
	}
	return b.String(), nil
}
