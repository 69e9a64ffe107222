package bridge

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadLimitedStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		size    int
		max     int64
		tooBig  bool
		wantLen int
	}{
		{"under the limit", 10, 11, false, 10},
		{"exactly the limit", 11, 11, false, 11},
		{"one byte over", 12, 11, true, 0},
		{"far over", 1 << 20, 11, true, 0},
		{"no limit given means the default", 100, 0, false, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &countingReader{r: bytes.NewReader(make([]byte, tc.size))}
			data, err := ReadLimited(r, tc.max, "file F1")
			if tc.tooBig {
				de, ok := AsDeliveryError(err)
				if !ok || !de.Permanent || de.Code != CodeFileTooLarge || de.Reason != ReasonMediaRejected {
					t.Fatalf("want a permanent %s error, got %v", CodeFileTooLarge, err)
				}
				if r.n > tc.max+1 {
					t.Fatalf("read %d bytes; must stop at limit+1 = %d", r.n, tc.max+1)
				}
				return
			}
			if err != nil || len(data) != tc.wantLen {
				t.Fatalf("got %d bytes, %v; want %d", len(data), err, tc.wantLen)
			}
		})
	}
}

func TestReadLimitedPassesReadErrorsThrough(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	_, err := ReadLimited(io.MultiReader(strings.NewReader("abc"), errReader{boom}), 10, "f")
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the read error", err)
	}
	if _, ok := AsDeliveryError(err); ok {
		t.Fatal("a read error is not a size refusal")
	}
}

func TestLimitedWriterRefusesPastMax(t *testing.T) {
	t.Parallel()
	w := &LimitedWriter{Max: 5, What: "f"}
	if _, err := w.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("de")); err != nil {
		t.Fatal(err)
	}
	_, err := w.Write([]byte("f"))
	if de, ok := AsDeliveryError(err); !ok || de.Code != CodeFileTooLarge {
		t.Fatalf("got %v", err)
	}
	if string(w.Bytes()) != "abcde" {
		t.Fatalf("kept %q", w.Bytes())
	}
}

func TestFileTooLargeIsExplainedWithTheLimits(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es", "pt"} {
		got := failureWhy(lang, ChannelWhatsApp, ReasonMediaRejected, CodeFileTooLarge, 1)
		if !strings.Contains(got, "5 MB") || !strings.Contains(got, "100 MB") {
			t.Fatalf("%s: %q does not name the limits", lang, got)
		}
		if got == failureWhy(lang, ChannelWhatsApp, ReasonMediaRejected, "131053", 1) {
			t.Fatalf("%s: a size refusal reads like any media rejection", lang)
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
