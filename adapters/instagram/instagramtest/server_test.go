package instagramtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/instagram/instagramtest"
)

func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFakeChecksTokensWindowsAndHandsOutUniqueMIDs(t *testing.T) {
	t.Parallel()
	fake := instagramtest.New(t)
	fake.AddAccount("178", "tok")
	url := fake.URL + "/v23.0/178/messages"
	body := `{"recipient":{"id":"42"},"message":{"text":"hi"}}`

	code, out := post(t, url, "other", body)
	require.Equal(t, http.StatusUnauthorized, code)
	require.Contains(t, out, `"code":190`)

	_, a := post(t, url, "tok", body)
	_, b := post(t, url, "tok", body)
	require.NotEqual(t, a, b, "unique mids")
	require.Len(t, fake.Sends(), 2)

	fake.CustomerWrote("42", time.Now().Add(-25*time.Hour))
	code, out = post(t, url, "tok", body)
	require.Equal(t, http.StatusForbidden, code)
	require.Contains(t, out, `"error_subcode":2534022`)
	code, _ = post(t, url, "tok", `{"recipient":{"id":"42"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"hi"}}`)
	require.Equal(t, http.StatusOK, code, "a person may answer for 7 days")

	code, _ = post(t, url, "tok", `{"recipient":{"id":"42"},"message":{"text":"`+strings.Repeat("x", 1000)+`"}}`)
	require.Equal(t, http.StatusBadRequest, code, "text must be under 1000 bytes")
	require.Len(t, fake.Sends(), 3, "refused sends are not recorded")
}

func TestSignedWebhookBodies(t *testing.T) {
	t.Parallel()
	body := instagramtest.StoryReply("178", "42", "m1", "nice", "s1", "https://cdn.example/s1", time.UnixMilli(1700000000000))
	require.JSONEq(t, `{"object":"instagram","entry":[{"id":"178","time":1700000000000,"messaging":[{"sender":{"id":"42"},"recipient":{"id":"178"},"timestamp":1700000000000,
		"message":{"mid":"m1","text":"nice","reply_to":{"story":{"url":"https://cdn.example/s1","id":"s1"}}}}]}]}`, string(body))
	require.Equal(t, "sha256=", instagramtest.Sign("secret", body)[:7])
	require.Len(t, instagramtest.Sign("secret", body), 7+64)
}
