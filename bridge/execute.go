package bridge

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge/assist"
)

// errNoPlatform is returned when the platform a delivery needs has no
// credentials in this process; the delivery waits for a process that has.
var errNoPlatform = errors.New("platform not configured")

func notConfigured(what string) error {
	return &DeliveryError{RetryAfter: time.Minute, Reason: ReasonTemporary, Code: "not_configured",
		Err: fmt.Errorf("%s: %w", what, errNoPlatform)}
}

// execute performs one delivery on its platform. It runs outside any
// transaction and must not write to the store.
func (b *Bridge) execute(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	if d.Kind == DeliverPostNotice {
		return b.postNotice(ctx, d)
	}
	if d.Kind == DeliverCRMWebhook {
		return b.postCRM(ctx, d) // crm.go
	}
	if d.Lane == CustomerLane(d.ConversationID) {
		return b.executeCustomer(ctx, d, dc)
	}
	if d.Lane.IsAssist() {
		return b.executeAssist(ctx, d, dc) // assistjobs.go
	}
	ws, ok := b.workspaces[dc.thread.Ref.Workspace]
	if !ok {
		return outcome{}, notConfigured(string(dc.thread.Ref.Workspace) + " workspace")
	}
	lang := b.language(dc.conv.Team)
	thread := dc.thread.Ref
	switch d.Kind {
	case DeliverOpenThread:
		if !thread.IsZero() {
			return outcome{thread: thread}, nil // opened by an earlier attempt that was recorded
		}
		contact, name := b.readProfileName(ctx, dc) // profilename.go
		ref, err := ws.OpenThread(ctx, thread.ChannelID, b.withPerson(b.card(dc.conv, contact, dc.earlier), dc))
		return outcome{thread: ref, name: name}, err
	case DeliverUpdateCard:
		if dc.other.ID != 0 {
			var p cardPayload
			if err := json.Unmarshal(d.Payload, &p); err != nil {
				return outcome{}, permanentDecode(err)
			}
			ows, ok := b.workspaces[dc.other.Ref.Workspace]
			if !ok || dc.other.Ref.IsZero() {
				return outcome{}, nil // the old thread never opened: nothing to update
			}
			return outcome{}, ows.UpdateCard(ctx, dc.other.Ref, b.transferredCard(dc.conv, dc.contact, p.TransferredTo, dc.earlier))
		}
		contact, name := b.readProfileName(ctx, dc) // profilename.go
		return outcome{name: name}, ws.UpdateCard(ctx, thread, b.withPerson(b.card(dc.conv, contact, dc.earlier), dc))
	case DeliverCloseThread:
		var p closePayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		ows, ok := b.workspaces[dc.other.Ref.Workspace]
		if !ok || dc.other.Ref.IsZero() {
			return outcome{}, nil
		}
		text := Text(lang, "sys.moved", p.Team, ws.Link(thread))
		key, err := ows.Post(ctx, dc.other.Ref, Post{Kind: PostSystem, Text: text})
		return outcome{key: key}, err
	case DeliverPostSystem:
		var p systemPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		key, err := ws.Post(ctx, thread, Post{Kind: PostSystem, Text: p.Text})
		return outcome{key: key}, err
	case DeliverSetMark:
		var p markPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		return outcome{}, ws.SetMark(ctx, thread, p.Key, p.Previous, p.Mark)
	case DeliverPostSent:
		var p systemPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		if echoAbsorbed(dc.msg) {
			return outcome{}, nil // switchboard's own send, shown already (echoes.go)
		}
		post := Post{Kind: PostSystem, Text: p.Text}
		if dc.msg.AuthorID == assist.AgentID {
			// The first-line assistant's answer: marked 🤖, its text as sent (assist_firstline.go).
			post = Post{Kind: PostAssistant, AuthorName: Text(lang, "fl.name"), Text: p.Text}
		}
		key, err := ws.Post(ctx, thread, post)
		return outcome{key: key}, err
	case DeliverTell:
		var p tellPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		tws, tref := ws, thread
		if dc.other.ID != 0 {
			if ows, ok := b.workspaces[dc.other.Ref.Workspace]; ok {
				tws, tref = ows, dc.other.Ref
			}
		}
		if pr, ok := tws.(PrivateReplier); ok && p.Handle != "" {
			return outcome{}, pr.TellPrivatelyVia(ctx, tref, p.UserID, p.Handle, p.Text, p.Actions...)
		}
		return outcome{}, tws.TellPrivately(ctx, tref, p.UserID, p.Text, p.Actions...)
	case DeliverPostInbound:
		return b.postInbound(ctx, ws, thread, lang, dc)
	case DeliverPostChannel:
		return b.postChannel(ctx, ws, thread, d)
	case DeliverPostTemplate:
		var p templatePayload
		if err := json.Unmarshal(dc.msg.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		key, err := ws.Post(ctx, thread, Post{Kind: PostSystem, Text: b.templatePostText(lang, dc.msg, p)})
		return outcome{key: key}, err
	}
	return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonInvalidRequest, Code: "unknown_kind",
		Err: fmt.Errorf("unknown delivery kind %q", d.Kind)}
}

