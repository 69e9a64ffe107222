package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

const (
	waPhone  = "16505551234"
	waBSUID  = "US.13491208655302741918"
	waBSUID2 = "US.99991208655302741918"
)

// upsert stores c in its own transaction, run again on ErrConflict as the
// bridge's inTx does.
func upsert(t *testing.T, store *storage.Store, c bridge.Contact) bridge.Contact {
	t.Helper()
	var out bridge.Contact
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = store.InTx(context.Background(), func(tx bridge.Tx) error {
			var e error
			out, e = tx.UpsertContact(context.Background(), c)
			return e
		})
		if !errors.Is(err, bridge.ErrConflict) {
			break
		}
	}
	require.NoError(t, err)
	return out
}

func contactRows(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.Get(&n, `SELECT COUNT(*) FROM contacts WHERE channel = 'whatsapp'`))
	return n
}

// Each case is its own test: eachDialect's SQLite file lives in a folder
// named after the test, and a "#" in it (a repeated subtest name) would
// end the file: URI early, so repeated names would share one file.
var (
	idNow   = time.UnixMilli(1_750_000_000_000).UTC()
	byPhone = bridge.Contact{Channel: "whatsapp", Address: waPhone, Phone: waPhone, Name: "Sheena", CreatedAt: idNow}
	byBoth  = bridge.Contact{Channel: "whatsapp", Address: waPhone, Phone: waPhone, UserID: waBSUID,
		ParentUserID: "US.ENT.1", Username: "@sheena", CreatedAt: idNow}
	byBSUID = bridge.Contact{Channel: "whatsapp", Address: waBSUID, UserID: waBSUID, Username: "@sheena", CreatedAt: idNow}
)

func TestContactPhoneFirstThenBSUID(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		t.Run("phone first, then the BSUID: one contact that gains the BSUID", func(t *testing.T) {
			first := upsert(t, store, byPhone)
			second := upsert(t, store, byBoth)
			third := upsert(t, store, byBSUID) // the number hidden later
			require.Equal(t, first.ID, second.ID)
			require.Equal(t, first.ID, third.ID, "found by BSUID without a phone number")
			require.Equal(t, waBSUID, third.UserID)
			require.Equal(t, "US.ENT.1", third.ParentUserID)
			require.Equal(t, bridge.CustomerAddress(waPhone), third.Address, "replies keep going to the number")
			require.Equal(t, waPhone, third.Phone)
			require.Equal(t, "Sheena", third.Name)
			require.Equal(t, first.PersonID, third.PersonID)
			require.Equal(t, 1, contactRows(t, db))

			renamed := byBSUID
			renamed.Username = "@sheena_n"
			require.Equal(t, "@sheena_n", upsert(t, store, renamed).Username, "the username is kept current")
		})
	})
}

func TestContactBSUIDFirstThenPhone(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		t.Run("BSUID first, then the phone: one contact that moves to the number", func(t *testing.T) {
			first := upsert(t, store, byBSUID)
			require.Equal(t, bridge.CustomerAddress(waBSUID), first.Address, "a username-only customer is addressed by BSUID")
			require.Empty(t, first.Phone)
			second := upsert(t, store, byBoth)
			require.Equal(t, first.ID, second.ID)
			require.Equal(t, bridge.CustomerAddress(waPhone), second.Address, "Meta recommends sending to the number once known")
			require.Equal(t, waPhone, second.Phone)
			require.Equal(t, 1, contactRows(t, db))
		})
	})
}

func TestContactConcurrentFirstMessages(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		t.Run("concurrent first messages of one customer make one contact", func(t *testing.T) {
			// Half the writers know the number, half only the BSUID.
			start := make(chan struct{})
			ids := make(chan bridge.ContactID, 8)
			var wg sync.WaitGroup
			for i := 0; i < 8; i++ {
				c := byBSUID
				if i%2 == 0 {
					c = byBoth
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					ids <- upsert(t, store, c).ID
				}()
			}
			close(start)
			wg.Wait()
			close(ids)
			var first bridge.ContactID
			for id := range ids {
				if first == 0 {
					first = id
				}
				require.Equal(t, first, id)
			}
			require.Equal(t, 1, contactRows(t, db))
		})
	})
}

func TestContactNumberChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		t.Run("a number change keeps the contact", func(t *testing.T) {
			ctx := context.Background()
			before := upsert(t, store, byBoth)
			var after bridge.Contact
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				after, err = tx.ChangeContactIdentity(ctx, "whatsapp", waPhone, bridge.IdentityChange{Kind: bridge.IdentityNumberChanged,
					NewPhone: "16505559999", NewUserID: waBSUID2, PreviousUserID: waBSUID})
				return err
			}))
			require.Equal(t, before.ID, after.ID)
			require.Equal(t, bridge.CustomerAddress("16505559999"), after.Address)
			require.Equal(t, "16505559999", after.Phone)
			require.Equal(t, waBSUID2, after.UserID, "WhatsApp generates a new BSUID with the new number")
			again := upsert(t, store, bridge.Contact{Channel: "whatsapp", Address: "16505559999", Phone: "16505559999", UserID: waBSUID2, CreatedAt: idNow})
			require.Equal(t, before.ID, again.ID, "the next message from the new number is the same contact")
			require.Equal(t, 1, contactRows(t, db))

			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				_, err := tx.ChangeContactIdentity(ctx, "whatsapp", "15550000000", bridge.IdentityChange{Kind: bridge.IdentityNumberChanged, NewPhone: "15550000001"})
				require.ErrorIs(t, err, bridge.ErrNotFound, "an unknown customer")
				return nil
			}))
		})
	})
}

func TestContactUserIDChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		t.Run("a username-only customer's new BSUID becomes their address", func(t *testing.T) {
			ctx := context.Background()
			before := upsert(t, store, byBSUID)
			var after bridge.Contact
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				var err error
				after, err = tx.ChangeContactIdentity(ctx, "whatsapp", waBSUID, bridge.IdentityChange{Kind: bridge.IdentityUserIDChanged,
					NewUserID: waBSUID2, PreviousUserID: waBSUID})
				return err
			}))
			require.Equal(t, before.ID, after.ID)
			require.Equal(t, bridge.CustomerAddress(waBSUID2), after.Address)
			require.Equal(t, waBSUID2, after.UserID)
			require.Empty(t, after.Phone)
		})
	})
}
