package email

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"github.com/switchboard/switchboard/bridge"
)

// ProcessedKeyword is the IMAP keyword the receiver sets on a mail once
// the bridge has stored it (or once it was skipped on purpose).
const ProcessedKeyword = "$Switchboard"

// Receiver returns the background receiver for one inbox, for
// App.startReceivers: it runs until ctx ends or the connection fails (the
// app restarts it after a pause).
func (c *Client) Receiver(inbox bridge.InboxID) func(ctx context.Context, in bridge.CustomerInbound) error {
	return func(ctx context.Context, in bridge.CustomerInbound) error {
		return c.Receive(ctx, inbox, in)
	}
}

// Receive logs in to inbox's mailbox, selects INBOX, imports the mail not
// processed yet, then waits in IDLE and imports each new mail as it
// arrives. Each mail is stored through in.HandleCustomerWebhook first and
// marked with ProcessedKeyword only after that returned nil, so a crash in
// between hands the same Message-ID to the bridge again (deduplicated).
func (c *Client) Receive(ctx context.Context, inbox bridge.InboxID, in bridge.CustomerInbound) error {
	box, err := c.inbox(inbox)
	if err != nil {
		return err
	}
	cl, err := c.dialIMAP(ctx, box)
	if err != nil {
		return err
	}
	// Ending ctx closes the connection, which ends whatever command is
	// waiting on it, IDLE included.
	stopAfter := context.AfterFunc(ctx, func() { cl.Terminate() })
	defer stopAfter()
	defer cl.Logout()

	// The client blocks delivering unilateral updates; a goroutine turns
	// them into one pending "look again" signal.
	updates := make(chan client.Update, 8)
	wake := make(chan struct{}, 1)
	cl.Updates = updates
	go func() {
		for {
			select {
			case u := <-updates:
				if _, ok := u.(*client.MailboxUpdate); ok {
					select {
					case wake <- struct{}{}:
					default:
					}
				}
			case <-cl.LoggedOut():
				return
			}
		}
	}()

	st, err := cl.Select("INBOX", false)
	if err != nil {
		return fmt.Errorf("select INBOX of %s: %w", inbox, err)
	}
	uidValidity := st.UidValidity
	c.log.Info("e-mail receiver connected", "inbox", inbox, "messages", st.Messages)

	for {
		if err := c.importPending(ctx, cl, box, inbox, uidValidity, in); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		stop := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- cl.Idle(stop, nil) }()
		select {
		case <-ctx.Done():
			close(stop)
			<-done
			return ctx.Err()
		case <-wake:
			close(stop)
			if err := <-done; err != nil {
				return fmt.Errorf("IDLE on %s: %w", inbox, err)
			}
		case err := <-done:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err == nil {
				err = errors.New("server ended IDLE")
			}
			return fmt.Errorf("IDLE on %s: %w", inbox, err)
		}
	}
}

// importPending stores every recent mail without ProcessedKeyword, oldest
// first, and marks each after it is stored.
func (c *Client) importPending(ctx context.Context, cl *client.Client, box Inbox, inbox bridge.InboxID, uidValidity uint32, in bridge.CustomerInbound) error {
	crit := imap.NewSearchCriteria()
	crit.WithoutFlags = []string{ProcessedKeyword}
	// SINCE compares with the server's arrival dates, which are wall-clock
	// time, so this uses the wall clock, not Config.Now.
	crit.Since = time.Now().Add(-c.cfg.Lookback)
	uids, err := cl.UidSearch(crit)
	if err != nil {
		return fmt.Errorf("search unprocessed mail in %s: %w", inbox, err)
	}
	slices.Sort(uids)
	for _, uid := range uids {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		raw, err := fetchUID(cl, uid)
		if err != nil {
			var de *bridge.DeliveryError
			if errors.As(err, &de) && de.Permanent {
				continue // expunged meanwhile
			}
			return err
		}
		p, err := Parse(inbox, strings.ToLower(box.Address), raw, MediaRef{Inbox: inbox, UIDValidity: uidValidity, UID: uid})
		if err != nil {
			// A mail we cannot read at all is marked so it does not block
			// the ones after it; it stays in the mailbox for a person.
			c.log.Warn("e-mail could not be parsed; marked and left in the mailbox", "inbox", inbox, "uid", uid, "err", err)
		} else {
			var hook bridge.CustomerWebhook
			switch {
			case p.Message != nil:
				p.Message.SentAt = dateOr(p.Message.SentAt, c.now())
				hook.Messages = append(hook.Messages, *p.Message)
			case p.Receipt != nil:
				p.Receipt.At = dateOr(p.Receipt.At, c.now())
				hook.Receipts = append(hook.Receipts, *p.Receipt)
			default:
				c.log.Debug("e-mail skipped", "inbox", inbox, "uid", uid, "why", p.Skip)
			}
			if len(hook.Messages)+len(hook.Receipts) > 0 {
				if err := in.HandleCustomerWebhook(ctx, hook); err != nil {
					return fmt.Errorf("store mail UID %d of %s: %w", uid, inbox, err)
				}
			}
		}
		set := new(imap.SeqSet)
		set.AddNum(uid)
		if err := cl.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []interface{}{ProcessedKeyword}, nil); err != nil {
			return fmt.Errorf("mark mail UID %d of %s: %w", uid, inbox, err)
		}
	}
	return nil
}
