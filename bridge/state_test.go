package bridge

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTransition(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	pending := Conversation{ID: 1, State: StatePending}
	held := Conversation{ID: 1, State: StateAssigned, Assignee: "U1"}
	resolved := Conversation{ID: 1, State: StateResolved, Assignee: "U1", ResolvedAt: now.Add(-time.Hour)}
	cases := []struct {
		name         string
		conv         Conversation
		verb         Verb
		actor        string
		wantState    State
		wantAssignee string
		wantEvent    string
		wantRefusal  string
	}{
		{"claiming a waiting conversation assigns it", pending, VerbClaim, "U1", StateAssigned, "U1", EventClaimed, ""},
		{"claiming someone else's conversation is refused", held, VerbClaim, "U2", StateAssigned, "U1", "", "tell.claimed_by_other"},
		{"claiming your own conversation changes nothing", held, VerbClaim, "U1", StateAssigned, "U1", "", "tell.already_yours"},
		{"claiming a resolved conversation is refused", resolved, VerbClaim, "U2", StateResolved, "U1", "", "tell.already_resolved"},
		{"the holder unclaims back to waiting", held, VerbUnclaim, "U1", StatePending, "", EventUnclaimed, ""},
		{"only the holder unclaims", held, VerbUnclaim, "U2", StateAssigned, "U1", "", "tell.not_holder"},
		{"unclaiming a waiting conversation is refused", pending, VerbUnclaim, "U1", StatePending, "", "", "tell.not_claimed"},
		{"anyone in the team resolves", held, VerbResolve, "U2", StateResolved, "U1", EventResolved, ""},
		{"resolving twice is refused", resolved, VerbResolve, "U1", StateResolved, "U1", "", "tell.already_resolved"},
		{"reopening goes back to the holder", resolved, VerbReopen, "U2", StateAssigned, "U1", EventReopened, ""},
		{"reopening an open conversation is refused", pending, VerbReopen, "U2", StatePending, "", "", "tell.not_resolved"},
		{"an unknown verb is refused", pending, Verb("dance"), "U1", StatePending, "", "", "tell.unknown_command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, event, refusal := Transition(tc.conv, tc.verb, tc.actor, now)
			require.Equal(t, tc.wantState, next.State)
			require.Equal(t, tc.wantAssignee, next.Assignee)
			require.Equal(t, tc.wantEvent, event)
			require.Equal(t, tc.wantRefusal, refusal)
			if tc.wantEvent == EventResolved {
				require.Equal(t, now, next.ResolvedAt)
			}
			if tc.wantEvent == EventReopened {
				require.True(t, next.ResolvedAt.IsZero())
			}
		})
	}
}

func TestOnCustomerMessage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	open := Conversation{State: StateAssigned}
	recent := Conversation{State: StateResolved, ResolvedAt: now.Add(-time.Hour)}
	old := Conversation{State: StateResolved, ResolvedAt: now.Add(-48 * time.Hour)}
	cases := []struct {
		name   string
		latest Conversation
		found  bool
		window time.Duration
		want   CustomerArrival
	}{
		{"a first message starts a conversation", Conversation{}, false, 24 * time.Hour, ArrivalNew},
		{"an open conversation continues", open, true, 24 * time.Hour, ArrivalContinue},
		{"a recently resolved conversation reopens", recent, true, 24 * time.Hour, ArrivalReopen},
		{"a long-resolved conversation is replaced", old, true, 24 * time.Hour, ArrivalNew},
		{"a zero window never reopens", recent, true, 0, ArrivalNew},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, OnCustomerMessage(tc.latest, tc.found, now, tc.window))
		})
	}
}

func TestWindowOpen(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	require.True(t, WindowOpen(Conversation{LastCustomerAt: now.Add(-23 * time.Hour)}, now))
	require.False(t, WindowOpen(Conversation{LastCustomerAt: now.Add(-24 * time.Hour)}, now))
	require.False(t, WindowOpen(Conversation{}, now), "a conversation the customer never wrote in has no window")
}

func TestTextFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Claim", Text("en", "button.claim"))
	require.Equal(t, "Tomar", Text("es-AR", "button.claim"))
	require.Equal(t, "Assumir", Text("pt-BR", "button.claim"))
	require.Equal(t, "Claim", Text("de", "button.claim"))
	require.Empty(t, catalogDuplicates, "a catalogue key is defined in two files")
	for key, tr := range catalog {
		require.NotEmpty(t, tr["en"], "every text has English: %s", key)
		require.NotEmpty(t, tr["es"], "every text has Spanish: %s", key)
		require.NotEmpty(t, tr["pt"], "every text has Portuguese: %s", key)
	}
}
