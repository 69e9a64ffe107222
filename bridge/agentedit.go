package bridge

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
)

// WhatsApp's Cloud API cannot edit or unsend a business message. So an
// agent's edit or deletion in the thread acts on what is still ours: a
// reply waiting in the customer lane is updated or cancelled before it is
// sent; one already sent (or being sent) stays with the customer, and the
// thread says so at once. Which of the two happens is settled on the
// delivery row (EditsTx.HoldPendingDelivery against ClaimDelivery), so
// exactly one of "changed before the send" and "already sent" is true, on
// any number of replicas.

// ReasonCancelled is the failure of a reply its author deleted (or edited
// into a note) before it was sent.
const ReasonCancelled FailureReason = "cancelled"

// Event kinds of agents' edits and deletes; Data says what came of it.
// Stored: never rename.
const (
	EventAgentEdited  = "agent_edited"
	EventAgentDeleted = "agent_deleted"
)

// HandleAgentEdit is an agent editing a message of theirs in a thread.
// WhatsApp cannot edit a message once sent: a reply still queued is
// updated instead; one already sent is answered in the thread (and, when
// the team asks for it, followed by a correction).
func (b *Bridge) HandleAgentEdit(ctx context.Context, edit AgentEdit) error {
	if edit.ThreadKey == "" || edit.MessageKey == "" {
		return nil
	}
	// A correction is a reply: in a team that shows agents' names it
	// carries the author's, read before the transaction like a reply's.
	if b.mayShowAgentName(AgentMessage{Workspace: edit.Workspace, AuthorID: edit.AuthorID, Text: edit.Text}) {
		ctx = b.withAgentName(ctx, edit.Workspace, edit.AuthorID)
	}
	return b.inTx(ctx, func(tx Tx) error {
		if edit.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(edit.Workspace)+":edit", edit.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		conv, msgs, err := b.agentWritten(ctx, tx, edit.Workspace, edit.ChannelID, edit.ThreadKey, edit.MessageKey)
		if err != nil || len(msgs) == 0 {
			return ignoreNotFound(err)
		}
		if msgs[0].Direction == Note {
			return b.editNote(ctx, tx, conv, msgs[0], edit)
		}
		return b.editReply(ctx, tx, conv, msgs, edit)
	})
}

// HandleAgentDelete is a message deleted from a thread. WhatsApp cannot
// unsend: a reply still queued is cancelled; one already sent is answered
// in the thread.
func (b *Bridge) HandleAgentDelete(ctx context.Context, del AgentDelete) error {
	if del.ThreadKey == "" || del.MessageKey == "" {
		return nil
	}
	return b.inTx(ctx, func(tx Tx) error {
		if del.EventID != "" {
			fresh, err := tx.MarkProcessed(ctx, string(del.Workspace)+":delete", del.EventID, b.now())
			if err != nil || !fresh {
				return err
			}
		}
		conv, msgs, err := b.agentWritten(ctx, tx, del.Workspace, del.ChannelID, del.ThreadKey, del.MessageKey)
		if err != nil || len(msgs) == 0 {
			return ignoreNotFound(err)
		}
		return b.deleteAgentMessage(ctx, tx, conv, msgs, del)
	})
}

// agentWritten finds the messages an agent wrote at a thread message's
// key (a reply's text and files, or a note), with their conversation
// locked so a concurrent reply, claim or receipt takes turns with us. It
// returns none for every other message (a customer's post, the bridge's
// own posts, a thread or message we do not know).
func (b *Bridge) agentWritten(ctx context.Context, tx Tx, ws WorkspaceKind, channel, threadKey, key string) (Conversation, []Message, error) {
	thread, err := tx.ThreadByKey(ctx, ws, channel, threadKey)
	if err != nil {
		return Conversation{}, nil, err
	}
	conv, err := tx.LockConversation(ctx, thread.ConversationID)
	if err != nil {
		return conv, nil, err
	}
	all, err := tx.MessagesByWorkspaceKey(ctx, conv.ID, key)
	if err != nil {
		return conv, nil, err
	}
	var msgs []Message
	for _, m := range all {
		if m.AuthorID != "" && (m.Direction == Note || (m.Direction == Outbound && !postedByBridge(m))) {
			msgs = append(msgs, m)
		}
	}
	return conv, msgs, nil
}

// editedBody reads an edited text as the bridge would read a new message
// in conv's team: whether it is a note, and the text without its prefix.
// A text command ("!resolve", "!transfer @ana") is never sent to the
// customer, so an edit into one counts as a note: the adapters keep its
// mentions as the bridge's {@id} references, which must never go out.
func (b *Bridge) editedBody(team Team, text string) (note bool, body string) {
	text = strings.TrimSpace(text)
	if _, _, ok := textCommand(text); ok {
		return true, text
	}
	if note, body := b.isNote(text); note {
		return true, body
	}
	if team.NoteByDefault {
		reply, body := b.isReply(text)
		if !reply {
			return true, text
		}
		if note, noteBody := b.isNote(body); note {
			return true, noteBody
		}
		return false, body
	}
	return false, text
}

