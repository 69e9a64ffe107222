package bridge

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/switchboard/switchboard/bridge/media"
	"github.com/switchboard/switchboard/bridge/media/mediatest"
)

// TestMediaRefusalIsExplainedInTheTeamsLanguage: a refusal's code turns
// back into the thread's text with the size, the limit and the
// alternative, in each catalogue language.
func TestMediaRefusalIsExplainedInTheTeamsLanguage(t *testing.T) {
	t.Parallel()
	video := MediaRefused(media.Refusal{Kind: media.KindVideo, Cause: media.TooLargeForWhatsApp, Size: 20 << 20, Limit: 16 << 20})
	config := MediaRefused(media.Refusal{Kind: media.KindDocument, Cause: media.TooLargeForConfig, Size: 3 << 20, Limit: 1 << 20})
	for _, tc := range []struct {
		lang, code string
		want       []string
	}{
		{"en", video.Code, []string{"video (20 MB)", "(16 MB)", "Share a link instead"}},
		{"es", video.Code, []string{"vídeo (20 MB)", "(16 MB)", "Comparte un enlace"}},
		{"pt", video.Code, []string{"vídeo (20 MB)", "(16 MB)", "Compartilhe um link"}},
		{"en", config.Code, []string{"file (3 MB)", "1 MB switchboard carries"}},
		{"es", config.Code, []string{"archivo (3 MB)", "1 MB que switchboard"}},
	} {
		why := failureWhy(tc.lang, ChannelWhatsApp, ReasonMediaRejected, tc.code, 1)
		for _, w := range tc.want {
			if !strings.Contains(why, w) {
				t.Errorf("%s %s: %q lacks %q", tc.lang, tc.code, why, w)
			}
		}
	}
	if !video.Permanent || video.Reason != ReasonMediaRejected {
		t.Fatalf("a refusal is a permanent media rejection: %+v", video)
	}
}

func TestCustomerFileTooLargeNamesSizeAndLimit(t *testing.T) {
	t.Parallel()
	got := mediaMissingText("en", "🎥 Video", TooLargeSized("media 1", 2<<20, 1<<20))
	for _, w := range []string{"🎥 Video", "(2 MB)", "the 1 MB switchboard carries"} {
		if !strings.Contains(got, w) {
			t.Errorf("%q lacks %q", got, w)
		}
	}
	got = mediaMissingText("pt", "🎥 Vídeo", TooLarge("media 1", 1<<20))
	if !strings.Contains(got, "(mais de 1 MB)") {
		t.Errorf("size unknown: %q", got)
	}
	got = mediaMissingText("en", "📄 Document", errors.New("boom"))
	if !strings.Contains(got, "could not be fetched") {
		t.Errorf("other errors keep their text: %q", got)
	}
}

func TestCustomerFilesAreNamedByTheirContent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in       File
		name, mt string
	}{
		{File{Name: "123.ogg", MimeType: "audio/ogg; codecs=opus", Data: mediatest.OggOpus(2)}, "123.ogg", "audio/ogg"},
		{File{Name: "123", MimeType: "application/octet-stream", Data: mediatest.OggOpus(2)}, "123.ogg", "audio/ogg"},
		{File{Name: "note.bin", MimeType: "audio/mp4", Data: mediatest.M4A(8)}, "note.m4a", "audio/mp4"},
		{File{Name: "report.docx", MimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: []byte("PK\x03\x04")},
			"report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	} {
		got := namedByContent(tc.in)
		if got.Name != tc.name || got.MimeType != tc.mt {
			t.Errorf("%s: got %s %s, want %s %s", tc.in.Name, got.Name, got.MimeType, tc.name, tc.mt)
		}
	}
}

// TestMediaTextsHaveEveryLanguageAndTheSamePlaceholders, so no
// translation prints %!s(MISSING).
func TestMediaTextsHaveEveryLanguageAndTheSamePlaceholders(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[sdv]`)
	for key, tr := range mediaTexts {
		want := verbs.FindAllString(tr["en"], -1)
		for _, lang := range []string{"es", "pt"} {
			if tr[lang] == "" {
				t.Errorf("%s has no %s text", key, lang)
			}
			if got := verbs.FindAllString(tr[lang], -1); strings.Join(got, "") != strings.Join(want, "") {
				t.Errorf("%s in %s: placeholders %v, want %v", key, lang, got, want)
			}
		}
	}
}
