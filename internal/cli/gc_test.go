package cli

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/argine-pa/argine/internal/password"
)

// TestTuneGC: without GOGC the server raises the collector's target to serveGCPercent and, without GOMEMLIMIT,
// caps the heap's growth with a soft memory limit; the operator's GOGC leaves both as the runtime read them, and
// the operator's GOMEMLIMIT is kept beside the server's target.
func TestTuneGC(t *testing.T) {
	oldPercent, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) })
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	reset := func() { debug.SetGCPercent(100); debug.SetMemoryLimit(math.MaxInt64) }

	got := tuneGC(env(nil))
	if got.PercentSet || got.MemorySet || got.Percent != serveGCPercent || got.MemoryLimit != password.HostMemoryLimit() {
		t.Fatalf("without GOGC and GOMEMLIMIT: %+v, want %d and the host's limit %d", got, serveGCPercent, password.HostMemoryLimit())
	}
	if p := debug.SetGCPercent(100); p != serveGCPercent {
		t.Fatalf("collector target %d, want %d", p, serveGCPercent)
	}

	reset()
	got = tuneGC(env(map[string]string{"GOGC": "150"}))
	if !got.PercentSet || got.Percent != 100 || got.MemoryLimit != -1 {
		t.Fatalf("with GOGC set: %+v, want the runtime's own target (100 here) and no limit", got)
	}

	reset()
	debug.SetMemoryLimit(512 << 20) // as the runtime reads GOMEMLIMIT=512MiB at start
	got = tuneGC(env(map[string]string{"GOMEMLIMIT": "512MiB"}))
	if !got.MemorySet || got.Percent != serveGCPercent || got.MemoryLimit != 512<<20 {
		t.Fatalf("with GOMEMLIMIT set: %+v, want %d and the operator's 512 MiB", got, serveGCPercent)
	}
}
