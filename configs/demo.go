package configs

import "embed"

// DemoKnowledge is the example configuration's knowledge base: the
// folder knowledge/ (configs/knowledge/), which switchboard.example.yaml
// lists under assistant.knowledge.sources. It is built into the binary
// for the sandbox, which runs from any working directory and writes it
// into its temporary folder. A small demo, not a default: serve reads
// only the folders a configuration names.
//
//go:embed knowledge
var DemoKnowledge embed.FS
