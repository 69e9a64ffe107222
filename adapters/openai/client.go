// Package openai is switchboard's AI provider for every server that speaks
// the OpenAI API: OpenAI itself, Azure OpenAI (its /openai/v1/ endpoint),
// and local servers such as Ollama, vLLM and the llama.cpp server. It runs
// the official openai-go SDK, and implements assist.Model (chat
// completions) and knowledge.Embedder (embeddings). Its fake is
// adapters/openai/openaitest.
//
// It never logs the key or what is sent: prompts carry customers' words.
package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/switchboard/switchboard/bridge/assist"
	"github.com/switchboard/switchboard/bridge/knowledge"
)

// Defaults used when the Config's fields are left zero.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultTimeout    = 20 * time.Second
	DefaultMaxRetries = 2
	DefaultMaxTokens  = 500
	// DefaultEmbedBatch is how many texts one embeddings request carries.
	// OpenAI takes up to 2,048 inputs; local servers are slower per input,
	// and a smaller batch keeps each request well inside the timeout.
	DefaultEmbedBatch = 64
)

// Provider is the name the usage of this client is reported under.
const Provider = "openai"

// Config is how to reach the API.
type Config struct {
	// BaseURL is the API root including its version path
	// ("http://localhost:11434/v1"); "" is DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a Bearer token; "" sends none (a local server).
	APIKey string
	// Model answers chat completions; EmbeddingModel computes embeddings.
	Model          string
	EmbeddingModel string
	// Timeout bounds one call, retries and their waits included.
	Timeout time.Duration
	// MaxRetries is how many times a 408, 409, 429, 5xx or a connection
	// error is retried (0 means DefaultMaxRetries; use NoRetries for none).
	MaxRetries int
	// MaxTokens is the answer's budget when a Completion sets none.
	MaxTokens int
	// TokenField is the request field that carries the budget:
	// "max_completion_tokens" (what OpenAI's newer models require) or
	// "max_tokens" (what every OpenAI-compatible server understands). ""
	// picks max_completion_tokens for OpenAI's and Azure's clouds and
	// max_tokens elsewhere.
	TokenField string
	// EmbedBatch is how many texts one embeddings request carries.
	EmbedBatch int
	// Prices turn tokens into dollars (0: not priced, still counted).
	Prices Prices
	// HTTPClient carries the requests (tests pass the fake's client).
	HTTPClient *http.Client
}

// NoRetries as Config.MaxRetries turns retries off.
const NoRetries = -1

// Prices are US dollars per million tokens.
type Prices struct {
	PromptPerMillion     float64
	CompletionPerMillion float64
}

// Cost is what a request that used these tokens costs.
func (p Prices) Cost(prompt, completion int) float64 {
	return (float64(prompt)*p.PromptPerMillion + float64(completion)*p.CompletionPerMillion) / 1e6
}

// Client calls the API. It is safe for concurrent use.
type Client struct {
	cfg Config
	sdk sdk.Client
}

var (
	_ assist.Model       = (*Client)(nil)
	_ knowledge.Embedder = (*Client)(nil)
)

// New returns a client for cfg. It calls nothing.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openai: base URL %q is not an http(s) address", cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.EmbedBatch <= 0 {
		cfg.EmbedBatch = DefaultEmbedBatch
	}
	switch cfg.TokenField {
	case "":
		cfg.TokenField = tokenFieldFor(u.Hostname())
	case "max_tokens", "max_completion_tokens":
	default:
		return nil, fmt.Errorf("openai: token field %q is neither max_tokens nor max_completion_tokens", cfg.TokenField)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	opts := []option.RequestOption{
		// Our options come after the SDK's defaults, which read
		// OPENAI_BASE_URL and OPENAI_API_KEY from the environment: the
		// configuration alone decides where customers' words go.
		option.WithBaseURL(strings.TrimSuffix(cfg.BaseURL, "/") + "/"),
		option.WithAPIKey(cfg.APIKey),
		option.WithHTTPClient(cfg.HTTPClient),
		option.WithMaxRetries(cfg.MaxRetries),
		// A server that asks us to wait longer than the whole call may
		// last is not waited for: the SDK then returns the 429 at once and
		// the bridge hands the work to people instead of timing out.
		option.WithMaxRetryDelay(cfg.Timeout),
	}
	return &Client{cfg: cfg, sdk: sdk.NewClient(opts...)}, nil
}

