package bridge

import (
	"regexp"
	"strings"
	"testing"
)

// TestOfflineAssistTextsHaveEveryLanguageAndTheSamePlaceholders, so no
// offline summary prints %!s(MISSING).
func TestOfflineAssistTextsHaveEveryLanguageAndTheSamePlaceholders(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[sdv]`)
	for key, tr := range offlineAssistTexts {
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
