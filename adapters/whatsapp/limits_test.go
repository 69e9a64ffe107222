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

// TestDownloadMediaUpToAppliesTheGivenLimit: options.max_attachment_bytes
// reaches the download; the error says the size Graph gave and the limit.
func TestDownloadMediaUpToAppliesTheGivenLimit(t *testing.T) {
	t.Parallel()
	var downloads atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("GET /v23.0/{id}", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"url": srv.URL + "/dl", "mime_type": "video/mp4",
			"file_size": 3 << 20, "id": r.PathValue("id")})
	})
	mux.HandleFunc("GET /dl", func(w http.ResponseWriter, _ *http.Request) { downloads.Add(1) })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := whatsapp.NewClient("token")
	c.BaseURL = srv.URL

	_, err := c.DownloadMediaUpTo(context.Background(), "123", 1<<20)
	var se *bridge.SizeError
	require.ErrorAs(t, err, &se)
	require.Equal(t, bridge.SizeError{Size: 3 << 20, Max: 1 << 20}, *se)
	require.Zero(t, downloads.Load(), "not downloaded")
}