func permanentDecode(err error) error {
	return &DeliveryError{Permanent: true, Reason: ReasonInvalidRequest, Code: "bad_payload", Err: err}
}

// postInbound shows a customer message in the thread: media as files with
// their caption, reactions as reactions, everything else as text.
func (b *Bridge) postInbound(ctx context.Context, ws AgentWorkspace, thread ThreadRef, lang string, dc deliveryContext) (outcome, error) {
	var in InboundMessage
	if err := json.Unmarshal(dc.msg.Payload, &in); err != nil {
		return outcome{}, permanentDecode(err)
	}
	name := customerLabel(dc.contact, "") // identities.go
	if out, handled, err := b.postRevision(ctx, ws, thread, lang, name, in, dc); handled {
		return out, err // a customer's edit or deletion (customeredit.go)
	}
	text := inboundText(lang, in)
	if dc.replyDeleted {
		dc.replyTo = Text(lang, "post.deleted_message") // never its text
	}
	if dc.replyTo != "" && in.Kind != KindReaction {
		text = "_" + Text(lang, "post.reply_to", truncate(dc.replyTo, 200)) + "_\n" + text
	}
	if in.Kind == KindReaction && in.Reaction != nil && dc.target.WorkspaceKey != "" {
		return outcome{}, postReaction(ctx, ws, thread, dc.target.WorkspaceKey, *in.Reaction, dc.reaction) // agentreaction.go
	}
	if in.Media != nil && in.Media.ID != "" && isMediaKind(in.Kind) {
		if b.channelFor(dc.conv.Inbox) == nil {
			return outcome{}, notConfigured(string(b.inboxChannel(dc.conv.Inbox)))
		}
		file, err := b.downloadCustomerMedia(ctx, dc.conv.Inbox, in.Media.ID) // mediasend.go
		if err != nil {
			if de, ok := AsDeliveryError(err); !ok || !de.Permanent {
				return outcome{}, err
			}
			text = mediaMissingText(lang, text, err)
		} else {
			if file.Name == "" {
				file.Name = defaultFileName(in)
			}
			key, err := ws.PostFile(ctx, thread, file, text)
			if err == nil {
				return outcome{key: key}, nil
			}
			if de, ok := AsDeliveryError(err); !ok || !de.Permanent {
				return outcome{}, err
			}
			text = mediaMissingText(lang, text, err)
		}
	}
	post := Post{Kind: PostCustomer, AuthorName: name, Text: text}
	if in.ReplyTo != "" && in.ReplyTo == dc.target.ExternalID {
		post.ReplyToKey = dc.target.WorkspaceKey // Discord shows a native reply
	}
	key, err := ws.Post(ctx, thread, post)
	return outcome{key: key}, err
}

func isMediaKind(k MessageKind) bool {
	switch k {
	case KindImage, KindVideo, KindAudio, KindDocument, KindSticker:
		return true
	}
	return false
}

func defaultFileName(in InboundMessage) string {
	if in.Media != nil && in.Media.Filename != "" {
		return in.Media.Filename
	}
	ext := map[MessageKind]string{KindImage: ".jpg", KindVideo: ".mp4", KindAudio: ".ogg", KindSticker: ".webp"}[in.Kind]
	return string(in.Kind) + ext
}

