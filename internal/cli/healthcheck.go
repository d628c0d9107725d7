package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// runHealthcheck asks a running server's /readyz and exits 0 only on 200: the container's HEALTHCHECK, since a
// minimal image has no curl. It reads ARGINE_ADDR like serve, so the same environment points it at the server.
func runHealthcheck(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "healthcheck", "healthcheck [--url URL] [--timeout 3s]",
		"Ask the server listening on ARGINE_ADDR (or --url) whether it is ready (GET /readyz): exit status 0 when\n"+
			"it answers 200, 1 otherwise. Meant for container health checks and monitoring scripts.")
	url := fs.String("url", "", "readiness URL (default: http://127.0.0.1:PORT/readyz, PORT from ARGINE_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	target := *url
	if target == "" {
		if target, err = readyURL(cfg.Addr); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()                // read-only
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10)) // only shown when not ready
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s answered %d %s", target, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	fmt.Fprintln(env.Stdout, "ready")
	return nil
}

// readyURL turns a listen address into the URL of its readiness probe: an address on every interface (":8080",
// "0.0.0.0:8080", "[::]:8080") is asked on loopback.
func readyURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "", errors.New("healthcheck: ARGINE_ADDR does not name a port; give --url")
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
