package discord

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Every message a delivery posts carries the delivery's key as its nonce
// with enforce_nonce: Discord itself then answers a repeat of the same
// nonce by the same author within a few minutes with the message already
// made, instead of making a second one. A delivery whose first attempt
// reached Discord unrecorded (a database outage, a killed process) is
// therefore posted once without a lookup, as long as it is retried within
// that window; a retry later than that (an outage of many minutes) can
// still post again. Discord returns no nonce on messages read back, so
// there is nothing to look for after the window.
//
// discordgo v0.29.0's MessageSend has neither field, so sendMessage sends
// the body ChannelMessageSendComplex would, plus the two fields, through
// the session's own request path (same rate-limit bucket, same client).
//
// A forum post's starter message cannot carry a nonce (Discord's Start
// Thread in Forum takes none): a card in a forum may still be posted twice
// after an unrecorded first attempt.

// codeThreadExists is Discord's answer to starting a second thread from
// one message.
const codeThreadExists = 160004

// nonceSend is a MessageSend with the nonce fields.
type nonceSend struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// sendMessage posts data in channelID. Inside a delivery (ctx carries its
// key) the i-th message of the delivery goes with its nonce enforced;
// outside one it is ChannelMessageSendComplex.
func (w *Workspace) sendMessage(ctx context.Context, channelID string, data *discordgo.MessageSend, i int) (*discordgo.Message, error) {
	opt := discordgo.WithContext(ctx)
	dk, ok := bridge.DeliveryKeyFrom(ctx)
	if !ok {
		return w.s.ChannelMessageSendComplex(channelID, data, opt)
	}
	for _, embed := range data.Embeds {
		if embed.Type == "" {
			embed.Type = "rich" // as ChannelMessageSendComplex does
		}
	}
	body := nonceSend{MessageSend: data, Nonce: dk.Part(i), EnforceNonce: true}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	var (
		raw []byte
		err error
	)
	if len(data.Files) > 0 {
		contentType, multipart, err := discordgo.MultipartBodyWithJSON(body, data.Files)
		if err != nil {
			return nil, err
		}
		raw, err = w.s.RequestRaw("POST", endpoint, contentType, multipart, endpoint, 0, opt)
		if err != nil {
			return nil, err
		}
	} else if raw, err = w.s.RequestWithBucketID("POST", endpoint, body, endpoint, opt); err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(raw, &msg); err != nil {
		return nil, fmt.Errorf("%w: %w", discordgo.ErrJSONUnmarshal, err)
	}
	return &msg, nil
}
