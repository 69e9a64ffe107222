// Package emailtest is a fake mail server pair for tests: an IMAP server
// (go-imap v1's server over a small in-memory backend of ours, with IDLE
// and a way to deliver raw RFC 5322 mail into the mailbox) and an SMTP
// server (go-smtp) that records every message it accepts. Both listen on
// loopback over plain TCP; the real adapters/email client runs against
// them.
package emailtest

import (
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/backendutil"
	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/server"
)

// IMAP is the fake IMAP server: one user whose INBOX the tests fill.
type IMAP struct {
	Addr     string
	Username string
	Password string

	srv     *server.Server
	updates chan backend.Update
	mu      sync.Mutex
	msgs    []*memory.Message
	nextUID uint32
	// UIDValidity of INBOX.
	UIDValidity uint32
	failStore   int
	logins      int
}

// NewIMAP starts an IMAP server on loopback for username/password; it
// stops in t.Cleanup.
func NewIMAP(t testing.TB, username, password string) *IMAP {
	t.Helper()
	f := &IMAP{Username: username, Password: password, updates: make(chan backend.Update, 64), nextUID: 1, UIDValidity: 1700000001}
	f.srv = server.New(f)
	f.srv.AllowInsecureAuth = true // plain TCP in tests only
	f.srv.ErrorLog = discardLog{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("emailtest: listen: %v", err)
	}
	f.Addr = l.Addr().String()
	go f.srv.Serve(l)
	t.Cleanup(func() { f.srv.Close() })
	return f
}

type discardLog struct{}

func (discardLog) Printf(string, ...interface{}) {}
func (discardLog) Println(...interface{})        {}

// Deliver puts a raw RFC 5322 mail into INBOX (as a mail server would on
// receipt), tells clients in IDLE, and returns the mail's UID.
func (f *IMAP) Deliver(raw []byte) uint32 {
	f.mu.Lock()
	uid := f.nextUID
	f.nextUID++
	f.msgs = append(f.msgs, &memory.Message{Uid: uid, Date: time.Now(), Size: uint32(len(raw)), Body: slices.Clone(raw)})
	n := uint32(len(f.msgs))
	f.mu.Unlock()
	st := imap.NewMailboxStatus("INBOX", []imap.StatusItem{imap.StatusMessages})
	st.Messages = n
	f.updates <- &backend.MailboxUpdate{Update: backend.NewUpdate(f.Username, "INBOX"), MailboxStatus: st}
	return uid
}

// Flags are the flags of mail uid now.
func (f *IMAP) Flags(uid uint32) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.msgs {
		if m.Uid == uid {
			return slices.Clone(m.Flags)
		}
	}
	return nil
}

// HasKeyword says whether mail uid carries the keyword (IMAP keywords
// are case-insensitive; the server keeps them lower-cased).
func (f *IMAP) HasKeyword(uid uint32, keyword string) bool {
	for _, fl := range f.Flags(uid) {
		if strings.EqualFold(fl, keyword) {
			return true
		}
	}
	return false
}

// FailStores makes the next n STORE commands fail (a connection lost
// between storing a mail and marking it).
func (f *IMAP) FailStores(n int) {
	f.mu.Lock()
	f.failStore = n
	f.mu.Unlock()
}

// Logins is how many times a client logged in.
func (f *IMAP) Logins() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins
}

// Updates implements backend.BackendUpdater: how Deliver reaches IDLE.
func (f *IMAP) Updates() <-chan backend.Update { return f.updates }

// Login implements backend.Backend.
func (f *IMAP) Login(_ *imap.ConnInfo, username, password string) (backend.User, error) {
	if username != f.Username || password != f.Password {
		return nil, errors.New("invalid credentials")
	}
	f.mu.Lock()
	f.logins++
	f.mu.Unlock()
	return user{f}, nil
}

type user struct{ f *IMAP }

