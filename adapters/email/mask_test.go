package email_test

import (
	"context"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/email"
	"github.com/switchboard/switchboard/bridge"
)

func TestMaskEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ana@example.org", "a***@example.org"},
		{"Élodie.Martin@example.fr", "É***@example.fr"},
		{"x@y", "x***@y"},
		{"not an address", "***"},
		{"@example.org", "***"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			require.Equal(t, tc.want, email.MaskEmail(tc.in))
		})
	}
}

// SMTP servers quote the recipient in their refusals; the error the bridge
// logs names the customer's address only masked (review 12, finding 17),
// and still says whether to retry.
func TestSendErrorsMaskTheCustomersAddress(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.smtp.Reject(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "<Ana.Souza@example.org>: Recipient address rejected: User unknown in virtual mailbox table"})
	_, err := f.client.SendText(context.Background(), inboxAddr, "ana.souza@example.org", "hi")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent)
	require.Equal(t, bridge.ReasonUndeliverable, de.Reason)
	require.NotContains(t, err.Error(), "ana.souza@")
	require.NotContains(t, err.Error(), "Ana.Souza@")
	require.Contains(t, err.Error(), "a***@example.org")

	_, err = f.client.SendText(context.Background(), inboxAddr, "ana.souza at example.org", "hi")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "ana.souza at example.org")
}
