package whatsapp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

func TestPhoneNumberAndSubscribedAppsReadTheAccount(t *testing.T) {
	t.Parallel()
	c, srv := setupClient(t)
	ctx := context.Background()
	srv.AddPhoneNumber(whatsapptest.PhoneNumber{ID: string(inbox), DisplayPhoneNumber: "+1 555-0100", VerifiedName: "Acme"})
	p, err := c.PhoneNumber(ctx, string(inbox))
	require.NoError(t, err)
	require.Equal(t, whatsapp.PhoneNumber{ID: string(inbox), DisplayPhoneNumber: "+1 555-0100", VerifiedName: "Acme", QualityRating: "GREEN"}, p)

	_, err = c.PhoneNumber(ctx, "999")
	var ge *whatsapp.GraphError
	require.True(t, errors.As(err, &ge), "%v", err)
	require.Equal(t, 100, ge.Code)
	require.Equal(t, 33, ge.Subcode)

	apps, err := c.SubscribedApps(ctx, "102290129340398")
	require.NoError(t, err)
	require.Empty(t, apps, "no app subscribed yet")
	srv.SubscribeApp("102290129340398", "switchboard")
	apps, err = c.SubscribedApps(ctx, "102290129340398")
	require.NoError(t, err)
	require.Len(t, apps, 1)
	require.Equal(t, "switchboard", apps[0].Name)
	require.NotEmpty(t, apps[0].ID)

	bad := whatsapp.NewClient("expired")
	bad.BaseURL = srv.URL
	_, err = bad.PhoneNumber(ctx, string(inbox))
	require.True(t, errors.As(err, &ge))
	require.Equal(t, 190, ge.Code, "a refused token is Graph's 190")
}
