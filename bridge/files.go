package bridge

import (
	"context"
	"fmt"
	"io"
)

// CodeFileTooLarge is the DeliveryError code for a file larger than it
// may be, or than it was said to be: returned by AgentWorkspace.DownloadFile
// and CustomerChannel.DownloadMedia while reading through a limit
// (ReadLimited). It is shown as "fail.file_too_large", with the channel's
// limits. A file refused before a download (declared too large) or after
// sniffing has a media refusal code instead (MediaRefused).
const CodeFileTooLarge = "file_too_large"

// DefaultMaxFileBytes bounds a download when the caller gave no limit
// (AgentFile.MaxBytes zero): WhatsApp's largest attachment, a 100 MB
// document.
const DefaultMaxFileBytes = 100 << 20

// LimitedMediaDownloader is an optional CustomerChannel capability:
// DownloadMedia that refuses a file over maxBytes, before downloading a
// byte when the platform says the size first (WhatsApp's media URL lookup
// does). The bridge uses it to apply options.max_attachment_bytes to what
// customers send; the error is TooLargeSized's.
type LimitedMediaDownloader interface {
	DownloadMediaUpTo(ctx context.Context, mediaID string, maxBytes int64) (File, error)
}

// SizeError is a file over its limit; Size is 0 when only "more than
// Max" is known (a download stopped at the limit). Found with errors.As
// in a TooLarge or TooLargeSized error.
type SizeError struct {
	Size, Max int64
}

func (e *SizeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("file of %d bytes is larger than allowed (limit %d bytes)", e.Size, e.Max)
	}
	return fmt.Sprintf("file is larger than allowed (limit %d bytes)", e.Max)
}

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
	return TooLargeSized(what, 0, max)
}

// TooLargeSized is the error for what, of size bytes, being over max
// bytes (size 0: unknown).
func TooLargeSized(what string, size, max int64) *DeliveryError {
	return &DeliveryError{Permanent: true, Reason: ReasonMediaRejected, Code: CodeFileTooLarge,
		Err: fmt.Errorf("%s: %w", what, &SizeError{Size: size, Max: max})}
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
