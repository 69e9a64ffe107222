package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// recoverPanics turns a panic in a handler into a 500 answer and an error
// log with the stack, so one bad request cannot take the process (and every
// other platform's webhooks) down with it. The panic value goes to the
// caller only as "internal server error" (see errorHandler). Panics are
// counted in switchboard_http_panics_total, something to alert on.
func recoverPanics(log *slog.Logger, reg prometheus.Registerer) fiber.Handler {
	panics := prometheus.NewCounter(prometheus.CounterOpts{Name: "switchboard_http_panics_total",
		Help: "HTTP requests whose handler panicked (answered 500; the stack is in the log)."})
	reg.MustRegister(panics)
	return fiberrecover.New(fiberrecover.Config{
		EnableStackTrace: true,
		StackTraceHandler: func(c *fiber.Ctx, e any) {
			panics.Inc()
			// The path and method are ours (no phone numbers or tokens); the
			// request body is never logged.
			log.Error("http handler panicked", "method", c.Method(), "path", c.Path(),
				"panic", fmt.Sprint(e), "stack", string(debug.Stack()))
		},
	})
}

// errorHandler answers errors handlers return: a *fiber.Error keeps its
// status and message (404, 413, …); anything else, panics included, is a
// 500 whose text says nothing about our internals.
func errorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return c.Status(fe.Code).SendString(fe.Message)
	}
	return c.Status(fiber.StatusInternalServerError).SendString("internal server error")
}

// mountMetrics serves Prometheus' /metrics on the main listener, unless
// server.metrics_listen names a separate address: then the main listener
// (reachable by Meta and Slack) does not expose it and startMetrics serves
// it on its own address.
func (a *App) mountMetrics() {
	if a.Config.Server.MetricsListen != "" {
		return
	}
	a.HTTP.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{})))
}

// startMetrics listens on server.metrics_listen, when it is set.
func (a *App) startMetrics() error {
	addr := a.Config.Server.MetricsListen
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("server.metrics_listen %q: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{}))
	a.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}
	a.metricsAddr = ln.Addr()
	go func() {
		if err := a.metrics.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("metrics listener stopped", "addr", addr, "err", err)
		}
	}()
	a.log.Info("metrics are served on a separate address", "addr", ln.Addr().String())
	return nil
}

// MetricsAddr is the address /metrics is served on when
// server.metrics_listen is set (after Start); nil otherwise.
func (a *App) MetricsAddr() net.Addr { return a.metricsAddr }

// stopMetrics closes the metrics listener, if any.
func (a *App) stopMetrics(ctx context.Context) error {
	if a.metrics == nil {
		return nil
	}
	return a.metrics.Shutdown(ctx)
}
