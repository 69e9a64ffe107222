package app_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/messenger/messengertest"
)

// These flows rest on the bridge's channel semantics (issue 12, core):
// HUMAN_AGENT sends, echoes shown, watermark receipts.

// Between 24 hours and 7 days after the customer's last message, a
// person's reply goes with the HUMAN_AGENT tag.
func TestMessengerLateReplyCarriesTheHumanAgentTag(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		e.messengerWrites("m_late", time.Now().Add(-3*24*time.Hour), "Any news on my order?")
		card := e.waitCardAndThread("Any news on my order?")
		e.agentReplies("EvMH", card.TS, "1700000050.000100", "UAGENT1", "It left today")
		reply := fake.WaitForMessages(t, 1, waitLong)[0]
		require.JSONEq(t, `{"recipient":{"id":"`+customerPSID+`"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"It left today","metadata":"switchboard"}}`,
			string(reply.Raw))
	})
}

// A message the business sent from the Page inbox shows in the thread and
// is never sent again; a read watermark marks the agent's reply read.
func TestMessengerPageInboxEchoAndReadWatermark(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		fake := messengertest.New(t)
		e := setup(t, dialect, withMessenger(fake, ""))
		e.messengerWrites("m_q", time.Now(), "Can I change my address?")
		card := e.waitCardAndThread("Can I change my address?")

		// Typed by a colleague in Meta Business Suite: another app id, no
		// metadata of ours.
		e.customerMessages(messengertest.EchoItem(pageID, customerPSID, "m_pageinbox", "Yes, send it by DM", "263902037430900", "", time.Now()))
		e.waitCardAndThread("Sent from the Facebook Page inbox, outside switchboard", "Yes, send it by DM")

		e.agentReplies("EvMR", card.TS, "1700000060.000100", "UAGENT1", "Done, updated")
		fake.WaitForMessages(t, 1, waitLong)
		e.slack.WaitForReactions(t, hasReaction("1700000060.000100", "outbox_tray"), waitLong)
		e.customerMessages(messengertest.ReadItem(pageID, customerPSID, time.Now().Add(time.Second)))
		e.slack.WaitForReactions(t, hasReaction("1700000060.000100", "eye"), waitLong)

		for _, s := range fake.Sends() {
			if s.Body.Message != nil {
				require.NotEqual(t, "Yes, send it by DM", s.Body.Message.Text, "an echo is never sent again")
			}
		}
	})
}
