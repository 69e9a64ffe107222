package sandbox_test

// Tests of the sandbox page in a real headless Chromium (Debian's chromium
// package), driven with chromedp. `make test` and .ci/run find or install
// Chromium with .ci/ensure-chromium and pass its path as CHROMIUM_PATH.
// Screenshots go to $SANDBOX_SCREENSHOTS/<test name> (.ci/run sets it),
// or to a temporary directory kept, and logged, only when the test fails.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/cmd/switchboard/sandbox"
)

// chromiumPath finds Chromium. Without one the test fails under CI=true
// (CI installs it, so a missing browser is a broken machine) and is
// skipped elsewhere, saying how to get it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const how = "install Debian's chromium package (apt-get install chromium, or run .ci/ensure-chromium as root) or set CHROMIUM_PATH"
	if os.Getenv("CI") == "true" {
		t.Fatalf("no Chromium for the browser test: %s", how)
	}
	t.Skipf("no Chromium for the browser test: %s", how)
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile, closed when
// the test ends, and returns a tab's context bounded by timeout.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // root on CI machines
		chromedp.DisableGPU,
		// No connection may leave the machine: Chromium's own background
		// traffic is refused there and slows it down.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	return ctx
}

// screenshots returns the directory for this test's screenshots: its own,
// so that tests running in parallel do not overwrite each other's
// failed.png.
func screenshots(t *testing.T) string {
	t.Helper()
	if base := os.Getenv("SANDBOX_SCREENSHOTS"); base != "" {
		dir := filepath.Join(base, t.Name())
		require.NoError(t, os.MkdirAll(dir, 0o755))
		t.Logf("screenshots in %s", dir)
		return dir
	}
	dir, err := os.MkdirTemp("", "sandbox-screenshots-")
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screenshots kept in %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	return dir
}

