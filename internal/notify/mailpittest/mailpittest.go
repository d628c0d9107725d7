// Package mailpittest starts a real SMTP server for tests: Mailpit (github.com/axllent/mailpit), built once as
// a binary outside the module (docs/notifications.md; .ci/run installs it), on free loopback ports, and reads what it received
// through its HTTP API. Without the binary the test is skipped locally and fails in CI.
package mailpittest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BinEnv names the variable pointing at the Mailpit binary; otherwise $HOME/.cache/argine/bin/mailpit is used.
const BinEnv = "ARGINE_MAILPIT_BIN"

// Version is the Mailpit release the tests are written against.
const Version = "v1.33.1"

// Bin finds the Mailpit binary, or says how to install it.
func Bin() (string, error) {
	if p := os.Getenv(BinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", BinEnv, p, err)
		}
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(home, ".cache", "argine", "bin", "mailpit")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("mailpit not found at %s: install it with GOBIN=%s go install github.com/axllent/mailpit@%s, or set %s",
			p, filepath.Dir(p), Version, BinEnv)
	}
	return p, nil
}

// Server is a running Mailpit.
type Server struct {
	SMTPAddr string // host:port of its SMTP listener
	APIURL   string // http://host:port of its HTTP API
	cmd      *exec.Cmd
	exited   <-chan error
	t        testing.TB
}

// FreePort returns a loopback address nothing listens on right now.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// Start runs Mailpit on free ports until the test ends; smtpAddr, when given, is the SMTP address to listen on.
// A missing binary skips the test, or fails it when CI is set.
func Start(t testing.TB, smtpAddr ...string) *Server {
	t.Helper()
	o := Options{}
	if len(smtpAddr) > 0 {
		o.SMTPAddr = smtpAddr[0]
	}
	return StartWith(t, o)
}

// Options tune the server: a fixed SMTP address, extra Mailpit flags (e.g. TLS certificates).
type Options struct {
	SMTPAddr string
	Args     []string
}

// StartWith runs Mailpit with options; see Start.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	bin, err := Bin()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run the SMTP tests: %v", err)
		}
		t.Skipf("SMTP tests skipped: %v", err)
	}
	s := &Server{SMTPAddr: FreePort(t), t: t}
	if o.SMTPAddr != "" {
		s.SMTPAddr = o.SMTPAddr
	}
	httpAddr := FreePort(t)
	s.APIURL = "http://" + httpAddr
	s.cmd = exec.Command(bin, "--smtp", s.SMTPAddr, "--listen", httpAddr, "--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--max", "0", "--quiet", "--disable-version-check", "--smtp-disable-rdns", "--smtp-auth-accept-any")
	if !slices.Contains(o.Args, "--smtp-tls-cert") { // plain SMTP: accept credentials without TLS (tests only)
		s.cmd.Args = append(s.cmd.Args, "--smtp-auth-allow-insecure")
	}
	s.cmd.Args = append(s.cmd.Args, o.Args...)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	s.exited = exited
	t.Cleanup(s.Stop)
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.SMTPAddr, 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			if resp, err := http.Get(s.APIURL + "/api/v1/info"); err == nil {
				_ = resp.Body.Close() // only the answer matters
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start on %s", s.SMTPAddr)
		}
		select {
		case err := <-exited:
			s.cmd = nil
			t.Fatalf("mailpit stopped at start-up: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends the server (idempotent): its SMTP port refuses connections afterwards.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill() // it may have stopped already
	_ = <-s.exited           // killed: the exit status says so, nothing to report
	s.cmd = nil
}

// SMTPURL is an ARGINE_SMTP_URL for this server (plain SMTP on loopback).
func (s *Server) SMTPURL(from string) string {
	return "smtp://" + s.SMTPAddr + "?tls=none&from=" + url.QueryEscape(from)
}

// Address is an e-mail address.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is one received e-mail.
type Message struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Text      string    `json:"Text"`
	HTML      string    `json:"HTML"`
}

// Messages lists every received e-mail with its text and HTML bodies, oldest first.
func (s *Server) Messages() []Message {
	s.t.Helper()
	var list struct {
		Total    int       `json:"total"`
		Messages []Message `json:"messages"`
	}
	s.get("/api/v1/messages?limit=100000", &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- {
		m := list.Messages[i]
		var full Message
		s.get("/api/v1/message/"+url.PathEscape(m.ID), &full)
		out = append(out, full)
	}
	return out
}

// Count is how many e-mails the server holds.
func (s *Server) Count() int {
	s.t.Helper()
	var list struct {
		Total int `json:"total"`
	}
	s.get("/api/v1/messages?limit=1", &list)
	return list.Total
}

// WaitCount waits (bounded) until the server has stored n messages: Mailpit stores asynchronously after
// accepting, so a count right after sending can lag. It returns the last count seen.
func (s *Server) WaitCount(n int) int {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := s.Count()
		if c >= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) get(path string, into any) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.APIURL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("mailpit API: %v", err)
	}
	defer func() { _ = resp.Body.Close() }() // a read-only response: nothing to lose
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("mailpit API %s: %s", path, strconv.Itoa(resp.StatusCode))
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		s.t.Fatalf("mailpit API %s: %v", path, err)
	}
}
