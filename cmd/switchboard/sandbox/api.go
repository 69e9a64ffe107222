package sandbox

import (
	"encoding/json"
	"time"
)

// The JSON API the sandbox page talks to, on the same origin as the page
// and switchboard's own endpoints. Every request and answer is JSON; a
// mistake answers 400 (an unknown view or message: 404) with ErrorReply.
// Only the page may call it: a POST needs Content-Type: application/json
// (else 415) and, with an Origin, the page's own (else 403); any request
// addressed to another Host than the sandbox's own address is 403 (server.go).
//
//	GET  /                               the page (web/index.html)
//	GET  /sandbox/web/…                  the page's other files (web/…)
//	GET  /sandbox/api/state?after=N      State; waits up to 20 s while Version == N (after absent or 0, or a
//	                                     restarted sandbox's smaller version: at once)
//	POST /sandbox/api/customer/send      CustomerSend → Sent: a signed WhatsApp webhook to switchboard
//	POST /sandbox/api/customer/view      CustomerView → OK: "read" statuses for that customer's business messages
//	POST /sandbox/api/agent/message      AgentMessage → Sent: the message joins the channel, a signed message event follows
//	POST /sandbox/api/agent/click        AgentClick → OK: a signed block_actions (card buttons, private buttons, view buttons)
//	POST /sandbox/api/agent/command      AgentCommand → OK: a signed slash command; its answer becomes an ephemeral
//	POST /sandbox/api/agent/shortcut     AgentShortcut → OK: a signed message_action (message shortcut)
//	POST /sandbox/api/agent/view         AgentViewSubmit → OK: a signed view_submission; the view closes, updates or stays with errors
//	POST /sandbox/api/agent/view/close   AgentViewClose → OK: the modal goes away (Slack sends nothing for it: notify_on_close is off)
//	POST /sandbox/api/agent/react        AgentReact → OK: a signed reaction_added / reaction_removed
//	GET  /sandbox/media/{id}             the bytes of a picture, either way (customer images, Slack uploads, media sent by the business)
//
// Anything else is proxied to switchboard itself (/webhooks/whatsapp,
// /slack/…, /healthz, /readyz, /metrics).
//
// Everything the page shows comes from State: an action answers as soon
// as the simulated platform accepted it, and its effects (the thread, the
// card, the receipts) arrive later through the next state.

// State is the whole sandbox as the page shows it.
type State struct {
	// Version grows with every change; pass it back as ?after= to wait
	// for the next one.
	Version int64 `json:"version"`
	// Label is always "SANDBOX".
	Label     string     `json:"label"`
	Business  Business   `json:"business"`
	Customers []Customer `json:"customers"`
	Workspace Workspace  `json:"workspace"`
	Script    []Step     `json:"script"`
}

// Business is the simulated WhatsApp Business number.
type Business struct {
	Name  string `json:"name"`
	Phone string `json:"phone"` // display form, e.g. "+1 555 078 3881"
}

// Customer is one simulated phone. Customers are listed seeded ones
// first, then in the order they first wrote.
type Customer struct {
	WaID     string         `json:"wa_id"`
	Name     string         `json:"name"`
	Language string         `json:"language"` // en | es | pt
	Messages []PhoneMessage `json:"messages"`
}

// PhoneMessage is one bubble on a customer's phone, oldest first.
type PhoneMessage struct {
	// ID is the wamid (customer messages: the one the sandbox made up;
	// business messages: the one the Graph simulator answered).
	ID string `json:"id"`
	// From is "customer" or "business".
	From string `json:"from"`
	// Kind is the WhatsApp message type: text, image, video, audio,
	// document, sticker, location, button (a reply button pressed),
	// template, interactive (reply buttons from the business), reaction.
	Kind string `json:"kind"`
	// Text is the body (text), the button title (button), the rendered
	// body with its values (template, as far as the sandbox knows it),
	// the question (interactive) or the emoji (reaction; "" removes it).
	Text     string `json:"text,omitempty"`
	Caption  string `json:"caption,omitempty"`
	MediaURL string `json:"media_url,omitempty"` // /sandbox/media/{id}
	Filename string `json:"filename,omitempty"`
	// Template is the template's name and language ("greeting@es").
	Template string `json:"template,omitempty"`
	// Buttons are the reply buttons of an interactive message; the page
	// sends a press as CustomerSend{Kind: "button", Payload: ID, Text:
	// Title, QuotedID: this message's ID}.
	Buttons   []Button `json:"buttons,omitempty"`
	Latitude  float64  `json:"latitude,omitempty"`
	Longitude float64  `json:"longitude,omitempty"`
	// Status is the last receipt of a business message: sent, delivered,
	// read or failed ("" until the first status webhook was taken: the
	// clock icon). A customer message is "read" once switchboard
	// marked it read (the customer's blue ticks), else "".
	Status string `json:"status,omitempty"`
	// Receipts are the statuses of a business message as switchboard
	// acknowledged them, oldest first (WhatsApp's "Message info"): sent
	// and delivered follow each other closely, so watch these rather than
	// Status to see both.
	Receipts []Receipt `json:"receipts,omitempty"`
	// QuotedID is the message this one replies to (WhatsApp's context),
	// or the message a reaction is on.
	QuotedID string    `json:"quoted_id,omitempty"`
	At       time.Time `json:"at"`
}

