package password

import (
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/argine-pa/argine/internal/domain"
)

// Limiter bounds how many argon2id computations run at once. Each one holds DefaultParams.Memory (64 MiB)
// for its whole run, so thirty concurrent sign-ins used to take 2 GB: with a limiter the memory of hashing
// is at most slots × 64 MiB whatever the load. Callers beyond the slots wait in a short queue; past it, or
// after maxWait, they get a *domain.BusyError (503 with Retry-After) instead of piling up.
type Limiter struct {
	slots   chan struct{}
	queue   int64
	maxWait time.Duration
	waiting atomic.Int64
	active  atomic.Int64
	peak    atomic.Int64
	hook    atomic.Pointer[func()]
}

// NewLimiter allows slots computations at once and queue callers waiting at most maxWait for a slot.
func NewLimiter(slots, queue int, maxWait time.Duration) *Limiter {
	slots = max(slots, 1)
	return &Limiter{slots: make(chan struct{}, slots), queue: int64(max(queue, 0)), maxWait: maxWait}
}

// NewDefaultLimiter sizes the limiter from the machine (DefaultSlots), with a queue of sixteen callers per
// slot waiting at most DefaultWait: a verification takes about 80 ms, so a slot clears its queue in little more
// than a second, and a waiting caller costs a goroutine, not 64 MiB.
func NewDefaultLimiter() *Limiter {
	n := DefaultSlots()
	return NewLimiter(n, 16*n, DefaultWait)
}

// DefaultWait is how long a caller waits for a slot before being told to come back.
const DefaultWait = 3 * time.Second

// DefaultSlots is how many hashes may run at once: no more than the CPUs (more would only queue inside the
// scheduler) and no more than a quarter of the memory the process may use. The memory limit is GOMEMLIMIT if
// set, else the cgroup's (containers), else 1 GiB is assumed.
func DefaultSlots() int {
	limit := memoryLimit()
	perHash := int64(DefaultParams.Memory) * 1024
	byMemory := int(limit / 4 / perHash)
	return max(1, min(runtime.GOMAXPROCS(0), byMemory))
}

func memoryLimit() int64 {
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		return l
	}
	return HostMemoryLimit()
}

// HostMemoryLimit is the memory the process may use when GOMEMLIMIT does not say: the cgroup's limit
// (containers), else 1 GiB is assumed.
func HostMemoryLimit() int64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && v < 1<<50 {
			return v
		}
	}
	return 1 << 30
}

// Slots is the number of computations allowed at once.
func (l *Limiter) Slots() int { return cap(l.slots) }

// Waiting is the number of callers queued for a slot now.
func (l *Limiter) Waiting() int { return int(l.waiting.Load()) }

// Peak is the largest number of computations seen running at once.
func (l *Limiter) Peak() int { return int(l.peak.Load()) }

// SetHook makes every computation call fn first, while holding its slot (tests count or hold computations).
func (l *Limiter) SetHook(fn func()) {
	if fn == nil {
		l.hook.Store(nil)
		return
	}
	l.hook.Store(&fn)
}

// busyRetry is what a refused caller is told to wait: a few verifications' time, rounded up.
const busyRetry = 2 * time.Second

func (l *Limiter) run(ctx context.Context, fn func()) error {
	select {
	case l.slots <- struct{}{}:
	default:
		if l.waiting.Add(1) > l.queue {
			l.waiting.Add(-1)
			return &domain.BusyError{RetryAfter: busyRetry}
		}
		timer := time.NewTimer(l.maxWait)
		defer timer.Stop()
		select {
		case l.slots <- struct{}{}:
			l.waiting.Add(-1)
		case <-timer.C:
			l.waiting.Add(-1)
			return &domain.BusyError{RetryAfter: busyRetry}
		case <-ctx.Done():
			l.waiting.Add(-1)
			return ctx.Err()
		}
	}
	defer func() { <-l.slots }()
	n := l.active.Add(1)
	defer l.active.Add(-1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if h := l.hook.Load(); h != nil {
		(*h)()
	}
	fn()
	return nil
}

// Verify is the package's Verify inside a slot.
func (l *Limiter) Verify(ctx context.Context, encoded, plain string) (ok, needsRehash bool, err error) {
	if runErr := l.run(ctx, func() { ok, needsRehash, err = Verify(encoded, plain) }); runErr != nil {
		return false, false, runErr
	}
	return ok, needsRehash, err
}

// VerifyDummy is the package's VerifyDummy inside a slot: an unknown user costs a slot like a known one.
func (l *Limiter) VerifyDummy(ctx context.Context, plain string) error {
	d := dummy() // computed outside the slot on first use, so that it is not counted twice
	return l.run(ctx, func() { _, _, _ = Verify(d, plain) })
}

// Hash is the package's Hash inside a slot.
func (l *Limiter) Hash(ctx context.Context, plain string) (h string, err error) {
	if runErr := l.run(ctx, func() { h, err = Hash(plain) }); runErr != nil {
		return "", runErr
	}
	return h, err
}
