package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckURLsLoopbackOnly(t *testing.T) {
	got, err := checkURLs("http://127.0.0.1:8080/, http://localhost:8081,http://[::1]:8082")
	if err != nil || strings.Join(got, " ") != "http://127.0.0.1:8080 http://localhost:8081 http://[::1]:8082" {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"", "http://127.0.0.1:8080,http://example.org", "ftp://127.0.0.1", "http://10.0.0.1:8080"} {
		if _, err := checkURLs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestRoundRobinAndTally sends requests to two loopback servers in turn and checks how answers are counted:
// the 409s of concurrent work apart, any other failure as an error of its kind.
func TestRoundRobinAndTally(t *testing.T) {
	var hits [2]atomic.Int64
	answer := func(i int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			switch r.URL.Path {
			case "/conflict":
				w.WriteHeader(http.StatusConflict)
				_, _ = w.Write([]byte(`{"code":"version_conflict"}`))
			case "/locked":
				w.WriteHeader(http.StatusConflict)
				_, _ = w.Write([]byte(`{"code":"cycle_not_open"}`))
			default:
				_, _ = w.Write([]byte(`{}`))
			}
		}
	}
	a, b := httptest.NewServer(answer(0)), httptest.NewServer(answer(1))
	defer a.Close()
	defer b.Close()
	l := &loader{bases: []string{a.URL, b.URL}, client: a.Client()}
	tl := &tally{errs: map[string]int{}, conflicts: map[string]int{}}
	ctx := context.Background()
	for range 3 {
		_, _ = l.call(ctx, tl, opRegister, http.MethodGet, "/ok", "", nil)
	}
	_, _ = l.call(ctx, tl, opPut, http.MethodPut, "/conflict", "", map[string]int{"version": 1})
	_, _ = l.call(ctx, tl, opTransition, http.MethodPost, "/locked", "", nil)
	_, _ = l.call(ctx, tl, opRegister, http.MethodGet, "/ok", "", nil)
	if hits[0].Load() != 3 || hits[1].Load() != 3 {
		t.Fatalf("round-robin: %d and %d requests", hits[0].Load(), hits[1].Load())
	}
	if tl.conflicts["assessment put: version_conflict"] != 1 || len(tl.conflicts) != 1 {
		t.Fatalf("expected conflicts %v", tl.conflicts)
	}
	if tl.errs["transition: 409 cycle_not_open"] != 1 || len(tl.errs) != 1 {
		t.Fatalf("errors %v", tl.errs)
	}
	rep := buildReport(1e9, 1, []*tally{tl})
	if rep.Requests != 6 || rep.Operations[opRegister].Count != 4 {
		t.Fatalf("report %+v", rep)
	}
}
