package bridge

import "testing"

func TestStandingDecidesWhoMayAct(t *testing.T) {
	t.Parallel()
	slack := Team{Name: "support", Workspace: WorkspaceSlack, ChannelID: "C1", MoreChannels: []string{"C2"},
		Members: []string{"UPIN"}, Exclude: []string{"UEXC"}, Supervisors: []string{"USUP"}}
	discord := Team{Name: "gaming", Workspace: WorkspaceDiscord, ChannelID: "D1", Role: "R1", Supervisors: []string{"DSUP"}}
	listedDiscord := Team{Name: "listed", Workspace: WorkspaceDiscord, ChannelID: "D2", Members: []string{"DPIN"}}
	loaded := func(ids ...string) Roster { return Roster{Members: ids, Loaded: true} }
	never := Roster{}
	tests := []struct {
		name    string
		team    Team
		person  Person
		rosters []Roster
		want    Standing
	}{
		{"a channel member is an agent", slack, Person{ID: "UANA"}, []Roster{loaded("UANA"), loaded()}, StandingAgent},
		{"a member of the team's second channel is an agent", slack, Person{ID: "UANA"}, []Roster{loaded(), loaded("UANA")}, StandingAgent},
		{"someone in no channel is an outsider", slack, Person{ID: "UZED"}, []Roster{loaded("UANA"), loaded()}, StandingOutsider},
		{"an empty channel makes nobody an agent", slack, Person{ID: "UZED"}, []Roster{loaded(), loaded()}, StandingOutsider},
		{"an unread channel list is unknown, never open", slack, Person{ID: "UANA"}, []Roster{never, never}, StandingUnknown},
		{"one unread channel keeps the answer unknown", slack, Person{ID: "UANA"}, []Roster{loaded("UBEA"), never}, StandingUnknown},
		{"found in the read channel while the other is unread", slack, Person{ID: "UBEA"}, []Roster{loaded("UBEA"), never}, StandingAgent},
		{"a pinned member acts even when the list is unread", slack, Person{ID: "UPIN"}, []Roster{never, never}, StandingAgent},
		{"a pinned member acts without being in the channel", slack, Person{ID: "UPIN"}, []Roster{loaded(), loaded()}, StandingAgent},
		{"a supervisor always acts", slack, Person{ID: "USUP"}, []Roster{never}, StandingSupervisor},
		{"an excluded person never acts, even in the channel", slack, Person{ID: "UEXC"}, []Roster{loaded("UEXC"), loaded()}, StandingOutsider},
		{"a Slack Connect guest in the channel is not an agent", slack, Person{ID: "UGST", Guest: true}, []Roster{loaded("UGST"), loaded()}, StandingOutsider},
		{"a guest pinned as member is an agent", slack, Person{ID: "UPIN", Guest: true}, []Roster{loaded(), loaded()}, StandingAgent},
		{"nobody without an id", slack, Person{}, []Roster{loaded(""), loaded()}, StandingOutsider},
		{"a holder of the team's role is an agent", discord, Person{ID: "D7", Roles: []string{"R9", "R1"}}, nil, StandingAgent},
		{"without the role, an outsider", discord, Person{ID: "D7", Roles: []string{"R9"}}, nil, StandingOutsider},
		{"roles unknown, an outsider", discord, Person{ID: "D7"}, nil, StandingOutsider},
		{"a Discord supervisor without the role", discord, Person{ID: "DSUP"}, nil, StandingSupervisor},
		{"a listed Discord team: its members", listedDiscord, Person{ID: "DPIN"}, nil, StandingAgent},
		{"a listed Discord team: nobody else", listedDiscord, Person{ID: "D7", Roles: []string{"R1"}}, nil, StandingOutsider},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := standing(tc.team, tc.person, tc.rosters); got != tc.want {
				t.Fatalf("standing = %d, want %d", got, tc.want)
			}
			if tc.want.mayAct() != (tc.want == StandingAgent || tc.want == StandingSupervisor) {
				t.Fatalf("mayAct(%d) is wrong", tc.want)
			}
		})
	}
}

func TestRefusalSaysWhy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    Standing
		p    Person
		want string
	}{
		{StandingUnknown, Person{ID: "U1"}, "tell.membership_unknown"},
		{StandingOutsider, Person{ID: "U1", Guest: true}, "tell.guest"},
		{StandingOutsider, Person{ID: "U1"}, "tell.not_member"},
	} {
		if got := refusalKey(tc.s, tc.p); got != tc.want {
			t.Errorf("refusalKey(%d, %+v) = %s, want %s", tc.s, tc.p, got, tc.want)
		}
		for _, lang := range []string{"en", "es", "pt"} {
			if text := Text(lang, tc.want, "support"); text == tc.want {
				t.Errorf("%s has no %s text", tc.want, lang)
			}
		}
	}
}
