package cli

import (
	"math"
	"runtime/debug"

	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/password"
)

// serveGCPercent is the garbage collector's target for `argine serve` when the operator has not set GOGC. At
// Go's default (100) the collector ran 9–11 % of the server's CPU under the load tool (100 clients): a server's
// live heap is small (tens of MB) while its answers allocate quickly, so the heap may grow to five times the live
// data between collections for a fraction of that cost (docs/performance.md).
const serveGCPercent = 400

// gcTarget is what tuneGC settled: the collector's target percent and the soft memory limit (-1: none), and
// whether each came from the operator's environment.
type gcTarget struct {
	Percent, MemoryLimit  int64
	PercentSet, MemorySet bool
}

// tuneGC applies serveGCPercent unless GOGC is set. The larger target lets the heap grow further between
// collections, so unless GOMEMLIMIT is set it also sets a soft memory limit (the cgroup's limit in a container,
// else 1 GiB, as the password hashing's budget assumes) at which the collector runs earlier whatever the target:
// a burst of sign-ins (64 MiB each) cannot then take the process past the memory it has.
func tuneGC(getenv config.Getenv) gcTarget {
	t := gcTarget{PercentSet: getenv("GOGC") != "", MemorySet: getenv("GOMEMLIMIT") != ""}
	if !t.PercentSet {
		debug.SetGCPercent(serveGCPercent)
		if !t.MemorySet {
			debug.SetMemoryLimit(password.HostMemoryLimit())
		}
	}
	t.Percent = int64(debug.SetGCPercent(-1))
	debug.SetGCPercent(int(t.Percent))
	if t.MemoryLimit = debug.SetMemoryLimit(-1); t.MemoryLimit == math.MaxInt64 {
		t.MemoryLimit = -1
	}
	return t
}
