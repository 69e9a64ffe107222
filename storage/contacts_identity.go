package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
)

// Contact identity resolution (issue 12). A WhatsApp customer may be named
// by phone number (wa_id), by business-scoped user id (BSUID), or both;
// either may come first. One contacts row holds both, found by (channel,
// user_id) when a BSUID is given, else by (channel, address). Two
// replicas storing the first messages of one customer at once are
// settled by the unique indexes: the loser's INSERT does nothing and it
// reads the winner's row; an UPDATE that would give a BSUID to a second
// row fails with a unique violation, which becomes bridge.ErrConflict so
// the bridge runs the transaction again and finds the winner's row.

const (
	insertContactSQL = `INSERT INTO contacts (channel, address, name, phone, email, user_id, parent_user_id, username, created_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING ` + contactColumns
	contactByUserIDSQL  = `SELECT ` + contactColumns + ` FROM contacts WHERE channel = ? AND user_id = ?`
	contactByAddressSQL = `SELECT ` + contactColumns + ` FROM contacts WHERE channel = ? AND address = ?`
	updateContactSQL    = `UPDATE contacts SET address = ?, name = ?, phone = ?, email = ?, user_id = ?, parent_user_id = ?, username = ?
WHERE id = ? RETURNING ` + contactColumns
)

// UpsertContact finds the contact c names, or creates it (with its
// person), and fills in what c adds: a phone number, a BSUID, the
// current username and profile name. Empty fields of c never clear
// stored ones.
func (r *txRepo) UpsertContact(ctx context.Context, c bridge.Contact) (bridge.Contact, error) {
	row, found, err := r.findContact(ctx, c.Channel, c.UserID, string(c.Address))
	if err != nil {
		return bridge.Contact{}, err
	}
	if !found {
		err = r.get(ctx, &row, insertContactSQL, c.Channel, string(c.Address), c.Name, c.Phone, c.Email,
			c.UserID, c.ParentUserID, c.Username, toMs(c.CreatedAt))
		switch {
		case err == nil:
			return r.withPerson(ctx, row, c)
		case !errors.Is(err, sql.ErrNoRows):
			return bridge.Contact{}, fmt.Errorf("insert contact: %w", err)
		}
		// Another transaction created it since we looked: read its row.
		if row, found, err = r.findContact(ctx, c.Channel, c.UserID, string(c.Address)); err != nil {
			return bridge.Contact{}, err
		}
		if !found {
			return bridge.Contact{}, fmt.Errorf("contact created concurrently: %w", bridge.ErrConflict)
		}
	}
	if row, err = r.fillContact(ctx, row, c); err != nil {
		return bridge.Contact{}, err
	}
	return r.withPerson(ctx, row, c)
}

// findContact looks the contact up by BSUID first (it survives a hidden
// phone number), then by address.
func (r *txRepo) findContact(ctx context.Context, channel, userID, address string) (contactRow, bool, error) {
	var row contactRow
	if userID != "" {
		err := r.get(ctx, &row, contactByUserIDSQL, channel, userID)
		if err == nil {
			return row, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return row, false, fmt.Errorf("contact by user id: %w", err)
		}
	}
	if address == "" {
		return row, false, nil
	}
	err := r.get(ctx, &row, contactByAddressSQL, channel, address)
	if errors.Is(err, sql.ErrNoRows) {
		return row, false, nil
	}
	if err != nil {
		return row, false, fmt.Errorf("contact by address: %w", err)
	}
	return row, true, nil
}

// fillContact writes what c knows that row does not (or knows newer: the
// username and profile name may change). A contact known only by its BSUID
// takes the phone number as its address once WhatsApp shares it: Meta
// recommends sending to phone numbers when they are known.
func (r *txRepo) fillContact(ctx context.Context, row contactRow, c bridge.Contact) (contactRow, error) {
	next := row
	keep := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	keep(&next.Name, c.Name)
	if row.Phone == "" {
		// A known number stays: a BSUID is regenerated when the number
		// changes (user_changed_number moves it, ChangeContactIdentity).
		keep(&next.Phone, c.Phone)
	}
	keep(&next.Email, c.Email)
	keep(&next.UserID, c.UserID)
	keep(&next.ParentUserID, c.ParentUserID)
	keep(&next.Username, c.Username)
	if c.Phone != "" && next.Address != c.Phone && next.Address == row.UserID && row.UserID != "" {
		if free, err := r.addressFree(ctx, row.Channel, c.Phone, row.ID); err != nil {
			return row, err
		} else if free {
			next.Address = c.Phone
		}
	}
	if next == row {
		return row, nil
	}
	return r.updateContact(ctx, next)
}

