package discord_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/bridge"
)

func TestDiscordDownloadStopsAtTheLimitWhenTheDeclaredSizeLies(t *testing.T) {
	t.Parallel()
	f := setup(t)
	id, url := f.fake.AddAttachment(f.text, "small.png", make([]byte, 4096))

	_, err := f.ws.DownloadFile(context.Background(), bridge.AgentFile{ID: id, Name: "small.png", MimeType: "image/png",
		URL: url, Size: 100, MaxBytes: 1000})
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.CodeFileTooLarge, de.Code)

	file, err := f.ws.DownloadFile(context.Background(), bridge.AgentFile{ID: id, URL: url, MaxBytes: 4096})
	require.NoError(t, err)
	require.Len(t, file.Data, 4096)
}

func TestDiscordSessionClientHasATimeout(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	for name, hc := range map[string]*http.Client{"none given": nil, "one without a timeout": {}} {
		s, err := discord.NewSession("token", fake.URL(), hc)
		require.NoError(t, err)
		require.Equal(t, discord.DefaultTimeout, s.Client.Timeout, name)
	}
}
