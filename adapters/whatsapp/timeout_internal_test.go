package whatsapp

import (
	"net/http"
	"testing"
	"time"
)

func TestEveryGraphClientHasATimeout(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]*Client{
		"built with NewClient":        NewClient("t"),
		"a struct literal":            {},
		"a given client without one":  {HTTPClient: &http.Client{}},
		"a given client with its own": {HTTPClient: &http.Client{Timeout: time.Second}},
	} {
		if got := c.httpClient().Timeout; got <= 0 {
			t.Errorf("%s: no timeout", name)
		}
	}
	if got := (&Client{HTTPClient: &http.Client{Timeout: time.Second}}).httpClient().Timeout; got != time.Second {
		t.Errorf("a given timeout is kept, got %s", got)
	}
}
