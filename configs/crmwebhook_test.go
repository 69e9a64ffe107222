package configs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCRMWebhookConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		yaml string
		want []string // substrings of the error; none: valid
	}{
		{name: "no url needs nothing", yaml: "contacts:\n  webhook:\n    secret: x\n"},
		{name: "a valid webhook", yaml: "contacts:\n  webhook:\n    url: https://crm.example.com/h\n    secret: 0123456789abcdef\n    events: [contact.updated, conversation.resolved]\n"},
		{
			name: "a relative url",
			yaml: "contacts:\n  webhook:\n    url: /hooks\n    secret: 0123456789abcdef\n",
			want: []string{`contacts.webhook.url: "/hooks" is not an http(s) URL`, "absolute endpoint"},
		},
		{
			name: "a url without a secret",
			yaml: "contacts:\n  webhook:\n    url: https://crm.example.com/h\n",
			want: []string{"contacts.webhook.secret: is empty while contacts.webhook.url is set", "openssl rand -hex 32"},
		},
		{
			name: "a short secret is refused without printing it",
			yaml: "contacts:\n  webhook:\n    url: https://crm.example.com/h\n    secret: short-one\n",
			want: []string{"contacts.webhook.secret: is 9 characters; use at least 16"},
		},
		{
			name: "an unknown event names its index and the kinds",
			yaml: "contacts:\n  webhook:\n    url: https://crm.example.com/h\n    secret: 0123456789abcdef\n    events: [contact.updated, label.added]\n",
			want: []string{`contacts.webhook.events[1]: "label.added" is not a change kind`, "conversation.resolved"},
		},
		{
			name: "events without a url",
			yaml: "contacts:\n  webhook:\n    events: [contact.updated]\n",
			want: []string{"contacts.webhook.events: is set but contacts.webhook.url is empty"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", noEnv)
			if len(tc.want) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.NotContains(t, err.Error(), "short-one")
		})
	}
}