// editNote keeps a note's new text. A note stays a note: an edit that
// removes its prefix sends nothing, and the author is told. A refused
// reply (kept as a note because it could not be sent) is not sent by an
// edit either.
func (b *Bridge) editNote(ctx context.Context, tx Tx, conv Conversation, note Message, edit AgentEdit) error {
	now := b.now()
	lang := b.language(conv.Team)
	isNote, body := b.editedBody(b.team(conv.Team), edit.Text)
	if note.Status == StatusBlocked {
		isNote, body = true, strings.TrimSpace(edit.Text)
	}
	if isNote && body == note.Body {
		return nil // nothing changed (a link preview, a reformat)
	}
	if err := b.revise(ctx, tx, conv, note, edit.AuthorID, body, "note", now); err != nil {
		return err
	}
	note.Body = body
	if err := tx.UpdateMessage(ctx, note); err != nil {
		return err
	}
	author := cmp.Or(edit.AuthorID, note.AuthorID)
	switch {
	case note.Status == StatusBlocked:
		return b.enqueueTell(ctx, tx, conv.ID, author, Text(lang, "edit.refused"), now)
	case !isNote:
		return b.enqueueTell(ctx, tx, conv.ID, author, Text(lang, "edit.note_stays"), now)
	}
	return nil
}

// editReply applies an edit to a reply: the text of a reply still queued
// is replaced before it is sent; a reply the customer already has (or is
// getting right now) stays as it is, the thread says so and, when the
// team sends corrections, the new text follows as a correction quoting it.
func (b *Bridge) editReply(ctx context.Context, tx Tx, conv Conversation, msgs []Message, edit AgentEdit) error {
	var reply Message
	for _, m := range msgs {
		if m.Direction == Outbound && m.Kind == KindText {
			reply = m
			break
		}
	}
	if reply.ID == 0 {
		return nil // files only: there is no text to change
	}
	now := b.now()
	lang := b.language(conv.Team)
	team := b.team(conv.Team)
	author := cmp.Or(edit.AuthorID, reply.AuthorID)
	isNote, body := b.editedBody(team, edit.Text)
	if !isNote && body == reply.Body {
		return nil // nothing changed (a link preview, a reformat)
	}
	switch reply.Status {
	case StatusBlocked, StatusFailed:
		if err := b.revise(ctx, tx, conv, reply, author, body, "refused", now); err != nil {
			return err
		}
		return b.enqueueTell(ctx, tx, conv.ID, author, Text(lang, "edit.refused"), now)
	case StatusQueued:
		d, err := tx.HoldPendingDelivery(ctx, reply.ID, DeliverSendReply)
		if err == nil {
			return b.editQueued(ctx, tx, conv, reply, d, author, isNote, body, now)
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		// Claimed by its job a moment ago: the first version is on its way.
	}
	if isNote || body == "" || !team.SendCorrections {
		if err := b.revise(ctx, tx, conv, reply, author, body, "sent", now); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "edit.sent", MentionToken(author)), now)
	}
	// A correction is a new reply that the claim and window rules must
	// allow. One they would refuse is not attempted: reply() would keep
	// the refused text as a note or a failure at the edited message's key,
	// marking the reply the customer already has; the thread only says
	// the customer has the first version. A resolved conversation gets no
	// correction either (it may have a newer one).
	held := conv.Assignee != "" && conv.Assignee != author
	if who, err := b.standingIn(ctx, tx, team, Person{ID: author, Roles: edit.Roles, Guest: edit.Guest}); err != nil {
		return err
	} else if !who.mayAct() || held || !mayWrite(conv, author, now) || conv.State == StateResolved {
		if err := b.revise(ctx, tx, conv, reply, author, body, "sent", now); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "edit.sent", MentionToken(author)), now)
	}
	if err := b.revise(ctx, tx, conv, reply, author, body, "correction", now); err != nil {
		return err
	}
	contact, err := tx.GetContact(ctx, conv.ContactID)
	if err != nil {
		return err
	}
	if err := b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "edit.sent_correction", MentionToken(author)), now); err != nil {
		return err
	}
	customerLang := cmp.Or(CustomerLanguage(contact), lang)
	return b.reply(ctx, tx, conv, outgoing{Author: author, Text: Text(customerLang, "edit.correction", body),
		Key: edit.MessageKey, SentAt: cmp.Or(edit.EditedAt, now), Corrects: reply.ID}, now)
}

