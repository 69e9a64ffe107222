// Package email is the e-mail customer channel (issue 12): each inbox is a
// mailbox read over IMAP and answered over SMTP.
//
// The files carry the same names as adapters/whatsapp for the same jobs:
// client.go (servers, connections, log-in), webhook.go (the inbound side:
// here an IMAP IDLE receiver instead of an HTTP webhook), parse.go (MIME →
// bridge.InboundMessage), send.go (SMTP), media.go (attachments fetched
// again over IMAP) and errors.go (SMTP/IMAP errors → *bridge.DeliveryError).
// There is no signature.go: mail is not pushed to us, we log in to fetch it,
// so there is no request signature to check.
//
// What is marked in the mailbox: once a mail is stored by the bridge the
// receiver sets the keyword $Switchboard on it (never \Seen, so people
// reading the same mailbox still see it as new). On every (re)connection
// the receiver imports mail without that keyword that arrived in the last
// Lookback (7 days by default), so a first start does not import years of
// mail. A crash between storing and marking hands the same Message-ID to
// the bridge again, whose dedupe ignores it.
//
// What is skipped (marked, never shown): mail from the inbox's own
// address, automatic replies (Auto-Submitted other than "no", Precedence
// bulk/junk/list/auto_reply, X-Autoreply, X-Autorespond). Bounces
// (multipart/report delivery-status, or from MAILER-DAEMON/postmaster) are
// not shown as customer messages: when they name the Message-ID of a mail
// switchboard sent, they become a failed delivery receipt for it.
package email