func (b *Bridge) executeCustomer(ctx context.Context, d Delivery, dc deliveryContext) (outcome, error) {
	customer := b.channelFor(dc.conv.Inbox)
	if customer == nil {
		return outcome{}, notConfigured(string(b.inboxChannel(dc.conv.Inbox)))
	}
	to := dc.contact.Address
	switch d.Kind {
	case DeliverMarkRead:
		var p markReadPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		rctx, cancel := context.WithTimeout(ctx, maxReadCall) // see readreceipts.go
		defer cancel()
		return outcome{}, customer.MarkRead(rctx, dc.conv.Inbox, p.ExternalID, p.Typing)
	case DeliverSendReply:
		// The window may have closed while the reply waited in the queue.
		// A person's reply may go a little longer on some channels
		// (agentwindow.go), marked as a human agent's.
		now := b.now()
		var p replyPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		author := windowAuthor(dc.msg.AuthorID, p.Automated)
		if !mayWrite(dc.conv, author, now) {
			reason, code := windowFailureFor(dc.conv, p.Automated)
			return outcome{}, &DeliveryError{Permanent: true, Reason: reason, Code: cmp.Or(code, "window_closed"),
				Err: errors.New("the channel's window closed before the reply could be sent")}
		}
		human := humanAgentOptions(dc.conv, author, now)
		// Someone else may have claimed or taken the conversation over
		// while an agent's reply waited (an ordering window, a retry
		// backoff). The bridge's own texts (survey thanks, away message)
		// have no author and always go.
		if changedHands(dc) {
			return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonHeld, Code: "held",
				Err: errors.New("the conversation changed hands before the reply could be sent")}
		}
		if p.File == nil {
			opts := append([]SendOption{Quoting(cmp.Or(p.Quote, dc.corrects)), b.emailThread(ctx, dc)}, human...)
			id, err := customer.SendText(ctx, dc.conv.Inbox, to, withAgentLine(p.AgentLine, dc.msg.Body), opts...)
			return outcome{externalID: id}, err
		}
		return b.sendAgentFile(ctx, dc, *p.File, p.AgentLine, append([]SendOption{Quoting(p.Quote)}, human...)...) // mediasend.go
	case DeliverSendCSAT:
		return b.sendCSAT(ctx, d, dc)
	case DeliverSendReaction:
		return b.sendReaction(ctx, d, dc) // agentreaction.go
	case DeliverSendTemplate:
		// Allowed outside the window; held like a reply when someone else
		// took the conversation while it waited.
		if changedHands(dc) {
			return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonHeld, Code: "held",
				Err: errors.New("the conversation changed hands before the template could be sent")}
		}
		var p templatePayload
		if err := json.Unmarshal(dc.msg.Payload, &p); err != nil {
			return outcome{}, permanentDecode(err)
		}
		id, err := customer.SendTemplate(ctx, dc.conv.Inbox, to, p.Send)
		return outcome{externalID: id}, err
	}
	return outcome{}, &DeliveryError{Permanent: true, Reason: ReasonInvalidRequest, Code: "unknown_kind",
		Err: fmt.Errorf("unknown delivery kind %q", d.Kind)}
}

// changedHands reports whether the message dc sends must be held because
// its author no longer holds the conversation. An agent's message goes
// while nobody else holds it (a reply to a queued conversation is
// fine); the assistant's answer goes only while the assistant itself
// holds it, since a transfer or a hand-over with nobody free leaves the
// conversation unassigned and it must not speak then. The bridge's own
// texts have no author and always go.
func changedHands(dc deliveryContext) bool {
	switch dc.msg.AuthorID {
	case "":
		return false
	case assist.AgentID:
		return dc.conv.Assignee != assist.AgentID || dc.conv.State == StateResolved
	}
	return dc.conv.Assignee != "" && dc.conv.Assignee != dc.msg.AuthorID
}

