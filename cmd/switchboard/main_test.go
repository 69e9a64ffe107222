package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckConfigNamesTheMistake(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte("teams:\n  - name: support\n    slak_channel: C0123456789\n"), 0o600))
	err := run([]string{"check-config", "-config", path})
	require.Error(t, err)
	require.Contains(t, err.Error(), "line 3")
	require.Contains(t, err.Error(), `"slak_channel"`)
	require.Contains(t, err.Error(), "slack_channel", "suggests the right key")
}

func TestCheckConfigAcceptsTheExample(t *testing.T) {
	t.Parallel()
	require.NoError(t, run([]string{"check-config", "-config", "../../configs/switchboard.example.yaml"}))
}

func TestUnknownCommandIsExplained(t *testing.T) {
	t.Parallel()
	err := run([]string{"serv"})
	require.ErrorContains(t, err, `unknown command "serv"`)
}

func TestRouteExplainNamesTheRule(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig("../../configs/switchboard.example.yaml")
	require.NoError(t, err)
	var out strings.Builder
	o := addRouteFlags(flag.NewFlagSet("route", flag.ContinueOnError))
	*o.explainText = "Quiero una DEVOLUCIÓN de mi compra"
	*o.at = "2026-11-25T11:00:00+01:00"
	require.NoError(t, o.explain(cfg, nil, &out))
	require.Contains(t, out.String(), "refunds")
	require.Contains(t, out.String(), "sales")
}

func TestHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "help"}, {"help", "-h"}} {
		var out, errOut strings.Builder
		require.NoError(t, runWith(args, &out, &errOut), args)
		require.Empty(t, errOut.String(), args)
		for _, c := range []string{"serve", "sandbox", "doctor", "slack-manifest", "migrate", "check-config", "route", "report", "kb", "contact", "version", "help"} {
			require.Regexp(t, `(?m)^  `+c+` +\S`, out.String(), "%v lists %s with its line", args, c)
		}
	}
}

func TestEveryCommandExplainsItsFlags(t *testing.T) {
	t.Parallel()
	flags := map[string][]string{
		"serve":          {"-config", "-sandbox"},
		"sandbox":        {"-config", "-listen"},
		"doctor":         {"-config", "-timeout"},
		"slack-manifest": {"-config", "-public-url"},
		"migrate":        {"-config"},
		"check-config":   {"-config"},
		"version":        {"-config"},
		"route":          {"-config", "-explain", "-inbox", "-channel", "-at", "-labels"},
		"kb":             {"-config", "-team", "-k"},
		"contact":        {"-config", "-o", "-yes"},
		"report":         {"-config", "-from", "-to", "-period", "-team", "-agent", "-inbox", "-channel", "-label", "-format", "-by-agent", "-resummarise"},
	}
	for _, c := range commands {
		if c.name != "help" {
			require.Contains(t, flags, c.name, "the test knows every command")
		}
	}
	for cmd, want := range flags {
		for _, form := range [][]string{{cmd, "-h"}, {cmd, "--help"}, {"help", cmd}} {
			var out, errOut strings.Builder
			require.NoError(t, runWith(form, &out, &errOut), "%v exits 0", form)
			require.Empty(t, errOut.String(), form)
			require.Contains(t, out.String(), "Usage: switchboard "+cmd+" ")
			for _, f := range want {
				require.Regexp(t, `(?m)^  `+f+`( \w+)? +\S`, out.String(), "%v explains %s on its line", form, f)
			}
		}
	}
}

func TestUnknownCommandPrintsTheListAndExits2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"serv"}, {"help", "serv"}} {
		var out, errOut strings.Builder
		err := runWith(args, &out, &errOut)
		require.ErrorIs(t, err, errUsage, "main exits 2 on errUsage")
		require.Empty(t, out.String())
		require.Contains(t, errOut.String(), `unknown command "serv"`)
		require.Contains(t, errOut.String(), "  check-config ")
	}
	var out, errOut strings.Builder
	require.ErrorIs(t, runWith([]string{"report", "-nope"}, &out, &errOut), errUsage, "a bad flag is a usage mistake too")
	require.Contains(t, errOut.String(), "-nope")
	require.Contains(t, errOut.String(), "-format")
}
