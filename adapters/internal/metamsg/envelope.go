package metamsg

import "encoding/json"

// Envelope is one webhook POST: {"object":"page"|"instagram","entry":[…]}.
type Envelope struct {
	Object string  `json:"object"`
	Entry  []Entry `json:"entry"`
}

// Entry is one Page's (or Instagram account's) batch of events.
type Entry struct {
	ID        string            `json:"id"`
	Time      int64             `json:"time"`
	Messaging []json.RawMessage `json:"messaging"`
}

// Party is a sender or recipient: a PSID/IGSID or the Page/account id.
type Party struct {
	ID string `json:"id"`
}

// Messaging is one event of entry.messaging[]; exactly one of its event
// fields is normally set.
type Messaging struct {
	Sender    Party     `json:"sender"`
	Recipient Party     `json:"recipient"`
	Timestamp int64     `json:"timestamp"`
	Message   *Message  `json:"message"`
	Delivery  *Delivery `json:"delivery"`
	Read      *Read     `json:"read"`
	Reaction  *Reaction `json:"reaction"`
	Postback  *Postback `json:"postback"`
	Edit      *Edit     `json:"message_edit"`
}

// Message is message{} of a messages or message_echoes event.
type Message struct {
	MID           string       `json:"mid"`
	Text          string       `json:"text"`
	Attachments   []Attachment `json:"attachments"`
	QuickReply    *QuickReply  `json:"quick_reply"`
	ReplyTo       *ReplyTo     `json:"reply_to"`
	IsEcho        bool         `json:"is_echo"`
	AppID         json.Number  `json:"app_id"` // a number on the wire, a string in some payloads
	Metadata      string       `json:"metadata"`
	IsDeleted     bool         `json:"is_deleted"`
	IsUnsupported bool         `json:"is_unsupported"`
	StickerID     json.Number  `json:"sticker_id"`
}

// Attachment is one of message.attachments[]: image, video, audio, file,
// fallback (a shared link), location (older payloads), template (echoes),
// story_mention / share / ig_reel (Instagram).
type Attachment struct {
	Type    string             `json:"type"`
	Title   string             `json:"title"`
	URL     string             `json:"url"` // fallback attachments put it here
	Payload *AttachmentPayload `json:"payload"`
}

// AttachmentPayload is what an attachment points at.
type AttachmentPayload struct {
	URL         string      `json:"url"`
	Title       string      `json:"title"`
	StickerID   json.Number `json:"sticker_id"`
	Coordinates *struct {
		Lat  float64 `json:"lat"`
		Long float64 `json:"long"`
	} `json:"coordinates"`
}

// QuickReply is the payload of a pressed quick-reply button.
type QuickReply struct {
	Payload string `json:"payload"`
}

// ReplyTo is the message a customer's message answers; Instagram story
// replies carry story{url,id} instead of mid.
type ReplyTo struct {
	MID   string `json:"mid"`
	Story *struct {
		URL string `json:"url"`
		ID  string `json:"id"`
	} `json:"story"`
}

// Delivery is message_deliveries: mids (may be absent) and a watermark.
type Delivery struct {
	MIDs      []string `json:"mids"`
	Watermark int64    `json:"watermark"`
}

// Read is message_reads: every message up to watermark was read.
type Read struct {
	Watermark int64  `json:"watermark"`
	MID       string `json:"mid"` // Instagram names the message read
}

// Reaction is message_reactions: action "react" or "unreact".
type Reaction struct {
	MID      string `json:"mid"`
	Action   string `json:"action"`
	Emoji    string `json:"emoji"`
	Reaction string `json:"reaction"` // a name such as "love", "smile"
}

// Postback is messaging_postbacks: a pressed button or menu item.
type Postback struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
	MID     string `json:"mid"`
}

// Edit is message_edits: the new text of a customer's message.
type Edit struct {
	MID     string `json:"mid"`
	Text    string `json:"text"`
	NumEdit int    `json:"num_edit"`
}
