package metamsg

// Send API request bodies (POST /{version}/{page-id}/messages), as
// https://developers.facebook.com/docs/messenger-platform/reference/send-api/
// documents them.

// Messaging types and the one tag switchboard uses.
const (
	// MessagingResponse answers a customer inside the 24-hour window.
	MessagingResponse = "RESPONSE"
	// MessagingTag sends outside it with a tag; only TagHumanAgent is used.
	MessagingTag = "MESSAGE_TAG"
	// TagHumanAgent lets a person answer up to 7 days after the customer's
	// last message (needs the Human Agent permission in app review).
	TagHumanAgent = "HUMAN_AGENT"
)

// Sender actions.
const (
	ActionMarkSeen  = "mark_seen"
	ActionTypingOn  = "typing_on"
	ActionTypingOff = "typing_off"
	ActionReact     = "react"
	ActionUnreact   = "unreact"
)

// SendRequest is the Send API body. Either Message or SenderAction is set.
type SendRequest struct {
	Recipient     Recipient     `json:"recipient"`
	MessagingType string        `json:"messaging_type,omitempty"`
	Tag           string        `json:"tag,omitempty"`
	Message       *OutMessage   `json:"message,omitempty"`
	ReplyTo       *OutReplyTo   `json:"reply_to,omitempty"`
	SenderAction  string        `json:"sender_action,omitempty"`
	Payload       *ActionTarget `json:"payload,omitempty"`
}

// Recipient names the customer by PSID/IGSID.
type Recipient struct {
	ID string `json:"id"`
}

// OutMessage is the message object: text or one attachment, plus our
// metadata (EchoTag) and optional quick replies.
type OutMessage struct {
	Text         string          `json:"text,omitempty"`
	Attachment   *OutAttachment  `json:"attachment,omitempty"`
	QuickReplies []QuickReplyOut `json:"quick_replies,omitempty"`
	Metadata     string          `json:"metadata,omitempty"`
}

// OutAttachment is message.attachment: type image|audio|video|file with a
// payload naming a URL or an uploaded attachment_id.
type OutAttachment struct {
	Type    string            `json:"type"`
	Payload OutAttachmentLink `json:"payload"`
}

// OutAttachmentLink points at the file.
type OutAttachmentLink struct {
	URL          string `json:"url,omitempty"`
	IsReusable   bool   `json:"is_reusable,omitempty"`
	AttachmentID string `json:"attachment_id,omitempty"`
}

// QuickReplyOut is one quick-reply button (content_type text, title ≤ 20
// characters, payload ≤ 1000).
type QuickReplyOut struct {
	ContentType string `json:"content_type"`
	Title       string `json:"title"`
	Payload     string `json:"payload"`
}

// OutReplyTo quotes the customer's message mid.
type OutReplyTo struct {
	MID string `json:"mid"`
}

// ActionTarget is the payload of a react/unreact sender action.
type ActionTarget struct {
	MessageID string `json:"message_id"`
	Reaction  string `json:"reaction,omitempty"`
}

// SendFlags are what a send says besides its content.
type SendFlags struct {
	// HumanAgent sends with messaging_type MESSAGE_TAG and tag HUMAN_AGENT.
	HumanAgent bool
	// ReplyTo quotes the customer's message with this mid.
	ReplyTo string
}

func messageRequest(to string, msg *OutMessage, f SendFlags) SendRequest {
	msg.Metadata = EchoTag
	req := SendRequest{Recipient: Recipient{ID: to}, MessagingType: MessagingResponse, Message: msg}
	if f.HumanAgent {
		req.MessagingType, req.Tag = MessagingTag, TagHumanAgent
	}
	if f.ReplyTo != "" {
		req.ReplyTo = &OutReplyTo{MID: f.ReplyTo}
	}
	return req
}

// TextRequest is a text message to the customer to.
func TextRequest(to, text string, f SendFlags) SendRequest {
	return messageRequest(to, &OutMessage{Text: text}, f)
}

// AttachmentRequest is a file message; exactly one of url and
// attachmentID is set. typ is image, audio, video or file.
func AttachmentRequest(to, typ, url, attachmentID string, f SendFlags) SendRequest {
	return messageRequest(to, &OutMessage{Attachment: &OutAttachment{Type: typ,
		Payload: OutAttachmentLink{URL: url, AttachmentID: attachmentID}}}, f)
}

// QuickRepliesRequest is a text with quick-reply buttons.
func QuickRepliesRequest(to, text string, replies []QuickReplyOut, f SendFlags) SendRequest {
	return messageRequest(to, &OutMessage{Text: text, QuickReplies: replies}, f)
}

// SenderActionRequest is mark_seen / typing_on / typing_off; it carries
// no messaging_type.
func SenderActionRequest(to, action string) SendRequest {
	return SendRequest{Recipient: Recipient{ID: to}, SenderAction: action}
}

// ReactionRequest reacts to (or with an empty reaction, takes back our
// reaction to) the customer's message mid.
func ReactionRequest(to, mid, reaction string) SendRequest {
	if reaction == "" {
		return SendRequest{Recipient: Recipient{ID: to}, SenderAction: ActionUnreact, Payload: &ActionTarget{MessageID: mid}}
	}
	return SendRequest{Recipient: Recipient{ID: to}, SenderAction: ActionReact, Payload: &ActionTarget{MessageID: mid, Reaction: reaction}}
}

// SendResponse is the Send API's answer.
type SendResponse struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}