func (r *txRepo) updateContact(ctx context.Context, next contactRow) (contactRow, error) {
	var out contactRow
	err := r.get(ctx, &out, updateContactSQL, next.Address, next.Name, next.Phone, next.Email, next.UserID,
		next.ParentUserID, next.Username, next.ID)
	if isUniqueViolation(err) {
		// Another replica gave this BSUID or address to a row first; run
		// again and find that row.
		return next, fmt.Errorf("update contact %d: %w", next.ID, bridge.ErrConflict)
	}
	if err != nil {
		return next, fmt.Errorf("update contact %d: %w", next.ID, err)
	}
	return out, nil
}

// addressFree reports whether no contact other than id uses address.
func (r *txRepo) addressFree(ctx context.Context, channel, address string, id int64) (bool, error) {
	var other contactRow
	err := r.get(ctx, &other, contactByAddressSQL, channel, address)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("contact by address: %w", err)
	}
	return other.ID == id, nil
}

func (r *txRepo) userIDFree(ctx context.Context, channel, userID string, id int64) (bool, error) {
	var other contactRow
	err := r.get(ctx, &other, contactByUserIDSQL, channel, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("contact by user id: %w", err)
	}
	return other.ID == id, nil
}

// withPerson gives a contact without a person its own (a new contact is a
// new person; see 0020_channels_people.sql).
func (r *txRepo) withPerson(ctx context.Context, row contactRow, c bridge.Contact) (bridge.Contact, error) {
	if row.PersonID == 0 {
		var person int64
		if err := r.get(ctx, &person, newPersonSQL, toMs(c.CreatedAt), toMs(c.CreatedAt)); err != nil {
			return bridge.Contact{}, fmt.Errorf("person of contact %d: %w", row.ID, err)
		}
		if _, err := r.exec(ctx, setContactPersonSQL, person, row.ID); err != nil {
			return bridge.Contact{}, fmt.Errorf("person of contact %d: %w", row.ID, err)
		}
		row.PersonID = person
		created := row.domain()
		created.Created = true
		return created, nil
	}
	return row.domain(), nil
}

// ChangeContactIdentity moves the WhatsApp contact that wrote from
// address (or had the BSUID ch.PreviousUserID) to its new number and new
// BSUID: the same row, so its conversations, assignment and reports
// continue. When another contact already uses the new number or BSUID,
// that part is left as it was (two rows then name one customer; the CRM's
// merge joins them). ErrNotFound when no contact matches.
func (r *txRepo) ChangeContactIdentity(ctx context.Context, channel string, from bridge.CustomerAddress, ch bridge.IdentityChange) (bridge.Contact, error) {
	row, found, err := r.findContact(ctx, channel, ch.PreviousUserID, string(from))
	if err == nil && !found && bridge.IsBSUID(string(from)) {
		row, found, err = r.findContact(ctx, channel, string(from), "")
	}
	if err != nil {
		return bridge.Contact{}, err
	}
	if !found {
		return bridge.Contact{}, fmt.Errorf("contact %s: %w", bridge.MaskAddress(from), bridge.ErrNotFound)
	}
	next := row
	newAddress := ""
	switch {
	case ch.NewPhone != "":
		newAddress = ch.NewPhone
	case ch.NewUserID != "" && row.Address == row.UserID:
		newAddress = ch.NewUserID // a username-only customer is addressed by BSUID
	}
	phoneTaken := false
	if newAddress != "" && newAddress != row.Address {
		free, err := r.addressFree(ctx, row.Channel, newAddress, row.ID)
		if err != nil {
			return bridge.Contact{}, err
		}
		if free {
			next.Address = newAddress
			if ch.NewPhone != "" {
				next.Phone = ch.NewPhone
			}
		} else {
			phoneTaken = ch.NewPhone != ""
		}
	}
	if ch.NewUserID != "" && ch.NewUserID != row.UserID {
		free, err := r.userIDFree(ctx, row.Channel, ch.NewUserID, row.ID)
		if err != nil {
			return bridge.Contact{}, err
		}
		if free {
			next.UserID = ch.NewUserID
			if ch.NewParentUserID != "" {
				next.ParentUserID = ch.NewParentUserID
			}
		}
	}
	if phoneTaken && ch.NewUserID != "" && next.UserID == ch.NewUserID {
		// Another contact already has the new number, so the address
		// cannot move to it; but the old number may be someone else's
		// now, and this row's new BSUID is what later messages resolve
		// to. Address the customer by that BSUID (sent as recipient) and
		// record the new number as its phone: the CRM suggests merging
		// the two contacts on the shared number. fillContact moves the
		// address to the number once it is free (after the merge).
		next.Address = next.UserID
		next.Phone = ch.NewPhone
	}
	if next != row {
		if row, err = r.updateContact(ctx, next); err != nil {
			return bridge.Contact{}, err
		}
	}
	return row.domain(), nil
}
