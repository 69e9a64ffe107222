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
