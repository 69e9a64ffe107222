package configs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// The contacts section becomes the CRM schema; its mistakes name the
// field and the fix.
func TestContactsSection(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(minimal+"contacts:\n  stages: [Prospecto, Cliente]\n  attributes:\n    - {name: plan, type: list, options: [free, gold]}\n    - {name: seats, type: number}\n    - {name: company}\n"), "x.yaml", noEnv)
	require.NoError(t, err)
	s := c.Contacts.Schema()
	require.Equal(t, []string{"Prospecto", "Cliente"}, s.Stages)
	require.Equal(t, contacts.KindList, s.Attribute("plan").Kind)
	require.Equal(t, contacts.KindText, s.Attribute("company").Kind, "no type is text")

	c, err = Parse([]byte(minimal), "x.yaml", noEnv)
	require.NoError(t, err)
	require.Equal(t, contacts.DefaultStages, c.Contacts.Schema().Stages)

	for _, tc := range []struct{ name, yaml, want string }{
		{"an empty stage", "contacts:\n  stages: [lead, '']\n", "contacts.stages[1]: a stage needs a name"},
		{"a stage twice", "contacts:\n  stages: [lead, Lead]\n", `contacts.stages[1]: stage "Lead" is listed twice`},
		{"a bad name", "contacts:\n  attributes:\n    - {name: Plan Type}\n", `contacts.attributes[0].name: attribute name "Plan Type" must be lower case`},
		{"a name twice", "contacts:\n  attributes:\n    - {name: plan}\n    - {name: plan}\n", `contacts.attributes[1].name: attribute "plan" is declared twice`},
		{"an unknown type", "contacts:\n  attributes:\n    - {name: plan, type: enum}\n", `contacts.attributes[0].type: type "enum" is not one of text, number, date, list`},
		{"a list without options", "contacts:\n  attributes:\n    - {name: plan, type: list}\n", "contacts.attributes[0].options: a list attribute needs its options"},
		{"options on a number", "contacts:\n  attributes:\n    - {name: seats, type: number, options: [1]}\n", "contacts.attributes[0].options: options are only for type: list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(minimal+tc.yaml), "x.yaml", noEnv)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// A canned response may use {{contact.<attribute>}} for a declared
// attribute, and only for one.
func TestCannedContactAttributes(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(minimal+"contacts:\n  attributes:\n    - {name: plan}\ncanned_responses:\n  - name: plan\n    text: \"Your plan is {{contact.plan}}\"\n"), "x.yaml", noEnv)
	require.NoError(t, err)
	_, err = Parse([]byte(minimal+"canned_responses:\n  - name: plan\n    text: \"Your plan is {{contact.plan}}\"\n"), "x.yaml", noEnv)
	require.ErrorContains(t, err, "contact.plan")
}