// editQueued changes a reply whose send is held (d): the new text is
// what goes out, or, edited into a note, nothing does.
func (b *Bridge) editQueued(ctx context.Context, tx Tx, conv Conversation, reply Message, d Delivery, author string, isNote bool, body string, now time.Time) error {
	lang := b.language(conv.Team)
	if isNote || body == "" {
		if _, err := tx.CancelDelivery(ctx, d.ID, "edited into a note before it was sent"); err != nil {
			return err
		}
		if err := b.revise(ctx, tx, conv, reply, author, body, "cancelled", now); err != nil {
			return err
		}
		reply.Body, reply.Status, reply.Failure = body, StatusBlocked, ReasonCancelled
		if err := tx.UpdateMessage(ctx, reply); err != nil {
			return err
		}
		if err := b.enqueueMark(ctx, tx, reply, "", MarkNote, now); err != nil {
			return err
		}
		return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "edit.became_note"), now)
	}
	if err := b.revise(ctx, tx, conv, reply, author, body, "queued", now); err != nil {
		return err
	}
	reply.Body = body
	if err := tx.UpdateMessage(ctx, reply); err != nil {
		return err
	}
	return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, "edit.queued"), now)
}

// revise records an agent's edit in the message's history (Body: the text
// the edit wrote) and in the event log (Data: what came of it).
func (b *Bridge) revise(ctx context.Context, tx Tx, conv Conversation, m Message, author, body, outcome string, now time.Time) error {
	if err := tx.AddRevision(ctx, Revision{MessageID: m.ID, Kind: RevisionEdited, Body: body, AuthorID: author, At: now}); err != nil {
		return err
	}
	return tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventAgentEdited, Actor: author, Data: outcome, At: now})
}

// deleteAgentMessage applies a deletion: parts of a reply still queued are
// cancelled, and the thread is told whether the customer got it.
func (b *Bridge) deleteAgentMessage(ctx context.Context, tx Tx, conv Conversation, msgs []Message, del AgentDelete) error {
	now := b.now()
	lang := b.language(conv.Team)
	author := cmp.Or(del.AuthorID, msgs[0].AuthorID)
	cancelled, kept := 0, 0
	for _, m := range msgs {
		if err := tx.AddRevision(ctx, Revision{MessageID: m.ID, Kind: RevisionDeleted, AuthorID: del.AuthorID, At: now}); err != nil {
			return err
		}
		if m.Direction != Outbound {
			continue // a note: nothing left the thread
		}
		switch m.Status {
		case StatusQueued:
			d, err := tx.HoldPendingDelivery(ctx, m.ID, DeliverSendReply)
			if errors.Is(err, ErrNotFound) {
				kept++ // its job claimed it a moment ago
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.CancelDelivery(ctx, d.ID, "deleted before it was sent"); err != nil {
				return err
			}
			m.Status, m.Failure = StatusBlocked, ReasonCancelled
			if err := tx.UpdateMessage(ctx, m); err != nil {
				return err
			}
			cancelled++
		case StatusSent, StatusDelivered, StatusRead:
			kept++
		}
	}
	outcome, key := "", ""
	switch {
	case kept > 0:
		outcome, key = "sent", "delete.sent"
	case cancelled > 0:
		outcome, key = "cancelled", "delete.queued"
	default:
		return nil // a note, or a reply that never left
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: conv.ID, Kind: EventAgentDeleted, Actor: author, Data: outcome, At: now}); err != nil {
		return err
	}
	return b.enqueueSystem(ctx, tx, conv.ID, Text(lang, key, MentionToken(author)), now)
}

// claimedBeforeCall says which deliveries an edit or a delete may still
// change while they wait: they are claimed before their platform call.
func claimedBeforeCall(k DeliveryKind) bool {
	return k == DeliverSendReply || k == DeliverPostInbound
}

// claimDelivery claims d for its platform call (see EditsTx) and reads
// again what an edit may have changed before the claim. ok is false when
// d was cancelled meanwhile: the lane moves on without calling. A head
// read with its claim (claimTx, deliver.go) is not claimed again.
func (b *Bridge) claimDelivery(ctx context.Context, d Delivery, dc *deliveryContext, holder string) (ok bool, err error) {
	err = b.inTx(ctx, func(tx Tx) error {
		if held, err := tx.HoldsLane(ctx, d.Lane, holder); err != nil || !held {
			return cmp.Or(err, errLaneLost)
		}
		ok, err = b.claimTx(ctx, tx, d, dc)
		return err
	})
	return ok, err
}

// claimTx is claimDelivery's work in a transaction whose caller checked it
// holds the lane. The message is read after the claim: an edit committed
// before it is seen here, one after it finds the delivery claimed.
func (b *Bridge) claimTx(ctx context.Context, tx Tx, d Delivery, dc *deliveryContext) (ok bool, err error) {
	if ok, err = tx.ClaimDelivery(ctx, d.ID); err != nil || !ok {
		return ok, err
	}
	dc.claimed = true
	if d.MessageID == 0 {
		return true, nil
	}
	if dc.msg, err = tx.GetMessage(ctx, d.MessageID); err != nil {
		return true, err
	}
	if d.Kind != DeliverSendReply {
		return true, nil
	}
	p, err := decodeReply(d.Payload)
	if err != nil || p.Corrects == 0 {
		return true, nil // a bad payload fails when the call decodes it
	}
	corrected, err := tx.GetMessage(ctx, p.Corrects)
	if err != nil {
		return true, ignoreNotFound(err)
	}
	dc.corrects = corrected.ExternalID
	return true, nil
}