// complete records a successful delivery and what follows from it.
func (b *Bridge) complete(ctx context.Context, tx Tx, d Delivery, out outcome, now time.Time) error {
	d.State = DeliveryDone
	if err := tx.UpdateDelivery(ctx, d); err != nil {
		return err
	}
	if d.Lane.IsAssist() {
		return b.completeAssist(ctx, tx, d, out, now) // assistjobs.go
	}
	if err := b.storeProfileName(ctx, tx, d.ConversationID, out.name); err != nil { // profilename.go
		return err
	}
	switch d.Kind {
	case DeliverOpenThread:
		th, err := tx.CurrentThread(ctx, d.ConversationID)
		if err != nil {
			return err
		}
		return tx.SetThreadRef(ctx, th.ID, out.thread)
	case DeliverPostInbound:
		// Only the key and status: a customer's deletion may have erased
		// the text since this job read it (customeredit.go).
		return tx.SetMessagePosted(ctx, d.MessageID, out.key)
	case DeliverPostTemplate, DeliverPostSent:
		return b.templatePosted(ctx, tx, d, out, now)
	case DeliverSendReply, DeliverSendTemplate:
		// First, as storeReceipt does: a receipt racing this record waits
		// for it, or is read below.
		if err := tx.LockExternalID(ctx, out.externalID); err != nil {
			return err
		}
		if d.Kind == DeliverSendTemplate || postedPayload(d.Payload) {
			// The thread post of a template records its key concurrently
			// (another lane): take turns on the message's conversation.
			if _, err := tx.LockConversation(ctx, d.ConversationID); err != nil {
				return err
			}
		}
		msg, err := tx.GetMessage(ctx, d.MessageID)
		if err != nil {
			return err
		}
		// An echo of this send stored first gives the id way (echoes.go).
		if err := b.absorbEcho(ctx, tx, out.externalID, msg.ID); err != nil {
			return err
		}
		previous := markFor(msg.Status)
		msg.ExternalID, msg.Status = out.externalID, StatusSent
		if err := tx.UpdateMessage(ctx, msg); err != nil {
			return err
		}
		if err := b.enqueueMark(ctx, tx, msg, previous, MarkSent, now); err != nil {
			return err
		}
		// Receipts that arrived before we recorded the send apply now.
		receipts, err := tx.ReceiptsFor(ctx, out.externalID)
		if err != nil {
			return err
		}
		for _, r := range receipts {
			if msg, err = tx.GetMessage(ctx, d.MessageID); err != nil {
				return err
			}
			if err := b.applyReceipt(ctx, tx, msg, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// failed records a delivery that will not happen and tells the thread when
// an agent's message or the satisfaction survey did not reach the customer.
func (b *Bridge) failed(ctx context.Context, tx Tx, d Delivery, dc deliveryContext, reason FailureReason, code string, now time.Time) error {
	if d.Lane.IsAssist() {
		return b.assistFailed(ctx, tx, d, dc, reason, code, now) // assistjobs.go
	}
	if d.Kind == DeliverSendCSAT {
		return b.csatFailed(ctx, tx, d, dc, reason, code, now)
	}
	if d.Kind == DeliverSendReaction {
		return b.reactionFailed(ctx, tx, d, dc, reason, code, now)
	}
	if d.Kind != DeliverSendReply && d.Kind != DeliverSendTemplate {
		// Workspace failures cannot be reported in the thread they failed
		// to reach; they are logged and counted (switchboard_deliveries_total).
		return nil
	}
	if d.Kind == DeliverSendTemplate || postedPayload(d.Payload) {
		if _, err := tx.LockConversation(ctx, d.ConversationID); err != nil { // see complete
			return err
		}
	}
	msg, err := tx.GetMessage(ctx, d.MessageID)
	if err != nil {
		return err
	}
	previous := markFor(msg.Status)
	msg.Status, msg.Failure = StatusFailed, reason
	if err := tx.UpdateMessage(ctx, msg); err != nil {
		return err
	}
	if err := b.enqueueMark(ctx, tx, msg, previous, MarkFailed, now); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, Event{ConversationID: d.ConversationID, Kind: EventDelivery, Data: string(reason), At: now}); err != nil {
		return err
	}
	return b.enqueueSystem(ctx, tx, d.ConversationID, b.failureText(dc.conv, msg.AuthorID, reason, code, d.Attempts), now)
}
