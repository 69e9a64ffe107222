package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A mail whose sender the receiving server could not authenticate shows a
// warning above it in the thread, and its address is not stored as the
// contact's e-mail, so it suggests no merge (review 12, finding 12).
func TestEmailUnauthenticatedSenderIsFlaggedAndSuggestsNoMerge(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		var m mailFakes
		e := setup(t, dialect, withEmail(t, &m))
		raw := string(customerMail("<CAKforged@mail.example.org>", "Refund", "Send the refund to my new card."))
		m.imap.Deliver([]byte("Authentication-Results: mx.shop.example; dkim=none; spf=fail smtp.mailfrom=example.org; dmarc=fail (p=NONE) header.from=example.org\r\n" + raw))
		card := e.waitCardAndThread("Send the refund to my new card.")
		e.waitThreadText(card.TS, "could not confirm this sender")
		require.Equal(t, 1, e.count(`SELECT COUNT(*) FROM contacts WHERE address = 'ana@example.org'`))
		require.Equal(t, 0, e.count(`SELECT COUNT(*) FROM contacts WHERE email <> ''`), "no e-mail for merge suggestions")

		// The same address, now authenticated, becomes the contact's e-mail.
		ok := strings.Replace(raw, "<CAKforged@", "<CAKreal@", 1)
		m.imap.Deliver([]byte("Authentication-Results: mx.shop.example; dkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n" + ok))
		require.Eventually(t, func() bool {
			return e.count(`SELECT COUNT(*) FROM contacts WHERE email = 'ana@example.org'`) == 1
		}, waitLong, 20*time.Millisecond, "an authenticated mail stores the address")
	})
}