// Receipt is one status of a business message and when it was posted.
type Receipt struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Button is one reply button of an interactive message.
type Button struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Workspace is the simulated Slack workspace.
type Workspace struct {
	Name     string         `json:"name"` // ends in "(SANDBOX)"
	Users    []User         `json:"users"`
	Channels []Channel      `json:"channels"`
	Messages []SlackMessage `json:"messages"` // every channel, ordered by ts
	Views    []OpenView     `json:"views"`    // modals open now, oldest first
}

// User is a person of the workspace the page can act as.
type User struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Role  string   `json:"role"`  // agent | supervisor
	Teams []string `json:"teams"` // the teams whose channel they are in
}

// Channel is a team's channel.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"` // without "#"
	Team string `json:"team"`
}

// SlackMessage is one message of a channel as its members see it: a top-
// level message (ThreadTS "" — a status card, a digest), a reply in a
// thread (ThreadTS is the parent's TS), or an ephemeral only EphemeralTo
// sees (the page shows it only to that user, with Slack's "Only visible to
// you").
type SlackMessage struct {
	Channel  string `json:"channel"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts,omitempty"`
	// User is the author: a person's id, or the bot's user id.
	User string `json:"user"`
	// Bot is true for switchboard's own messages; Username is then the
	// name it posted under (a customer's name with customize_identity).
	Bot      bool   `json:"bot"`
	Username string `json:"username,omitempty"`
	Text     string `json:"text"`
	// Blocks are the Block Kit blocks exactly as switchboard sent them
	// (null when none); buttons in them are clicked with AgentClick.
	Blocks      json.RawMessage `json:"blocks"`
	Reactions   []Reaction      `json:"reactions,omitempty"`
	Edited      bool            `json:"edited,omitempty"`
	Deleted     bool            `json:"deleted,omitempty"`
	EphemeralTo string          `json:"ephemeral_to,omitempty"`
	Files       []File          `json:"files,omitempty"`
}

// Reaction is one emoji on a message with who put it there.
type Reaction struct {
	Name  string   `json:"name"` // Slack's name, e.g. "white_check_mark"
	Count int      `json:"count"`
	Users []string `json:"users"`
}

// File is a file shared in a message.
type File struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Mimetype string `json:"mimetype"`
	URL      string `json:"url"` // /sandbox/media/{id}
}

// OpenView is a modal open on one user's screen.
type OpenView struct {
	ID   string `json:"id"`
	User string `json:"user"`
	// View is the view JSON exactly as switchboard opened or updated it
	// (title, submit, blocks…).
	View json.RawMessage `json:"view"`
	// Errors are the field errors switchboard answered the last
	// submission with (block_id → message), shown under those inputs.
	Errors map[string]string `json:"errors,omitempty"`
}

// Step is one step of the guided script.
type Step struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Hint says what to look at or click, in a sentence.
	Hint string `json:"hint"`
	// As is who acts: a customer's wa_id or a workspace user's id.
	As string `json:"as"`
	// Channel is where an agent acts (a channel id), when it matters.
	Channel string `json:"channel,omitempty"`
	// Text is what to type, when the step is typing something (a
	// picture's caption, a place's name).
	Text string `json:"text,omitempty"`
	// Kind is what a customer sends, as in CustomerSend (text, image,
	// location); "" for a person's step.
	Kind string `json:"kind,omitempty"`
	// Latitude and Longitude of a location step.
	Latitude  float64 `json:"latitude,omitempty"`
	Longitude float64 `json:"longitude,omitempty"`
}

