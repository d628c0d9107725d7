package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestThrottleAttemptIsAtomic: concurrent attempts on one key each get their own count (1..n, none lost and
// none repeated), and those past the limit are refused without being counted. A read-then-write counter loses
// updates here on PostgreSQL.
func TestThrottleAttemptIsAtomic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), New(db)
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		p := ThrottlePolicy{Free: 8, Base: time.Minute, Max: time.Minute, Window: time.Hour, ResetAfterLock: true}
		const n = 20
		var mu sync.Mutex
		var counts []int
		refused := 0
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := s.ThrottleAttempt(ctx, "account:x", at, p)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if v.Refused {
					refused++
					if v.LockedUntil.IsZero() {
						t.Error("refused without a lock end")
					}
					return
				}
				counts = append(counts, v.Attempts)
			}()
		}
		wg.Wait()
		slices.Sort(counts)
		if !slices.Equal(counts, []int{1, 2, 3, 4, 5, 6, 7, 8}) || refused != n-8 {
			t.Fatalf("counted %v, refused %d", counts, refused)
		}
		// The lock runs out; the count starts over (ResetAfterLock).
		v, err := s.ThrottleAttempt(ctx, "account:x", at.Add(time.Minute+time.Second), p)
		if err != nil || v.Refused || v.Attempts != 1 {
			t.Fatalf("after the lock: %+v %v", v, err)
		}
	})
}

// TestThrottleProgressiveLock: without ResetAfterLock each counted attempt past the free ones locks for twice
// as long as the previous, up to the cap; attempts inside a lock are refused and do not lengthen it; a
// success undoes its own count and lock.
func TestThrottleProgressiveLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), New(db)
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		p := ThrottlePolicy{Free: 2, Base: 10 * time.Second, Max: 40 * time.Second, Window: 24 * time.Hour}
		try := func() ThrottleVerdict {
			v, err := s.ThrottleAttempt(ctx, "addr:y", at, p)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v := try(); v.Refused || !v.LockedUntil.IsZero() {
			t.Fatalf("first: %+v", v)
		}
		for _, want := range []time.Duration{10, 20, 40, 40} {
			v := try()
			if v.Refused || !v.LockedUntil.Equal(at.Add(want*time.Second)) {
				t.Fatalf("want a lock of %ds: %+v", want, v)
			}
			if r := try(); !r.Refused || !r.LockedUntil.Equal(v.LockedUntil) || r.Attempts != v.Attempts {
				t.Fatalf("inside the lock: %+v", r)
			}
			at = v.LockedUntil
		}
		v := try()
		if err := s.ThrottleSucceeded(ctx, "addr:y", v.Attempts); err != nil {
			t.Fatal(err)
		}
		if next := try(); next.Refused || next.Attempts != v.Attempts {
			t.Fatalf("after a success the count and lock are undone: %+v", next)
		}
	})
}
