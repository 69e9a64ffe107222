package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-message"

	"github.com/switchboard/switchboard/bridge"
)

func tlsClient(conn net.Conn, cfg *tls.Config) net.Conn { return tls.Client(conn, cfg) }

// DownloadMedia fetches an attachment a customer sent: it logs in to the
// inbox's mailbox, checks the mailbox is still the one the id was made in
// (UIDVALIDITY), fetches the mail by UID without marking it seen and
// returns its Index-th attachment, counted as Parse counts them.
func (c *Client) DownloadMedia(ctx context.Context, mediaID string) (bridge.File, error) {
	ref, err := ParseMediaRef(mediaID)
	if err != nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "bad_media_id", Err: err}
	}
	in, err := c.inbox(ref.Inbox)
	if err != nil {
		return bridge.File{}, err
	}
	raw, err := c.fetchRaw(ctx, in, ref.UIDValidity, ref.UID)
	if err != nil {
		return bridge.File{}, err
	}
	return attachmentAt(raw, ref.Index)
}

// fetchRaw fetches one mail's whole source by UID.
func (c *Client) fetchRaw(ctx context.Context, in Inbox, uidValidity, uid uint32) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	cl, err := c.dialIMAP(ctx, in)
	if err != nil {
		return nil, &bridge.DeliveryError{Code: "imap", Err: err}
	}
	stop := context.AfterFunc(ctx, func() { cl.Terminate() })
	defer stop()
	defer cl.Logout()
	st, err := cl.Select("INBOX", true)
	if err != nil {
		return nil, &bridge.DeliveryError{Code: "imap", Err: fmt.Errorf("select INBOX: %w", err)}
	}
	if st.UidValidity != uidValidity {
		return nil, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "uidvalidity",
			Err: fmt.Errorf("the mailbox changed (UIDVALIDITY %d, media id made in %d): the mail is gone", st.UidValidity, uidValidity)}
	}
	return fetchUID(cl, uid)
}

// attachmentAt walks raw the way Parse does and returns attachment n.
func attachmentAt(raw []byte, n int) (bridge.File, error) {
	ent, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return bridge.File{}, fmt.Errorf("read mail: %w", err)
	}
	var out *bridge.File
	i := 0
	_ = eachPart(ent, func(part *message.Entity, mt, name string, attachment bool) {
		if !attachment || out != nil {
			return
		}
		if i == n {
			if data, err := io.ReadAll(io.LimitReader(part.Body, maxMailBytes)); err == nil {
				out = &bridge.File{Name: name, MimeType: mt, Data: data}
			}
		}
		i++
	})
	if out == nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_attachment",
			Err: fmt.Errorf("the mail has no attachment %d", n)}
	}
	return *out, nil
}

// fetchUID fetches the source of mail uid in the selected mailbox without
// setting \Seen (BODY.PEEK[]).
func fetchUID(cl imapFetcher, uid uint32) ([]byte, error) {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message, 1)
	done := make(chan error, 1)
	go func() { done <- cl.UidFetch(set, []imap.FetchItem{section.FetchItem(), imap.FetchUid}, ch) }()
	var raw []byte
	for m := range ch {
		if lit := m.GetBody(section); lit != nil {
			raw, _ = io.ReadAll(lit)
		}
	}
	if err := <-done; err != nil {
		return nil, &bridge.DeliveryError{Code: "imap", Err: fmt.Errorf("fetch UID %d: %w", uid, err)}
	}
	if raw == nil {
		return nil, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "gone",
			Err: fmt.Errorf("mail UID %d is no longer in the mailbox", uid)}
	}
	return raw, nil
}

// imapFetcher is the part of the IMAP client fetchUID uses.
type imapFetcher interface {
	UidFetch(seqset *imap.SeqSet, items []imap.FetchItem, ch chan *imap.Message) error
}