func screenshot(ctx context.Context, t *testing.T, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err, "screenshot %s", name)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// TestMrkdwnRendersFormattingAndEscapesEverything runs the page's mrkdwn.js
// in Chromium over a table: Slack's and WhatsApp's formatting becomes
// HTML, and no text, link or mention can inject markup.
func TestMrkdwnRendersFormattingAndEscapesEverything(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.FileServer(http.Dir("web")))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t, 20*time.Second)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/mrkdwn.js"), // any page of the origin: the script is loaded below
		chromedp.Evaluate[chromedp.Void](`new Promise((ok, fail) => { const s = document.createElement("script"); s.src = "/mrkdwn.js"; s.onload = ok; s.onerror = fail; document.head.append(s); })`, chromedp.EvalAwaitPromise),
	))

	slack := []struct{ name, in, want string }{
		{"bold, italic, strike and code", "*bold* _it_ ~gone~ `x < y`", "<b>bold</b> <i>it</i> <s>gone</s> <code>x &lt; y</code>"},
		{"markers inside words stay", "a*b*c 2*3*4 snake_case_name", "a*b*c 2*3*4 snake_case_name"},
		{"a labelled link", "<https://example.com/a?b=1&amp;c=2|the order>", `<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the order</a>`},
		{"a bare link", "<https://example.com>", `<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>`},
		{"a written-out address is a link, without the sentence's full stop", "moved: https://example.slack.com/archives/C1/p1700000000000100.", `moved: <a href="https://example.slack.com/archives/C1/p1700000000000100" target="_blank" rel="noopener noreferrer">https://example.slack.com/archives/C1/p1700000000000100</a>.`},
		{"a javascript: link is text", "<javascript:alert(1)|click me>", "click me"},
		{"user mentions become names", "hi <@U1> and <@U2|bruno>", `hi <span class="mention">@Ana</span> and <span class="mention">@bruno</span>`},
		{"channel mentions", "<#C1> <#C2|ventas>", `<span class="mention">#support</span> <span class="mention">#ventas</span>`},
		{"special mentions", "<!here>", `<span class="mention">@here</span>`},
		{"Slack's escapes are shown as characters, escaped again", "&lt;b&gt;not bold&lt;/b&gt; &amp; co", "&lt;b&gt;not bold&lt;/b&gt; &amp; co"},
		{"markup in a label is escaped", `<https://example.com|<img src=x onerror=alert(1)>>`, `&lt;<a href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>|img src=x onerror=alert(1)&gt;`},
		{"quotes in a link cannot leave the attribute", `<https://example.com/"onmouseover="x|a>`, `<a href="https://example.com/&quot;onmouseover=&quot;x" target="_blank" rel="noopener noreferrer">a</a>`},
		{"line breaks and quotes", "one\ntwo\n&gt; quoted", `one<br>two<br><span class="quote">quoted</span>`},
		{"code blocks keep their text", "```a *b*\n<c>```", "<pre>a *b*\n&lt;c&gt;</pre>"},
		{"placeholders cannot be forged", "\ue0000\ue000 *x*", "0 <b>x</b>"},
		{"dates show their fallback's instant in the reader's time", "<!date^0^{date}|1970>", `<span class="date">`},
	}
	for _, tc := range slack {
		t.Run("slack: "+tc.name, func(t *testing.T) {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`Mrkdwn.slack(`+jsString(tc.in)+`, {U1: "Ana"}, {C1: "support"})`))
			require.NoError(t, err)
			if tc.name == "dates show their fallback's instant in the reader's time" {
				require.Contains(t, got, tc.want)
				return
			}
			require.Equal(t, tc.want, got)
		})
	}

	whatsapp := []struct{ name, in, want string }{
		{"formatting", "*Hola* _Ana_ ~no~ ```mono```", "<b>Hola</b> <i>Ana</i> <s>no</s> <pre>mono</pre>"},
		{"markup is text", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"links", "see https://example.com/x?a=1&b=2 now", `see <a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">https://example.com/x?a=1&amp;b=2</a> now`},
		{"line breaks", "a\nb", "a<br>b"},
	}
	for _, tc := range whatsapp {
		t.Run("whatsapp: "+tc.name, func(t *testing.T) {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Mrkdwn.whatsapp(`+jsString(tc.in)+`)`))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// jsString quotes s as a JavaScript string literal (JSON is one).
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSandboxPageCarriesAConversationBothWays plays both sides of a
// conversation in the page, as a person would: a customer writes on the
// phone, the thread and its status card appear in the team's channel, the
// agent replies in the thread, the reply reaches the phone with its
// receipts (delivered, then read once the chat is open, also shown on the
// agent's message), the customer's photo reaches the thread, the agent
// resolves from the card, and the customer answers the satisfaction
// survey with a reply button.
func TestSandboxPageCarriesAConversationBothWays(t *testing.T) {
	t.Parallel()
	url := startSandbox(t)
	ctx := newBrowser(t, 3*time.Minute)
	shots := screenshots(t)
	page := newPage(t, ctx, shots)

	page.do("open the page", chromedp.Navigate(url))
	page.wait("the SANDBOX label and the guided script", `document.querySelector("#sandbox-label").textContent === "SANDBOX" && document.querySelectorAll("#script .step").length > 0`)

	// The chat starts closed, so the reply's delivered state holds until
	// the test opens it.
	page.do("close the chat on the phone", click("#wa-open"))
	page.wait("the chat closed", `!document.querySelector("#wa-open").checked`)

	const customer = "Marta Prueba"
	const question = "Quiero un reembolso de mi pedido 4411"
	page.do("add a customer",
		click("#add-customer"),
		chromedp.SetValue("#new-name", customer),
		chromedp.SetValue("#new-wa", "34600999888"),
		click(`#new-customer button[type="submit"]`))
	page.wait("the new customer chosen on the phone", `document.querySelector("#customer").value === "34600999888"`)
	page.do("write as the customer",
		chromedp.SetValue("#wa-text", question),
		click("#wa-send"))
	page.wait("the customer's message on the phone", `[...document.querySelectorAll('#wa-chat .wa-msg[data-from="customer"]')].some(m => m.textContent.includes(`+jsString(question)+`))`)

	// The example configuration routes refunds to the sales team: act as
	// one of its agents, in its channel.
	agent := page.actAsAgentOf("sales")
	page.do("open the sales channel", click(`#channels li[data-team="sales"]`))

	card := `[...document.querySelectorAll("#ch-messages .msg")].find(m => m.querySelector(".blk-header") && m.textContent.includes(` + jsString(customer) + `))`
	page.wait("the conversation's status card in the channel", card+` && `+card+`.querySelector('button[data-action-id="sb:resolve"]')`)
	screenshot(ctx, t, shots, "1-card")

	page.js("open the thread", card+`.querySelector(".replies, .reply-in-thread").click()`)
	page.wait("the customer's message in the thread", `[...document.querySelectorAll("#th-messages .msg")].some(m => m.textContent.includes(`+jsString(question)+`))`)

	const reply = "Hola Marta, ya estoy con tu reembolso"
	page.do("reply as the agent",
		chromedp.SetValue("#th-text", reply),
		click(`#th-composer button[type="submit"]`))
	page.wait("the reply in the thread", `[...document.querySelectorAll('#th-messages .msg[data-user="`+agent+`"]')].some(m => m.textContent.includes(`+jsString(reply)+`))`)

	onPhone := `[...document.querySelectorAll('#wa-chat .wa-msg[data-from="business"]')].find(m => m.textContent.includes(` + jsString(reply) + `))`
	page.wait("the reply on the phone, delivered", onPhone+` && `+onPhone+`.dataset.status === "delivered"`)
	require.Equal(t, "✓✓", page.eval("the delivered ticks", onPhone+`.querySelector(".ticks").textContent`))
	require.Equal(t, "sent delivered", page.eval("the reply's receipts so far, in order", onPhone+`.dataset.receipts`))
	screenshot(ctx, t, shots, "2-delivered")

	page.do("open the chat on the phone", click("#wa-open"))
	page.wait("the reply read on the phone", onPhone+`.dataset.status === "read" && `+onPhone+`.querySelector(".ticks.read") !== null`)
	require.Equal(t, "sent delivered read", page.eval("the reply's receipts, in order", onPhone+`.dataset.receipts`))
	page.wait("the read receipt on the agent's message in Slack", `[...document.querySelectorAll('#th-messages .msg[data-user="`+agent+`"]')].some(m => m.textContent.includes(`+jsString(reply)+`) && m.querySelector('.reaction[data-name="eye"]'))`)
	screenshot(ctx, t, shots, "3-read")

	page.do("send the sample photo as the customer",
		chromedp.SetValue("#wa-text", "Así llegó la caja"),
		click("#send-image"))
	page.wait("the photo on the phone", `document.querySelector('#wa-chat .wa-msg[data-from="customer"][data-kind="image"] img.wa-img')`)
	page.wait("the photo in the thread", `[...document.querySelectorAll("#th-messages .msg")].some(m => m.querySelector("img.file-img") && m.textContent.includes("Así llegó la caja"))`)

	page.js("click Resolve on the card", card+`.querySelector('button[data-action-id="sb:resolve"]').click()`)
	page.wait("the card offering Reopen instead of Resolve", card+` && `+card+`.querySelector('button[data-action-id="sb:reopen"]') && !`+card+`.querySelector('button[data-action-id="sb:resolve"]')`)
	screenshot(ctx, t, shots, "4-resolved")

	// Resolving sends the satisfaction survey: the customer answers with
	// one of its reply buttons, and the answer reaches the thread.
	survey := `document.querySelector('#wa-chat .wa-msg[data-from="business"][data-kind="interactive"] .wa-button')`
	page.wait("the survey's buttons on the phone", survey)
	answer := page.eval("the survey's first button", survey+`.textContent`)
	page.js("press it", survey+`.click()`)
	page.wait("the button reply on the phone", `[...document.querySelectorAll('#wa-chat .wa-msg[data-from="customer"][data-kind="button"]')].some(m => m.textContent.includes(`+jsString(answer)+`))`)
	page.wait("the rating in the thread", `[...document.querySelectorAll("#th-messages .msg")].some(m => m.textContent.includes("⭐ CSAT"))`)
	page.wait("the thanks on the phone, after the answer", `(() => {
		const all = [...document.querySelectorAll("#wa-chat .wa-msg")];
		const pressed = all.findIndex(m => m.dataset.kind === "button");
		return pressed >= 0 && all.slice(pressed + 1).some(m => m.dataset.from === "business");
	})()`)
	screenshot(ctx, t, shots, "5-survey")
	page.noErrors()
}

// click waits until the element is shown and enabled, then clicks it,
// in one step inside the page: the page redraws its lists on every
// update, so a node found by one call may be gone by the next.
func click(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`(() => {
		const e = document.querySelector(`+jsString(selector)+`);
		if (!e || e.disabled || e.getClientRects().length === 0) return false;
		e.click();
		return true;
	})()`, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitLimit))
}