func (u user) Username() string { return u.f.Username }
func (u user) ListMailboxes(bool) ([]backend.Mailbox, error) {
	return []backend.Mailbox{mailbox(u)}, nil
}
func (u user) GetMailbox(name string) (backend.Mailbox, error) {
	if name != "INBOX" {
		return nil, backend.ErrNoSuchMailbox
	}
	return mailbox(u), nil
}
func (u user) CreateMailbox(string) error         { return errors.New("emailtest: only INBOX") }
func (u user) DeleteMailbox(string) error         { return errors.New("emailtest: only INBOX") }
func (u user) RenameMailbox(string, string) error { return errors.New("emailtest: only INBOX") }
func (u user) Logout() error                      { return nil }

type mailbox struct{ f *IMAP }

func (m mailbox) Name() string { return "INBOX" }
func (m mailbox) Info() (*imap.MailboxInfo, error) {
	return &imap.MailboxInfo{Delimiter: "/", Name: "INBOX"}, nil
}

func (m mailbox) Status(items []imap.StatusItem) (*imap.MailboxStatus, error) {
	f := m.f
	f.mu.Lock()
	defer f.mu.Unlock()
	st := imap.NewMailboxStatus("INBOX", items)
	st.Flags = []string{imap.SeenFlag, imap.AnsweredFlag, imap.FlaggedFlag, imap.DeletedFlag, imap.DraftFlag}
	st.PermanentFlags = append(slices.Clone(st.Flags), "\\*")
	for _, it := range items {
		switch it {
		case imap.StatusMessages:
			st.Messages = uint32(len(f.msgs))
		case imap.StatusUidNext:
			st.UidNext = f.nextUID
		case imap.StatusUidValidity:
			st.UidValidity = f.UIDValidity
		case imap.StatusRecent:
			st.Recent = 0
		case imap.StatusUnseen:
			st.Unseen = 0
		}
	}
	return st, nil
}

func (m mailbox) SetSubscribed(bool) error { return nil }
func (m mailbox) Check() error             { return nil }

func (m mailbox) ListMessages(uid bool, set *imap.SeqSet, items []imap.FetchItem, ch chan<- *imap.Message) error {
	defer close(ch)
	f := m.f
	f.mu.Lock()
	var out []*imap.Message
	for i, msg := range f.msgs {
		id := uint32(i + 1)
		if uid {
			id = msg.Uid
		}
		if !set.Contains(id) {
			continue
		}
		fm, err := msg.Fetch(uint32(i+1), items)
		if err == nil {
			out = append(out, fm)
		}
	}
	f.mu.Unlock()
	for _, fm := range out {
		ch <- fm
	}
	return nil
}

func (m mailbox) SearchMessages(uid bool, c *imap.SearchCriteria) ([]uint32, error) {
	f := m.f
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []uint32
	for i, msg := range f.msgs {
		if ok, _ := msg.Match(uint32(i+1), c); !ok {
			continue
		}
		if uid {
			ids = append(ids, msg.Uid)
		} else {
			ids = append(ids, uint32(i+1))
		}
	}
	return ids, nil
}

// CreateMessage implements APPEND.
func (m mailbox) CreateMessage(flags []string, date time.Time, body imap.Literal) error {
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	uid := m.f.Deliver(raw)
	m.f.mu.Lock()
	defer m.f.mu.Unlock()
	for _, msg := range m.f.msgs {
		if msg.Uid == uid {
			msg.Flags = flags
			if !date.IsZero() {
				msg.Date = date
			}
		}
	}
	return nil
}

func (m mailbox) UpdateMessagesFlags(uid bool, set *imap.SeqSet, op imap.FlagsOp, flags []string) error {
	f := m.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failStore > 0 {
		f.failStore--
		return errors.New("emailtest: STORE refused")
	}
	for i, msg := range f.msgs {
		id := uint32(i + 1)
		if uid {
			id = msg.Uid
		}
		if set.Contains(id) {
			msg.Flags = backendutil.UpdateFlags(msg.Flags, op, flags)
		}
	}
	return nil
}

func (m mailbox) CopyMessages(bool, *imap.SeqSet, string) error {
	return errors.New("emailtest: only INBOX")
}

func (m mailbox) Expunge() error {
	f := m.f
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs = slices.DeleteFunc(f.msgs, func(msg *memory.Message) bool {
		return slices.Contains(msg.Flags, imap.DeletedFlag)
	})
	return nil
}
