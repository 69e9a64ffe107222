package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// A customer may edit a message (WhatsApp "edit") or delete it for
// everyone ("revoke"; the On-Premises API's "deleted" status said the
// same). The edit or revoke is stored and shown like any message; this
// file applies it to the original: an edit is kept in its history and,
// where the workspace can edit our posts (PostEditor), changes the
// original post itself; a deletion marks the original deleted, so it is
// never quoted again, cancels its post if that still waits in the
// ordering window, and erases its text unless the team keeps it
// (Team.KeepDeletedText), with the conversation's AI summaries and the
// texts of its AI drafts, which may quote it. Counts (events, metrics) are kept either way.

// ReceiptDeleted is the status the On-Premises API sent for a message the
// customer deleted; the Cloud API sends a revoke message instead. Either
// is applied the same way.
const ReceiptDeleted ReceiptStatus = "deleted"

// customerRevised applies a customer's edit or revoke (m, stored as id) to
// the message it acts on, in the transaction that stores it.
func (b *Bridge) customerRevised(ctx context.Context, tx Tx, conv Conversation, m InboundMessage, id MessageID, at time.Time) error {
	if (m.Kind != KindEdit && m.Kind != KindRevoke) || m.ReplyTo == "" {
		return nil
	}
	orig, err := tx.MessageByExternalID(ctx, m.ReplyTo)
	if errors.Is(err, ErrNotFound) {
		return nil // sent before we knew the customer, or not stored
	}
	if err != nil {
		return err
	}
	if orig.Direction != Inbound {
		return nil // a customer edits and deletes only their own messages
	}
	deleted, err := messageDeleted(ctx, tx, orig.ID)
	if err != nil || deleted {
		return err
	}
	if m.Kind == KindEdit {
		// The original keeps what it first said (quotes and the fallback
		// line show it); its history has every later version.
		return tx.AddRevision(ctx, Revision{MessageID: orig.ID, Kind: RevisionEdited, Body: m.Text, Source: id, At: at})
	}
	if err := tx.AddRevision(ctx, Revision{MessageID: orig.ID, Kind: RevisionDeleted, Source: id, At: at}); err != nil {
		return err
	}
	// Still waiting in the ordering window: it is never posted.
	if d, err := tx.HoldPendingDelivery(ctx, orig.ID, DeliverPostInbound); err == nil {
		if _, err := tx.CancelDelivery(ctx, d.ID, "deleted by the customer before it was posted"); err != nil {
			return err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if b.team(conv.Team).KeepDeletedText {
		return nil
	}
	if err := b.eraseCustomerMessage(ctx, tx, orig); err != nil {
		return err
	}
	// Summaries and drafts may quote it (the offline summariser does,
	// verbatim), and the next conversation's card shows the last summary.
	return tx.ForgetAIText(ctx, orig.ConversationID, at)
}

// eraseCustomerMessage forgets what a deleted customer message said: its
// text, caption and raw payload, and the texts of its edits.
func (b *Bridge) eraseCustomerMessage(ctx context.Context, tx Tx, orig Message) error {
	revisions, err := tx.Revisions(ctx, orig.ID)
	if err != nil {
		return err
	}
	if err := tx.EraseMessage(ctx, orig.ID, erasedPayload(orig.Payload)); err != nil {
		return err
	}
	for _, r := range revisions {
		if r.Source == 0 || r.Kind != RevisionEdited {
			continue
		}
		edit, err := tx.GetMessage(ctx, r.Source)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := tx.EraseMessage(ctx, edit.ID, erasedPayload(edit.Payload)); err != nil {
			return err
		}
	}
	return nil
}

// erasedPayload keeps of a stored InboundMessage what is not the
// customer's words: who, when, the kind, the media reference. A payload
// that does not decode is replaced by an empty message.
func erasedPayload(raw json.RawMessage) json.RawMessage {
	var in InboundMessage
	if len(raw) > 0 && json.Unmarshal(raw, &in) != nil {
		in = InboundMessage{}
	}
	kind := rawType(in.Raw)
	in.Text, in.Location, in.Contacts, in.Interactive, in.Errors = "", nil, nil, nil, nil
	in.Raw = nil
	if kind != "" {
		in.Raw = mustJSON(map[string]string{"type": kind})
	}
	if in.Media != nil {
		in.Media.Filename = ""
	}
	return mustJSON(in)
}

// messageDeleted reports whether the customer deleted a message.
func messageDeleted(ctx context.Context, tx Tx, id MessageID) (bool, error) {
	revisions, err := tx.Revisions(ctx, id)
	if err != nil {
		return false, err
	}
	for _, r := range revisions {
		if r.Kind == RevisionDeleted {
			return true, nil
		}
	}
	return false, nil
}

// storeDeletedStatus turns a "deleted" status about a customer's message
// into the revoke the Cloud API would have sent, stored the same way.
func (b *Bridge) storeDeletedStatus(ctx context.Context, tx Tx, msg Message, r DeliveryReceipt) error {
	conv, err := tx.GetConversation(ctx, msg.ConversationID)
	if err != nil {
		return err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	return b.storeInbound(ctx, tx, InboundMessage{Inbox: conv.Inbox, ExternalID: "deleted:" + r.ExternalID,
		From: contact.Address, ProfileName: contact.Name, SentAt: r.At, Kind: KindRevoke, ReplyTo: r.ExternalID})
}

// postRevision shows a customer's edit or deletion in the thread. With a
// workspace that can edit our posts, the original post changes in place
// (the new text marked edited, or "deleted by the customer") and a short
// line says what happened; otherwise an edit is shown as before (the old
// text quoted, then the new one) and a deletion as a line that never
// quotes the deleted text. handled is false for other messages.
func (b *Bridge) postRevision(ctx context.Context, ws AgentWorkspace, thread ThreadRef, lang, name string, in InboundMessage, dc deliveryContext) (outcome, bool, error) {
	if in.Kind != KindEdit && in.Kind != KindRevoke {
		return outcome{}, false, nil
	}
	target := dc.target
	editor, canEdit := ws.(PostEditor)
	inPlace := canEdit && target.ID != 0 && target.Direction == Inbound && target.WorkspaceKey != "" && !isMediaKind(target.Kind)
	line := Text(lang, "post.revoked")
	switch {
	case in.Kind == KindEdit && dc.replyDeleted:
		line = Text(lang, "post.edited_deleted")
	case in.Kind == KindEdit:
		if !inPlace {
			return outcome{}, false, nil
		}
		post := Post{Kind: PostCustomer, AuthorName: name, Text: Text(lang, "post.edited_text", in.Text)}
		if err := editor.EditPost(ctx, thread, target.WorkspaceKey, post); err != nil {
			if de, ok := AsDeliveryError(err); !ok || !de.Permanent {
				return outcome{}, true, err
			}
			return outcome{}, false, nil // the post is gone: show the edit as before
		}
		line = Text(lang, "post.edited_short")
	case inPlace:
		post := Post{Kind: PostCustomer, AuthorName: name, Text: Text(lang, "post.deleted_original")}
		if err := editor.EditPost(ctx, thread, target.WorkspaceKey, post); err != nil {
			if de, ok := AsDeliveryError(err); !ok || !de.Permanent {
				return outcome{}, true, err
			}
			// The post is gone already: the line below says enough.
		}
	}
	key, err := ws.Post(ctx, thread, Post{Kind: PostCustomer, AuthorName: name, Text: line})
	if err != nil {
		return outcome{}, true, fmt.Errorf("post %s line: %w", in.Kind, err)
	}
	return outcome{key: key}, true, nil
}
