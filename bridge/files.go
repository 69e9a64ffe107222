package bridge

import (
	"errors"
	"fmt"
	"io"
)

// CodeFileTooLarge is the DeliveryError code for a file larger than the
// customer channel accepts, or larger than it was said to be: returned by
// the bridge before a download and by AgentWorkspace.DownloadFile and
// CustomerChannel.DownloadMedia while reading through a limit (ReadLimited).
// It is shown as "fail.file_too_large", with the channel's limits.
const CodeFileTooLarge = "file_too_large"

// DefaultMaxFileBytes bounds a download when the caller gave no limit
// (AgentFile.MaxBytes zero): WhatsApp's largest attachment, a 100 MB
// document.
const DefaultMaxFileBytes = 100 << 20

// MediaLimiter is an optional CustomerChannel capability: the largest file
// the channel accepts for a MIME type, and the channel's name for that kind
// of file ("image", "document"…). The bridge checks an agent's file against
// it before downloading anything, and passes the limit to DownloadFile.
type MediaLimiter interface {
	MediaLimit(mimeType string) (kind string, maxBytes int64)
}

// errTooLarge marks a read that went past its limit (see ReadLimited).
var errTooLarge = errors.New("file is larger than allowed")

// ReadLimited reads r to the end, refusing more than max bytes (max <= 0
// means DefaultMaxFileBytes): a server that sends more than it declared
// is stopped at the limit instead of filling memory. Exceeding it is a
// permanent *DeliveryError with Reason ReasonMediaRejected and Code
// CodeFileTooLarge; other read errors are returned as they are.
func ReadLimited(r io.Reader, max int64, what string) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxFileBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, TooLarge(what, max)
	}
	return data, nil
}

// TooLarge is the error for what being over max bytes.
func TooLarge(what string, max int64) *DeliveryError {
	return &DeliveryError{Permanent: true, Reason: ReasonMediaRejected, Code: CodeFileTooLarge,
		Err: fmt.Errorf("%s: %w (limit %d bytes)", what, errTooLarge, max)}
}

// LimitedWriter collects what is written to it up to Max bytes and fails
// with TooLarge past that; for clients that download into an io.Writer.
type LimitedWriter struct {
	Max  int64 // <= 0 means DefaultMaxFileBytes
	What string
	data []byte
}

func (w *LimitedWriter) Write(p []byte) (int, error) {
	max := w.Max
	if max <= 0 {
		max = DefaultMaxFileBytes
	}
	if int64(len(w.data))+int64(len(p)) > max {
		return 0, TooLarge(w.What, max)
	}
	w.data = append(w.data, p...)
	return len(p), nil
}

// Bytes returns what was written.
func (w *LimitedWriter) Bytes() []byte { return w.data }

// checkFileSize refuses, before any download, a file whose declared size
// is over what the customer channel accepts for its type, and returns the
// file with MaxBytes set so the download stops at that limit even when the
// declared size was wrong.
func (b *Bridge) checkFileSize(f AgentFile) (AgentFile, error) {
	lim, ok := b.customer.(MediaLimiter)
	if !ok {
		return f, nil
	}
	kind, max := lim.MediaLimit(f.MimeType)
	if max <= 0 {
		return f, nil
	}
	if f.Size > max {
		return f, TooLarge(fmt.Sprintf("agent %s file %s of %d bytes", kind, f.ID, f.Size), max)
	}
	f.MaxBytes = max
	return f, nil
}
