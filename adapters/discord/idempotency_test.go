package discord_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord"
	"github.com/switchboard/switchboard/bridge"
)

// nonceOf reads the nonce and enforce_nonce a message was sent with.
func nonceOf(t *testing.T, f fixture, id string) (string, bool) {
	t.Helper()
	m, ok := f.fake.Message(id)
	require.True(t, ok)
	var sent struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	require.NoError(t, m.Decode(&sent))
	return sent.Nonce, sent.EnforceNonce
}

func TestDeliveryPostsGoWithTheirEnforcedNonce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ref, err := f.ws.OpenThread(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d11"}), f.text, pendingCard(42))
	require.NoError(t, err)
	nonce, enforced := nonceOf(t, f, ref.CardKey)
	require.Equal(t, "d11", nonce)
	require.True(t, enforced)

	long := strings.Repeat("word ", discord.MaxMessageChars/5+10)
	key, err := f.ws.Post(bridge.WithDeliveryKey(context.Background(), bridge.DeliveryKey{Key: "d12"}), ref,
		bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: long})
	require.NoError(t, err)
	msgs := f.fake.Messages(ref.ThreadKey)
	require.Len(t, msgs, 2)
	require.Equal(t, key, msgs[0].ID)
	n0, _ := nonceOf(t, f, msgs[0].ID)
	n1, _ := nonceOf(t, f, msgs[1].ID)
	require.Equal(t, []string{"d12", "d12.2"}, []string{n0, n1}, "a nonce per piece")

	_, err = f.ws.Post(context.Background(), ref, bridge.Post{Kind: bridge.PostSystem, Text: "not a delivery's"})
	require.NoError(t, err)
	msgs = f.fake.Messages(ref.ThreadKey)
	nonce, enforced = nonceOf(t, f, msgs[2].ID)
	require.Empty(t, nonce)
	require.False(t, enforced)
}

// A delivery made again (its first attempt unrecorded) gets back what the
// first made: Discord deduplicates an enforced nonce.
func TestRepeatedDeliveryIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	f := setup(t)
	bg := context.Background()
	cardCtx := bridge.WithDeliveryKey(bg, bridge.DeliveryKey{Key: "d21"})
	ref, err := f.ws.OpenThread(cardCtx, f.text, pendingCard(42))
	require.NoError(t, err)
	again, err := f.ws.OpenThread(bridge.WithDeliveryKey(bg, bridge.DeliveryKey{Key: "d21", MaybeSent: true}), f.text, pendingCard(42))
	require.NoError(t, err, "the thread the first attempt started is adopted")
	require.Equal(t, ref, again)
	require.Len(t, f.fake.Messages(f.text), 1, "one card")
	require.Len(t, f.fake.Threads(f.text), 1, "one thread")

	long := strings.Repeat("word ", discord.MaxMessageChars/5+10)
	postCtx := bridge.WithDeliveryKey(bg, bridge.DeliveryKey{Key: "d22"})
	first, err := f.ws.Post(postCtx, ref, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: long})
	require.NoError(t, err)
	second, err := f.ws.Post(postCtx, ref, bridge.Post{Kind: bridge.PostCustomer, AuthorName: "Ana", Text: long})
	require.NoError(t, err)
	require.Equal(t, first, second)

	fileCtx := bridge.WithDeliveryKey(bg, bridge.DeliveryKey{Key: "d23"})
	file := bridge.File{Name: "a.txt", MimeType: "text/plain", Data: []byte("hello")}
	k1, err := f.ws.PostFile(fileCtx, ref, file, "see attached")
	require.NoError(t, err)
	k2, err := f.ws.PostFile(fileCtx, ref, file, "see attached")
	require.NoError(t, err)
	require.Equal(t, k1, k2)
	require.Len(t, f.fake.Messages(ref.ThreadKey), 3, "two pieces and a file, each once")
	require.Equal(t, 4, f.fake.NonceHits())

	// Outside a delivery nothing is deduplicated.
	for range 2 {
		_, err = f.ws.Post(bg, ref, bridge.Post{Kind: bridge.PostSystem, Text: "twice"})
		require.NoError(t, err)
	}
	require.Len(t, f.fake.Messages(ref.ThreadKey), 5)
}