// CustomerSend is what a customer does on their phone. A wa_id not seen
// before is a new customer (Name and Language then name them; defaults
// "Customer <last digits>" and "es").
type CustomerSend struct {
	WaID     string `json:"wa_id"`
	Name     string `json:"name,omitempty"`
	Language string `json:"language,omitempty"`
	// Kind: text | image | location | button.
	Kind string `json:"kind"`
	// Text: the body (text), the caption (image, optional), the place's
	// name (location, optional), the button's title (button).
	Text string `json:"text,omitempty"`
	// Payload is the id of the pressed button (button).
	Payload   string  `json:"payload,omitempty"`
	Latitude  float64 `json:"latitude,omitempty"`
	Longitude float64 `json:"longitude,omitempty"`
	// QuotedID replies to one of the phone's messages (and is required
	// context for a button press).
	QuotedID string `json:"quoted_id,omitempty"`
}

// Sent answers a send with the id the message got: the wamid of a
// customer message, the ts of an agent message.
type Sent struct {
	ID string `json:"id"`
}

// OK answers actions that create nothing.
type OK struct {
	OK bool `json:"ok"`
}

// CustomerView says the customer opened their chat: every business message
// not yet read gets a "read" status webhook.
type CustomerView struct {
	WaID string `json:"wa_id"`
}

// AgentMessage is a person typing in a channel or a thread.
type AgentMessage struct {
	User     string `json:"user"`
	Channel  string `json:"channel"`
	ThreadTS string `json:"thread_ts,omitempty"` // "" for a top-level message
	Text     string `json:"text"`
}

// AgentClick is a click on a button (or a choice in a select).
//   - On a message: Channel and MessageTS name it (an ephemeral too, with
//     Ephemeral true: its response_url is the sandbox's).
//   - In a modal: ViewID names it; Values carry the modal's inputs as they
//     are now (as in AgentViewSubmit).
//
// BlockID, ActionID and Value are the element's, as in the blocks.
type AgentClick struct {
	User      string `json:"user"`
	Channel   string `json:"channel,omitempty"`
	MessageTS string `json:"message_ts,omitempty"`
	Ephemeral bool   `json:"ephemeral,omitempty"`
	ViewID    string `json:"view_id,omitempty"`
	BlockID   string `json:"block_id"`
	ActionID  string `json:"action_id"`
	Value     string `json:"value,omitempty"`
	// Values are the modal's inputs when ViewID is set: see
	// AgentViewSubmit.
	Values map[string]map[string]string `json:"values,omitempty"`
}

// AgentCommand is a slash command typed in a channel: Text is what
// follows "/switchboard" (e.g. "metrics", "status").
type AgentCommand struct {
	User    string `json:"user"`
	Channel string `json:"channel"`
	Text    string `json:"text"`
}

// AgentShortcut is a message shortcut (⋯ on a message): CallbackID is one
// of the app manifest's (configs/slack-app-manifest.yaml): "sb_canned"
// (Canned response), "sb_template_shortcut" (Send template),
// "sb_quote_reply" (Reply to this message).
type AgentShortcut struct {
	User       string `json:"user"`
	Channel    string `json:"channel"`
	MessageTS  string `json:"message_ts"`
	CallbackID string `json:"callback_id"`
}

// AgentViewSubmit submits a modal. Values are block_id → action_id → the
// value: a text input's text, or the value of the option chosen in a
// select (the sandbox looks the element's type up in the view).
type AgentViewSubmit struct {
	User   string                       `json:"user"`
	ViewID string                       `json:"view_id"`
	Values map[string]map[string]string `json:"values"`
}

// AgentViewClose closes a modal without submitting it.
type AgentViewClose struct {
	User   string `json:"user"`
	ViewID string `json:"view_id"`
}

// AgentReact adds (Added true) or removes an emoji reaction by Slack name.
type AgentReact struct {
	User    string `json:"user"`
	Channel string `json:"channel"`
	TS      string `json:"ts"`
	Name    string `json:"name"`
	Added   bool   `json:"added"`
}

// ErrorReply is the body of every 4xx/5xx answer, in plain words.
type ErrorReply struct {
	Error string `json:"error"`
}
