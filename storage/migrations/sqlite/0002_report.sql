-- Reports load a team's conversations that were open in, or resolved
-- during or after, a period (storage/report.go). An open conversation has
-- resolved_ms = 0, so (team, resolved_ms) finds both halves with two range
-- scans; opened_ms is carried so the period's end is checked in the index.
CREATE INDEX conversations_team_resolved ON conversations (team, resolved_ms, opened_ms);