// waitLimit bounds each wait: generous, because a loaded machine (make
// test runs every package at once; -race) can take many seconds for one
// step, and a wait returns as soon as its condition holds.
const waitLimit = 30 * time.Second

// page drives the sandbox page; every wait is a condition polled in the
// page, failing the test with what was awaited after its deadline. It
// records the page's uncaught JavaScript errors for noErrors.
type page struct {
	t     *testing.T
	ctx   context.Context
	shots string // where a failure leaves its screenshot

	mu     sync.Mutex
	thrown []string
}

func newPage(t *testing.T, ctx context.Context, shots string) *page {
	t.Helper()
	p := &page{t: t, ctx: ctx, shots: shots}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok && e.ExceptionDetails != nil {
			d := e.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			p.mu.Lock()
			p.thrown = append(p.thrown, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, text))
			p.mu.Unlock()
		}
	}))
	return p
}

// noErrors fails the test if the page threw an uncaught error so far.
func (p *page) noErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.Empty(p.t, p.thrown, "uncaught JavaScript errors in the page")
}

func (p *page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	p.failed(chromedp.Do(p.ctx, steps...), what)
}

func (p *page) wait(what, condition string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](condition,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(waitLimit)))
	p.failed(err, "waiting for %s", what)
}

// failed ends the test on err, leaving a screenshot of the page as it was.
func (p *page) failed(err error, format string, args ...any) {
	p.t.Helper()
	if err == nil {
		return
	}
	if p.shots != "" {
		if png, shotErr := chromedp.Run(p.ctx, chromedp.CaptureScreenshot()); shotErr == nil {
			name := filepath.Join(p.shots, "failed.png")
			if os.WriteFile(name, png, 0o644) == nil {
				p.t.Logf("the page when it failed: %s", name)
			}
		}
	}
	require.NoError(p.t, err, append([]any{format}, args...)...)
}

