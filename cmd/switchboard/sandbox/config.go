package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/switchboard/switchboard/configs"
)

// secrets are the throwaway credentials of one sandbox run: the
// simulators and switchboard share them, nobody else knows them.
type secrets struct {
	accessToken, appSecret, verifyToken, signingSecret string
}

func newSecrets() secrets {
	return secrets{accessToken: "sandbox-" + randomHex(16), appSecret: randomHex(16), verifyToken: randomHex(8),
		signingSecret: randomHex(16)}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b)
}

// buildConfig is switchboard's configuration in the sandbox: the example
// configuration's Slack teams, routing rules, classifier and canned
// responses (configs/switchboard.example.yaml), pointed at the
// simulators, on a fresh SQLite file in dir. What it leaves out, and why:
//   - the Discord teams (gaming, community): the sandbox simulates Slack
//     only, and no routing rule of the example sends anything to them;
//   - business hours, shifts, SLA targets, reminders and digests: a
//     sandbox opened at night would only show away messages;
//   - the second inbox (Sales line): the phone writes to one number.
//
// The knowledge base is the example's demo (configs/knowledge/), written
// from the binary (configs.DemoKnowledge) into dir/knowledge, so that the
// offline assistant's suggestions cite it whatever the working directory.
//
// support assigns round robin to Ana and Bruno (pinned members); sales
// waits for Carla to claim, as in the example.
// TestSandboxRunsTheExampleConfiguration keeps this copy in step with the
// example.
func buildConfig(dir, waURL, slackURL string, s secrets) (*configs.Config, error) {
	kb := filepath.Join(dir, "knowledge")
	// CopyFS writes no file that exists: start from an empty folder.
	if err := os.RemoveAll(kb); err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	if err := os.CopyFS(dir, configs.DemoKnowledge); err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	yaml := fmt.Sprintf(`
server:
  listen: 127.0.0.1:0
  shutdown_timeout: 5s
database:
  url: %q
whatsapp:
  graph_api_url: %q
  access_token: %q
  app_secret: %q
  verify_token: %q
  business_account_id: %q
  inboxes:
    - phone_number_id: %q
      name: %q
      team: support
      country: ES
slack:
  api_url: %q
  bot_token: %q
  signing_secret: %q
  posts_per_minute: 0
  customize_identity: true
teams:
  - name: support
    slack_channel: %s
    language: en
    supervisors: [%s]
    members: [%s, %s]
    strategy: round_robin
    capacity: 5
    read_receipts: on_reply
    canned_responses:
      - name: refund
        text:
          en: "Hi {{contact.first_name}}, I'm {{agent.name}}. Your refund for case #{{conversation.id}} is on its way: 3 to 5 working days."
          es: "Hola {{contact.first_name}}, soy {{agent.name}}. Tu reembolso del caso #{{conversation.id}} está en camino: de 3 a 5 días hábiles."
  - name: sales
    slack_channel: %s
    language: es
    supervisors: [%s]
    strategy: manual
canned_responses:
  - name: greeting
    text:
      en: "Hi {{contact.first_name}}! I'm {{agent.name}} from the {{team.name}} team. How can I help?"
      es: "¡Hola {{contact.first_name}}! Soy {{agent.name}}, del equipo {{team.name}}. ¿En qué puedo ayudarte?"
      pt: "Olá {{contact.first_name}}! Sou {{agent.name}}, da equipe {{team.name}}. Como posso ajudar?"
  - name: opening-hours
    text: "Mon–Fri 9:00–18:00 (CET) · Lun–Vie 9:00–18:00 · Seg–Sex 9:00–18:00"
default_team: support
routing:
  id: root
  team: support
  routes:
    - id: refunds
      team: sales
      match: {keywords: [devolucion, reembolso, "money back", refund]}
    - id: orders
      match: {contains_regex: 'pedido #?\d+'}
    - id: billing-by-classifier
      team: sales
      match: {classifier: {label: billing, min_confidence: 0.7}}
classifier:
  threshold: 0.6
  examples:
    billing: ["quiero una factura", "I was charged twice", "cobrança errada no cartão"]
    sales: ["cuánto cuesta", "quero comprar", "do you ship to Canada"]
options:
  auto_claim_on_reply: true
assistant:
  knowledge:
    sources:
      - path: %q
      - team: support
        path: %q
    chunk_chars: 1200
    overlap_chars: 200
`, "sqlite:"+filepath.Join(dir, "sandbox.db"), waURL, s.accessToken, s.appSecret, s.verifyToken, businessAccount,
		phoneNumberID, businessName, slackURL, botToken, s.signingSecret,
		supportChannel, sam, ana, bruno, salesChannel, sam, kb, filepath.Join(kb, "support"))
	return configs.Parse([]byte(yaml), "sandbox (built in)", func(string) string { return "" })
}
