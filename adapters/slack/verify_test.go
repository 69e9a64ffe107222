package slack

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"type":"event_callback","event":{"text":"héllo 👋"}}`)
	sig, ts := slacktest.Sign("secret", now, body)

	cases := []struct {
		name    string
		secret  string
		sig, ts string
		body    []byte
		now     time.Time
		want    error
	}{
		{"a good signature passes", "secret", sig, ts, body, now, nil},
		{"clock 4m59s ahead still passes", "secret", sig, ts, body, now.Add(4*time.Minute + 59*time.Second), nil},
		{"a changed body fails", "secret", sig, ts, append([]byte(" "), body...), now, ErrBadSignature},
		{"another secret fails", "other", sig, ts, body, now, ErrBadSignature},
		{"a missing v0= prefix fails", "secret", sig[3:], ts, body, now, ErrBadSignature},
		{"non-hex fails", "secret", "v0=zz", ts, body, now, ErrBadSignature},
		{"a missing signature fails", "secret", "", ts, body, now, ErrMissingSignature},
		{"a missing timestamp fails", "secret", sig, "", body, now, ErrMissingSignature},
		{"a non-numeric timestamp fails", "secret", sig, "abc", body, now, ErrMissingSignature},
		{"a request over 5 minutes old fails", "secret", sig, ts, body, now.Add(5*time.Minute + time.Second), ErrStaleTimestamp},
		{"a request from over 5 minutes ahead fails", "secret", sig, ts, body, now.Add(-5*time.Minute - time.Second), ErrStaleTimestamp},
		{"an empty secret refuses everything", "", sig, ts, body, now, ErrNoSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorIs(t, Verify(c.secret, c.sig, c.ts, c.body, c.now), c.want)
		})
	}
}