// actAsAgentOf picks, in the actor picker, the first agent of team, and
// returns their Slack user id.
func (p *page) actAsAgentOf(team string) string {
	p.t.Helper()
	agent := p.eval("choose an agent of "+team, `((team) => {
		const s = document.querySelector("#actor");
		const o = [...s.querySelectorAll('optgroup[label="Agents"] option')].find(o => new RegExp(" — (.*, )?" + team + "(,|$)").test(o.textContent));
		if (!o) return "";
		s.value = o.value; s.dispatchEvent(new Event("change"));
		return o.value;
	})(`+jsString(team)+`)`)
	require.NotEmpty(p.t, agent, "no agent of the %s team in the actor picker", team)
	return agent
}

func (p *page) eval(what, expression string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expression))
	require.NoError(p.t, err, what)
	return v
}

func (p *page) js(what, expression string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](expression))
	require.NoError(p.t, err, what)
}

// startSandbox runs the sandbox on a free loopback port until the test
// ends and returns the page's URL.
func startSandbox(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- sandbox.Run(ctx, sandbox.Options{
			Listen:       "127.0.0.1:0",
			Log:          slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
			Ready:        func(url string) { ready <- url },
			PollInterval: 20 * time.Millisecond,
		})
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done, "the sandbox stops cleanly")
	})
	select {
	case url := <-ready:
		return url
	case err := <-done:
		t.Fatalf("the sandbox did not start: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the sandbox did not start within 20 s")
	}
	return ""
}

