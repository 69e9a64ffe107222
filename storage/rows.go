package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Rows mirror tables; timestamps are Unix milliseconds so both dialects
// store and compare them the same way. Zero milliseconds is the zero time.

func toMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

type contactRow struct {
	ID           int64  `db:"id"`
	Channel      string `db:"channel"`
	Address      string `db:"address"`
	Name         string `db:"name"`
	Phone        string `db:"phone"`
	Language     string `db:"language"`
	CreatedMs    int64  `db:"created_ms"`
	PersonID     int64  `db:"person_id"`
	UserID       string `db:"user_id"`
	ParentUserID string `db:"parent_user_id"`
	Username     string `db:"username"`
	Email        string `db:"email"`
}

func (r contactRow) domain() bridge.Contact {
	return bridge.Contact{ID: bridge.ContactID(r.ID), Channel: r.Channel, Address: bridge.CustomerAddress(r.Address),
		Name: r.Name, Phone: r.Phone, Language: r.Language, CreatedAt: fromMs(r.CreatedMs),
		PersonID: bridge.PersonID(r.PersonID), UserID: r.UserID, ParentUserID: r.ParentUserID,
		Username: r.Username, Email: r.Email}
}

type conversationRow struct {
	ID              int64  `db:"id"`
	ContactID       int64  `db:"contact_id"`
	Inbox           string `db:"inbox"`
	Channel         string `db:"channel"`
	Team            string `db:"team"`
	State           string `db:"state"`
	Assignee        string `db:"assignee"`
	Version         int64  `db:"version"`
	OpenedMs        int64  `db:"opened_ms"`
	LastCustomerMs  int64  `db:"last_customer_ms"`
	FirstResponseMs int64  `db:"first_response_ms"`
	ResolvedMs      int64  `db:"resolved_ms"`
	PreviousID      int64  `db:"previous_id"`
}

func (r conversationRow) domain() bridge.Conversation {
	return bridge.Conversation{ID: bridge.ConversationID(r.ID), ContactID: bridge.ContactID(r.ContactID),
		Inbox: bridge.InboxID(r.Inbox), Channel: bridge.Channel(r.Channel), Team: r.Team, State: bridge.State(r.State), Assignee: r.Assignee,
		Version: r.Version, OpenedAt: fromMs(r.OpenedMs), LastCustomerAt: fromMs(r.LastCustomerMs),
		FirstResponseAt: fromMs(r.FirstResponseMs), ResolvedAt: fromMs(r.ResolvedMs),
		PreviousID: bridge.ConversationID(r.PreviousID)}
}

func conversationToRow(c bridge.Conversation) conversationRow {
	return conversationRow{ID: int64(c.ID), ContactID: int64(c.ContactID), Inbox: string(c.Inbox),
		Channel: string(c.Channel.OrWhatsApp()), Team: c.Team,
		State: string(c.State), Assignee: c.Assignee, Version: c.Version, OpenedMs: toMs(c.OpenedAt),
		LastCustomerMs: toMs(c.LastCustomerAt), FirstResponseMs: toMs(c.FirstResponseAt),
		ResolvedMs: toMs(c.ResolvedAt), PreviousID: int64(c.PreviousID)}
}

type threadRow struct {
	ID             int64  `db:"id"`
	ConversationID int64  `db:"conversation_id"`
	Workspace      string `db:"workspace"`
	ChannelID      string `db:"channel_id"`
	ThreadKey      string `db:"thread_key"`
	CardKey        string `db:"card_key"`
	IsCurrent      bool   `db:"is_current"`
	CreatedMs      int64  `db:"created_ms"`
}

func (r threadRow) domain() bridge.Thread {
	return bridge.Thread{ID: r.ID, ConversationID: bridge.ConversationID(r.ConversationID), Current: r.IsCurrent,
		CreatedAt: fromMs(r.CreatedMs), Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceKind(r.Workspace),
			ChannelID: r.ChannelID, ThreadKey: r.ThreadKey, CardKey: r.CardKey}}
}

