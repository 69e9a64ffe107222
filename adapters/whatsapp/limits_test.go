package whatsapp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/bridge"
)

func TestMediaLimitFollowsWhatsAppsPerTypeLimits(t *testing.T) {
	t.Parallel()
	c := whatsapp.NewClient("token")
	for _, tc := range []struct {
		mime string
		kind string
		max  int64
	}{
		{"image/jpeg", "image", 5 << 20},
		{"image/png", "image", 5 << 20},
		{"audio/ogg; codecs=opus", "audio", 16 << 20},
		{"audio/mpeg", "audio", 16 << 20},
		{"video/mp4", "video", 16 << 20},
		{"application/pdf", "document", 100 << 20},
		{"image/gif", "document", 100 << 20}, // sent as a document
		{"", "document", 100 << 20},
		{"image/webp", "sticker", 500 << 10},
	} {
		kind, max := c.MediaLimit(tc.mime)
		require.Equal(t, tc.kind, kind, tc.mime)
		require.Equal(t, tc.max, max, tc.mime)
	}
}

func TestDownloadMediaRefusesAnOversizedFileBeforeDownloadingIt(t *testing.T) {
	t.Parallel()
	var downloads atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("GET /v23.0/{id}", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"url": srv.URL + "/dl", "mime_type": "video/mp4",
			"file_size": 200 << 20, "id": r.PathValue("id")})
	})
	mux.HandleFunc("GET /dl", func(w http.ResponseWriter, _ *http.Request) { downloads.Add(1) })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := whatsapp.NewClient("token")
	c.BaseURL = srv.URL

	_, err := c.DownloadMedia(context.Background(), "123")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.CodeFileTooLarge, de.Code)
	require.Zero(t, downloads.Load(), "not downloaded")
}
