package app_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// withInfoLog sends the app's logs, from info up, to l as well as the
// test's usual logger, so a test can read what was logged.
func withInfoLog(l *lastLines) option {
	return func(e *env, _ *strings.Builder) {
		e.tune.Log = slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
}

// A customer changes their number to one another contact already has
// (review 12, finding 13): the old number may belong to someone else now,
// so replies go to the customer's new BSUID (sent as recipient), never to
// the old number; the contact takes the new number as its phone, so the
// card suggests merging it with the other contact. The change is logged
// through the app's logger with the address masked (finding 22).
func TestNumberChangeOntoAKnownNumberRepliesByBSUID(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		logs := &lastLines{max: 500}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("logs:\n%s", logs.String())
			}
		})
		e := setup(t, dialect, withInfoLog(logs))
		now := time.Now()
		e.phoneAndBSUIDWrites("34699999999", "ES.999", "Ana (trabajo)", "wamid.t0", now, "Soy del trabajo")
		e.waitCardAndThread("Soy del trabajo")
		e.phoneAndBSUIDWrites("34612345678", "ES.111", "Ana", "wamid.t1", now.Add(time.Second), "Hola")
		card := e.waitCardIn(channel, 2)
		e.waitThreadText(card.TS, "Hola")
		e.numberChanges("34612345678", "34699999999", "ES.111", "ES.222", "wamid.t2", now.Add(2*time.Second))
		e.waitThreadText(card.TS, "changed their WhatsApp number to +34 6")
		require.Equal(t, 2, e.count(`SELECT COUNT(*) FROM contacts`), "the other contact stays as it was")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM contacts WHERE address = 'ES.222' AND user_id = 'ES.222' AND phone = '34699999999'`),
			"the changed contact is addressed by its new BSUID and has the new number")
		require.Equal(t, 2, e.count(`SELECT COUNT(DISTINCT person_id) FROM contacts WHERE phone = '34699999999'`),
			"two people share the number: a merge suggestion")

		e.agentReplies("EvT1", card.TS, "1700000300.000100", "UAGENT1", "Anotado")
		sends := e.wa.WaitForSends(t, 1, waitLong)
		require.Empty(t, sends[0].To, "never to the old, possibly reassigned number")
		require.Equal(t, "ES.222", sends[0].Recipient)
		e.waitCardUpdate(card.TS, "Same phone as")

		require.Contains(t, logs.String(), "whatsapp customer changed identity", "logged through the app's logger")
		require.NotContains(t, logs.String(), "34699999999")
		require.NotContains(t, logs.String(), "34612345678")
	})
}
