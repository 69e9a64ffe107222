package whatsapptest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

func do(t *testing.T, method, url, token, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestFakeRequiresTheBearerToken(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	srv.AddMedia("m1", "image/png", []byte("png"))
	resp, body := do(t, http.MethodGet, srv.URL+"/v23.0/m1", "", "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Contains(t, body, `"code":190`)

	resp, body = do(t, http.MethodGet, srv.URL+"/v23.0/m1", srv.Token, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var info struct{ URL string }
	require.NoError(t, json.Unmarshal([]byte(body), &info))

	resp, _ = do(t, http.MethodGet, info.URL, "", "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the download URL needs the token too")
	resp, body = do(t, http.MethodGet, info.URL, srv.Token, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "png", body)
}

func TestFakeHandsOutUniqueIDsAndRefusesBadSends(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	send := `{"messaging_product":"whatsapp","recipient_type":"individual","to":"1","type":"text","text":{"body":"hi"}}`
	seen := map[string]bool{}
	for range 20 {
		resp, _ := do(t, http.MethodPost, srv.URL+"/v23.0/111/messages", srv.Token, send)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	for _, s := range srv.Sends() {
		require.False(t, seen[s.WAMID], "duplicate wamid %s", s.WAMID)
		seen[s.WAMID] = true
	}
	resp, body := do(t, http.MethodPost, srv.URL+"/v23.0/111/messages", srv.Token, `{"to":"1","type":"text","text":{"body":"hi"}}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, body, `"code":100`)
	resp, _ = do(t, http.MethodPost, srv.URL+"/v23.0/111/messages", srv.Token,
		`{"messaging_product":"whatsapp","to":"1","type":"image","image":{"id":"never-uploaded"}}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestFakeScriptedFailuresUseGraphShape(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	srv.FailNext(1, http.StatusTooManyRequests, 130429, "30")
	resp, body := do(t, http.MethodPost, srv.URL+"/v23.0/111/messages", srv.Token, `{}`)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "30", resp.Header.Get("Retry-After"))
	var e struct {
		Error struct {
			Code      int    `json:"code"`
			Type      string `json:"type"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &e))
	require.Equal(t, 130429, e.Error.Code)
	require.NotEmpty(t, e.Error.Type)
	require.NotEmpty(t, e.Error.FBTraceID)
}

func TestWaitForSendsWakesOnASend(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	done := make(chan []whatsapptest.Send)
	go func() { done <- srv.WaitForSends(t, 1, 10*time.Second) }()
	do(t, http.MethodPost, srv.URL+"/v23.0/111/messages", srv.Token,
		`{"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"hi"}}`)
	require.Len(t, <-done, 1)
}
