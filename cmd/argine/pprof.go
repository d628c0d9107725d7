//go:build pprof

package main

// Built only with -tags pprof: serves net/http/pprof on ARGINE_PPROF_ADDR (loopback) for profiling under the
// load tool. The release binary never carries it.

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("ARGINE_PPROF_ADDR"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, nil) }()
	}
}