// testWriter sends the sandbox's warnings to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestSandboxPageGuidesAndOffersTheAgentsTools follows the guided
// script's first step, then uses what agents and supervisors have beyond
// replying, in Slack modals drawn from their views: the card's Send
// template form (a select that updates the view, a field whose Enter
// refreshes the preview, a confirmation) sends a template to the phone;
// the card's Transfer form (selects and a text input) moves the
// conversation to another team's channel; and a slash command is answered
// only to its author.
func TestSandboxPageGuidesAndOffersTheAgentsTools(t *testing.T) {
	t.Parallel()
	url := startSandbox(t)
	ctx := newBrowser(t, 3*time.Minute)
	shots := screenshots(t)
	page := newPage(t, ctx, shots)

	state := fetchState(t, url)
	require.NotEmpty(t, state.Script, "the guided script")
	first := state.Script[0]
	require.NotEmpty(t, first.Text, "the first step types something")

	page.do("open the page", chromedp.Navigate(url))
	page.wait("the guided script", `document.querySelectorAll("#script .step").length === `+strconv.Itoa(len(state.Script)))
	page.js("do the first step", `document.querySelector('#script .step[data-step=`+jsString(first.ID)+`] button').click()`)
	require.Equal(t, first.As, page.eval("the step's customer on the phone", `document.querySelector("#customer").value`))
	require.Equal(t, first.Text, page.eval("the step's text in the phone's composer", `document.querySelector("#wa-text").value`))
	page.do("send it", click("#wa-send"))
	page.wait("the composer emptied and the message on the phone", `document.querySelector("#wa-text").value === "" && [...document.querySelectorAll('#wa-chat .wa-msg[data-from="customer"]')].some(m => m.textContent.includes(`+jsString(first.Text)+`))`)

	// The first step's refund goes to sales; a sales agent transfers it to
	// support with the card's form.
	agent := page.actAsAgentOf("sales")
	page.do("open the sales channel", click(`#channels li[data-team="sales"]`))
	page.wait("the card's Claim button", `document.querySelector('#ch-messages button[data-action-id="sb:claim"]')`)
	page.do("claim", click(`#ch-messages button[data-action-id="sb:claim"]`))

	// The template form: picking a template updates the view with its
	// fields (block_actions in a view), Enter in a field refreshes the
	// preview, and the confirmation sends it to the phone.
	page.wait("the card's Send template button", `document.querySelector('#ch-messages button[data-action-id="sb:template"]')`)
	page.do("click Send template", click(`#ch-messages button[data-action-id="sb:template"]`))
	page.wait("the template picker", `document.querySelector("#modal-layer .modal select.field")`)
	require.NotEmpty(t, page.eval("pick order_update", `(() => {
		const s = document.querySelector("#modal-layer .modal select.field");
		const o = [...s.options].find(o => o.textContent.trim() === "order_update");
		if (!o) return "";
		s.value = o.value; s.dispatchEvent(new Event("change"));
		return o.value;
	})()`), "the picker offers order_update")
	page.wait("the template's two fields", `document.querySelectorAll("#modal-layer input.field").length === 2`)
	page.js("fill the first and press Enter", `(() => {
		const f = document.querySelectorAll("#modal-layer input.field")[0];
		f.value = "Zoe";
		f.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
	})()`)
	page.wait("the preview with the value", `document.querySelector("#modal-layer .modal").textContent.includes("Zoe")`)
	page.js("fill the second", `document.querySelectorAll("#modal-layer input.field")[1].value = "#77"`)
	page.do("preview", click("#modal-layer .modal-submit"))
	page.wait("the confirmation", `document.querySelector('#modal-layer .modal[data-callback-id="sb_template_confirm"]') && document.querySelector("#modal-layer .modal").textContent.includes("#77")`)
	screenshot(ctx, t, shots, "tools-0-template-confirm")
	page.do("send it", click("#modal-layer .modal-submit"))
	page.wait("the template on the phone", `[...document.querySelectorAll('#wa-chat .wa-msg[data-from="business"][data-kind="template"]')].some(m => m.textContent.includes("Zoe") && m.textContent.includes("#77"))`)

	page.wait("the card's Transfer button", `document.querySelector('#ch-messages button[data-action-id="sb:transfer"]')`)
	page.do("click Transfer", click(`#ch-messages button[data-action-id="sb:transfer"]`))
	page.wait("the transfer form", `document.querySelector("#modal-layer .modal .modal-submit")`)
	team := page.eval("pick the support team in the form", `(() => {
		for (const s of document.querySelectorAll("#modal-layer select.field")) {
			const o = [...s.options].find(o => o.value === "support" || o.textContent.trim() === "support");
			if (o) { s.value = o.value; return s.dataset.blockId; }
		}
		return "";
	})()`)
	require.NotEmpty(t, team, "the transfer form offers the support team")
	screenshot(ctx, t, shots, "tools-1-transfer-form")
	page.do("give a reason and submit",
		chromedp.SetValue(`#modal-layer input.field[data-block-id="reason"], #modal-layer textarea.field[data-block-id="reason"]`, "el reembolso lo tramita soporte"),
		click("#modal-layer .modal-submit"))
	page.wait("the form closed", `document.querySelector("#modal-layer").hidden`)
	page.do("open the support channel", click(`#channels li[data-team="support"]`))
	page.wait("a card in support with the reason in its thread", `[...document.querySelectorAll("#ch-messages .msg")].some(m => m.querySelector(".blk-header"))`)
	page.js("open its thread", `document.querySelector("#ch-messages .msg .replies, #ch-messages .msg .reply-in-thread").click()`)
	page.wait("the reason in the new thread", `document.querySelector("#th-messages").textContent.includes("el reembolso lo tramita soporte")`)

	// A supervisor's slash command is answered only to them.
	supervisor := page.eval("choose a supervisor", `(() => {
		const s = document.querySelector("#actor");
		const o = s.querySelector('optgroup[label="Supervisors"] option');
		if (!o) return "";
		s.value = o.value; s.dispatchEvent(new Event("change"));
		return o.value;
	})()`)
	require.NotEmpty(t, supervisor, "no supervisor in the actor picker")
	page.do("ask for the metrics",
		click(`#channels li[data-team="support"]`),
		chromedp.SetValue("#ch-text", "/switchboard metrics"),
		click(`#ch-composer button[type="submit"]`))
	page.wait("the answer, only visible to the supervisor", `[...document.querySelectorAll("#ch-messages .msg.ephemeral")].some(m => m.querySelector(".only-you") && m.textContent.includes("support"))`)
	screenshot(ctx, t, shots, "tools-2-metrics")
	page.js("act as the agent again", `(() => { const s = document.querySelector("#actor"); s.value = `+jsString(agent)+`; s.dispatchEvent(new Event("change")); })()`)
	page.do("look at the support channel", click(`#channels li[data-team="support"]`))
	require.Equal(t, "0", page.eval("the agent does not see the supervisor's answer", `String(document.querySelectorAll("#ch-messages .msg.ephemeral").length)`))
	page.noErrors()
}

// fetchState reads the sandbox's state as the page does.
func fetchState(t *testing.T, url string) sandbox.State {
	t.Helper()
	resp, err := http.Get(url + "sandbox/api/state")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var s sandbox.State
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
	return s
}
