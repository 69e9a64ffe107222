package email

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/client"

	"github.com/switchboard/switchboard/bridge"
)

// Server is where and how to log in to an IMAP or SMTP server.
type Server struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "tls" (implicit), "starttls" or "none" (tests, local relays).
	TLS string
}

func (s Server) addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Inbox is one mailbox: its address (the inbox id), the name replies are
// signed with, and its servers.
type Inbox struct {
	Address string
	Name    string
	IMAP    Server
	SMTP    Server
}

// Config is what NewClient needs.
type Config struct {
	Inboxes []Inbox
	// Lookback bounds which unmarked mail a receiver imports when it
	// (re)connects; 0 means 7 days.
	Lookback time.Duration
	// Timeout bounds one SMTP send or one IMAP command round; 0 means 60s.
	Timeout time.Duration
	// TLSConfig, when set, is used for TLS connections (tests trust a
	// self-signed certificate through it).
	TLSConfig *tls.Config
	Log       *slog.Logger
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// Hostname is the right side of generated Message-IDs; empty means
	// the domain of the inbox address.
	Hostname string
}

// Client is the e-mail customer channel: it sends over SMTP and receives
// over IMAP, for every configured inbox.
type Client struct {
	cfg     Config
	inboxes map[bridge.InboxID]Inbox
	log     *slog.Logger
}

var _ bridge.CustomerChannel = (*Client)(nil)

// NewClient builds the channel for cfg's inboxes.
func NewClient(cfg Config) *Client {
	if cfg.Lookback <= 0 {
		cfg.Lookback = 7 * 24 * time.Hour
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	c := &Client{cfg: cfg, inboxes: map[bridge.InboxID]Inbox{}, log: cfg.Log}
	for _, in := range cfg.Inboxes {
		c.inboxes[bridge.InboxID(strings.ToLower(in.Address))] = in
	}
	return c
}

// inbox finds a configured inbox.
func (c *Client) inbox(id bridge.InboxID) (Inbox, error) {
	in, ok := c.inboxes[bridge.InboxID(strings.ToLower(string(id)))]
	if !ok {
		return Inbox{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "unknown_inbox",
			Err: fmt.Errorf("e-mail inbox %q is not configured", id)}
	}
	return in, nil
}

func (c *Client) tlsConfig(host string) *tls.Config {
	if c.cfg.TLSConfig != nil {
		t := c.cfg.TLSConfig.Clone()
		if t.ServerName == "" {
			t.ServerName = host
		}
		return t
	}
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}

// dialIMAP connects and logs in to in's IMAP server. The connection is
// bounded by ctx: when ctx ends the connection is closed, which ends any
// command (IDLE too) waiting on it.
func (c *Client) dialIMAP(ctx context.Context, in Inbox) (*client.Client, error) {
	d := &net.Dialer{Timeout: c.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", in.IMAP.addr())
	if err != nil {
		return nil, fmt.Errorf("connect to IMAP %s: %w", in.IMAP.addr(), err)
	}
	if in.IMAP.TLS == "tls" {
		tc := tls.Client(conn, c.tlsConfig(in.IMAP.Host))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("TLS with IMAP %s: %w", in.IMAP.addr(), err)
		}
		conn = tc
	}
	cl, err := client.New(conn)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("IMAP greeting from %s: %w", in.IMAP.addr(), err)
	}
	cl.Timeout = c.cfg.Timeout
	cl.ErrorLog = imapLog{c.log}
	if in.IMAP.TLS == "starttls" {
		if err := cl.StartTLS(c.tlsConfig(in.IMAP.Host)); err != nil {
			cl.Logout()
			return nil, fmt.Errorf("STARTTLS with IMAP %s: %w", in.IMAP.addr(), err)
		}
	}
	if in.IMAP.Username != "" {
		if err := cl.Login(in.IMAP.Username, in.IMAP.Password); err != nil {
			cl.Logout()
			return nil, fmt.Errorf("IMAP login to %s as %s: %w", in.IMAP.addr(), in.IMAP.Username, err)
		}
	}
	return cl, nil
}

func (c *Client) now() time.Time { return c.cfg.Now() }

// imapLog sends the IMAP library's own complaints (a connection closed
// under a read) to slog at debug level.
type imapLog struct{ log *slog.Logger }

func (l imapLog) Printf(format string, v ...interface{}) {
	l.log.Debug("imap: " + fmt.Sprintf(format, v...))
}
func (l imapLog) Println(v ...interface{}) { l.log.Debug("imap: " + fmt.Sprint(v...)) }