type messageRow struct {
	ID             int64   `db:"id"`
	ConversationID int64   `db:"conversation_id"`
	Direction      string  `db:"direction"`
	Kind           string  `db:"kind"`
	Body           string  `db:"body"`
	Payload        string  `db:"payload"`
	ExternalID     *string `db:"external_id"`
	WorkspaceKey   string  `db:"workspace_key"`
	AuthorID       string  `db:"author_id"`
	SentMs         int64   `db:"sent_ms"`
	CreatedMs      int64   `db:"created_ms"`
	Status         string  `db:"status"`
	Failure        string  `db:"failure"`
}

func (r messageRow) domain() bridge.Message {
	m := bridge.Message{ID: bridge.MessageID(r.ID), ConversationID: bridge.ConversationID(r.ConversationID),
		Direction: bridge.Direction(r.Direction), Kind: bridge.MessageKind(r.Kind), Body: r.Body,
		WorkspaceKey: r.WorkspaceKey, AuthorID: r.AuthorID, SentAt: fromMs(r.SentMs), CreatedAt: fromMs(r.CreatedMs),
		Status: bridge.MessageStatus(r.Status), Failure: bridge.FailureReason(r.Failure)}
	if r.Payload != "" {
		m.Payload = json.RawMessage(r.Payload)
	}
	if r.ExternalID != nil {
		m.ExternalID = *r.ExternalID
	}
	return m
}

func messageToRow(m bridge.Message) messageRow {
	r := messageRow{ID: int64(m.ID), ConversationID: int64(m.ConversationID), Direction: string(m.Direction),
		Kind: string(m.Kind), Body: m.Body, Payload: string(m.Payload), WorkspaceKey: m.WorkspaceKey,
		AuthorID: m.AuthorID, SentMs: toMs(m.SentAt), CreatedMs: toMs(m.CreatedAt), Status: string(m.Status),
		Failure: string(m.Failure)}
	if m.ExternalID != "" {
		ext := m.ExternalID
		r.ExternalID = &ext
	}
	return r
}

type deliveryRow struct {
	ID             int64  `db:"id"`
	ConversationID int64  `db:"conversation_id"`
	Lane           string `db:"lane"`
	Kind           string `db:"kind"`
	MessageID      int64  `db:"message_id"`
	Payload        string `db:"payload"`
	SortKey        int64  `db:"sort_key"`
	NotBeforeMs    int64  `db:"not_before_ms"`
	State          string `db:"state"`
	Attempts       int    `db:"attempts"`
	LastError      string `db:"last_error"`
	CreatedMs      int64  `db:"created_ms"`
}

func (r deliveryRow) domain() bridge.Delivery {
	d := bridge.Delivery{ID: bridge.DeliveryID(r.ID), ConversationID: bridge.ConversationID(r.ConversationID),
		Lane: bridge.Lane(r.Lane), Kind: bridge.DeliveryKind(r.Kind), MessageID: bridge.MessageID(r.MessageID),
		SortKey: r.SortKey, NotBefore: fromMs(r.NotBeforeMs), State: bridge.DeliveryState(r.State),
		Attempts: r.Attempts, LastError: r.LastError, CreatedAt: fromMs(r.CreatedMs)}
	if r.Payload != "" {
		d.Payload = json.RawMessage(r.Payload)
	}
	return d
}

// prefixed lists a row struct's columns (its db tags) as alias.column for
// a joined query. With nested, each is named "alias.column" (sqlx fills
// the row field tagged alias) and coalesced to its type's zero value, so
// the row of a LEFT JOIN that found nothing scans as zeros; a pointer
// field stays NULL.
func prefixed(alias string, row any, nested bool) string {
	t := reflect.TypeOf(row)
	cols := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("db")
		if name == "" {
			continue
		}
		col := alias + "." + name
		if !nested {
			cols = append(cols, col)
			continue
		}
		switch f.Type.Kind() {
		case reflect.String:
			col = "COALESCE(" + col + ", '')"
		case reflect.Bool:
			col = "COALESCE(" + col + ", FALSE)"
		case reflect.Int, reflect.Int64:
			col = "COALESCE(" + col + ", 0)"
		}
		cols = append(cols, col+` AS "`+alias+"."+name+`"`)
	}
	return strings.Join(cols, ", ")
}