// tokenFieldFor is the budget field a host expects: OpenAI's reasoning
// models refuse max_tokens, and local servers (older Ollama, llama.cpp)
// ignore max_completion_tokens.
func tokenFieldFor(host string) string {
	if host == "api.openai.com" || strings.HasSuffix(host, ".openai.azure.com") {
		return "max_completion_tokens"
	}
	return "max_tokens"
}

// ChatModel names the chat model.
func (c *Client) ChatModel() string { return c.cfg.Model }

// Complete runs one chat completion (no streaming).
func (c *Client) Complete(ctx context.Context, req assist.Completion) (string, assist.Usage, error) {
	usage := assist.Usage{Provider: Provider, Model: c.cfg.Model}
	if len(req.Messages) == 0 {
		return "", usage, errors.New("openai: a completion needs a message")
	}
	params := sdk.ChatCompletionNewParams{Model: shared.ChatModel(c.cfg.Model)}
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			params.Messages = append(params.Messages, sdk.SystemMessage(m.Content))
		case "assistant":
			params.Messages = append(params.Messages, sdk.AssistantMessage(m.Content))
		case "user":
			params.Messages = append(params.Messages, sdk.UserMessage(m.Content))
		default:
			return "", usage, fmt.Errorf("openai: message role %q is not system, user or assistant", m.Role)
		}
	}
	budget := req.MaxTokens
	if budget <= 0 || budget > c.cfg.MaxTokens {
		budget = c.cfg.MaxTokens
	}
	if c.cfg.TokenField == "max_completion_tokens" {
		params.MaxCompletionTokens = sdk.Int(int64(budget))
	} else {
		params.MaxTokens = sdk.Int(int64(budget))
	}
	if req.Temperature > 0 {
		// Sent only when asked for: reasoning models refuse the field.
		params.Temperature = sdk.Float(req.Temperature)
	}
	if req.JSON {
		params.ResponseFormat = sdk.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
	}

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	res, err := c.sdk.Chat.Completions.New(ctx, params)
	if err != nil {
		return "", usage, c.fail("chat completion", err)
	}
	usage.PromptTokens = int(res.Usage.PromptTokens)
	usage.CompletionTokens = int(res.Usage.CompletionTokens)
	usage.Cost = c.cfg.Prices.Cost(usage.PromptTokens, usage.CompletionTokens)
	if len(res.Choices) == 0 {
		return "", usage, fmt.Errorf("%w: openai: chat completion without a choice", assist.ErrUnavailable)
	}
	choice := res.Choices[0]
	if choice.Message.Refusal != "" {
		return "", usage, fmt.Errorf("openai: the model refused: %w", ErrRefused)
	}
	return choice.Message.Content, usage, nil
}

// Model names the embedding model (knowledge.Embedder).
func (c *Client) Model() string { return c.cfg.EmbeddingModel }

// Embed computes one vector per text, in batches of EmbedBatch.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.cfg.EmbeddingModel == "" {
		return nil, errors.New("openai: no embedding model configured")
	}
	out := make([][]float32, len(texts))
	for start := 0; start < len(texts); start += c.cfg.EmbedBatch {
		end := min(start+c.cfg.EmbedBatch, len(texts))
		if err := c.embedBatch(ctx, texts[start:end], out[start:end]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Client) embedBatch(ctx context.Context, texts []string, out [][]float32) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	res, err := c.sdk.Embeddings.New(ctx, sdk.EmbeddingNewParams{
		Model: sdk.EmbeddingModel(c.cfg.EmbeddingModel),
		Input: sdk.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
		// Floats, not base64: every compatible server speaks them.
		EncodingFormat: sdk.EmbeddingNewParamsEncodingFormatFloat,
	})
	if err != nil {
		return c.fail("embeddings", err)
	}
	if len(res.Data) != len(texts) {
		return fmt.Errorf("%w: openai: %d embeddings for %d texts", assist.ErrUnavailable, len(res.Data), len(texts))
	}
	for _, e := range res.Data {
		if e.Index < 0 || int(e.Index) >= len(texts) || out[e.Index] != nil {
			return fmt.Errorf("%w: openai: embedding index %d out of place", assist.ErrUnavailable, e.Index)
		}
		v := make([]float32, len(e.Embedding))
		for i, f := range e.Embedding {
			v[i] = float32(f)
		}
		out[e.Index] = v
	}
	return nil
}
