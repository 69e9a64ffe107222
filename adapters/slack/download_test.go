package slack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/bridge"
)

func TestDownloadStopsAtTheLimitWhenTheDeclaredSizeLies(t *testing.T) {
	t.Parallel()
	w, fake := newWorkspace(t, false)
	url := fake.AddFile("small.jpg", make([]byte, 4096))

	_, err := w.DownloadFile(context.Background(), bridge.AgentFile{ID: "F1", Name: "small.jpg", MimeType: "image/jpeg",
		URL: url, Size: 100, MaxBytes: 1000})
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent, "retrying cannot make it smaller")
	require.Equal(t, bridge.CodeFileTooLarge, de.Code)
	require.Equal(t, bridge.ReasonMediaRejected, de.Reason)

	f, err := w.DownloadFile(context.Background(), bridge.AgentFile{ID: "F1", URL: url, MaxBytes: 4096})
	require.NoError(t, err, "exactly the limit is fine")
	require.Len(t, f.Data, 4096)
}

func TestEverySlackClientHasATimeout(t *testing.T) {
	t.Parallel()
	fake := slacktest.New(t)
	for name, hc := range map[string]*http.Client{"none given": nil, "one without a timeout": {}} {
		w := NewWorkspace(Config{Token: slacktest.Token, APIURL: fake.URL(), HTTPClient: hc})
		require.Equal(t, DefaultTimeout, w.cfg.HTTPClient.Timeout, name)
	}
	w := NewWorkspace(Config{Token: slacktest.Token, APIURL: fake.URL(), HTTPClient: &http.Client{Timeout: time.Second}})
	require.Equal(t, time.Second, w.cfg.HTTPClient.Timeout, "a given timeout is kept")
}
