// Package metamsg is what Messenger and Instagram Direct share: both speak
// the Messenger Platform's shapes (Instagram messaging reuses them). It
// owns, for both adapters:
//
//   - the webhook envelope ({object, entry[]{id, time, messaging[]}}) and
//     its parse into a bridge.CustomerWebhook for one bridge.Channel
//     (Parse, ParseOptions);
//   - the Send API request body (SendRequest and its builders TextRequest,
//     AttachmentRequest, SenderActionRequest, ReactionRequest);
//   - Graph error decoding into *bridge.DeliveryError (Classify…);
//   - the X-Hub-Signature-256 check (VerifySignature).
//
// What it does not do: HTTP (each adapter's client.go and webhook.go),
// deciding anything about conversations, or talking to a workspace.
//
// Contract with the adapters and the bridge:
//
//   - Inbox is the entry's id: the Page id (Messenger) or the Instagram
//     professional account id; From is always the customer's scoped id
//     (PSID / IGSID), also on echoes, where the sender is the business.
//   - Timestamps on the wire are epoch milliseconds.
//   - An echo (message.is_echo) of switchboard's own send is dropped:
//     every send carries metadata EchoTag (SendRequest.Message.Metadata),
//     which Meta returns in the echo; an echo with ParseOptions.AppID as
//     app_id is dropped too. Every other echo (sent from the Page inbox,
//     Meta Business Suite, another app) becomes an InboundMessage with
//     Echo set, shown in the thread and never sent again.
//   - A message with several attachments becomes one InboundMessage per
//     attachment; the first keeps the mid, the others get mid#i so each
//     has its own dedupe key. Attachments arrive as CDN URLs: Media.ID is
//     the URL, and the adapter's DownloadMedia fetches it.
//   - delivery and read become DeliveryReceipts with Watermark set (every
//     message to that customer up to the watermark); delivery lists the
//     mids it covers, one receipt each.
//   - reaction becomes KindReaction (empty emoji: removed), postback and
//     quick_reply become KindInteractive with Interactive.ID the payload.
//     Neither reactions nor postbacks carry an id of their own, so their
//     ExternalID is derived from what they act on and their timestamp.
//   - message_edit is KindEdit and is_deleted is KindRevoke, with the
//     target in ReplyTo (as adapters/whatsapp does).
//   - Any messaging item the parser does not know (optin, referral,
//     handover…) is kept as KindUnknown with its raw JSON.
package metamsg

// EchoTag is the metadata every switchboard send carries, so Meta's echo
// of it (message_echoes) is recognised and dropped.
const EchoTag = "switchboard"
