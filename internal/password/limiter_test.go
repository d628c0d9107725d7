package password

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/domain"
)

// TestLimiterBoundsAndRefuses: with one slot and a queue of one, a second caller waits, a third is refused at
// once with a BusyError carrying Retry-After, and a waiting caller gives up when its context ends. No more than
// one computation ever runs.
func TestLimiterBoundsAndRefuses(t *testing.T) {
	l := NewLimiter(1, 1, time.Minute)
	hold, entered := make(chan struct{}), make(chan struct{}, 4)
	l.SetHook(func() {
		entered <- struct{}{}
		<-hold
	})
	hash, err := HashWith("una-frase-di-prova", cheap)
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan error, 2)
	go func() { _, _, err := l.Verify(context.Background(), hash, "una-frase-di-prova"); results <- err }()
	<-entered
	go func() { _, _, err := l.Verify(context.Background(), hash, "una-frase-di-prova"); results <- err }()
	for l.Waiting() < 1 {
		time.Sleep(time.Millisecond)
	}
	_, _, err = l.Verify(context.Background(), hash, "una-frase-di-prova")
	var busy *domain.BusyError
	if !errors.As(err, &busy) || busy.RetryAfter <= 0 || domain.CodeOf(err) != "server_busy" {
		t.Fatalf("third caller: %v", err)
	}
	close(hold)
	for range 2 {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	if l.Peak() != 1 || l.Waiting() != 0 {
		t.Fatalf("peak %d, waiting %d", l.Peak(), l.Waiting())
	}

	// A queued caller whose request ends leaves the queue.
	l2 := NewLimiter(1, 4, time.Minute)
	block := make(chan struct{})
	l2.SetHook(func() { <-block })
	go func() { _, _ = l2.Hash(context.Background(), "x") }()
	for l2.Peak() < 1 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l2.VerifyDummy(ctx, "y") }()
	for l2.Waiting() < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || l2.Waiting() != 0 {
		t.Fatalf("cancelled waiter: %v, waiting %d", err, l2.Waiting())
	}
	close(block)
}

// TestDefaultSlots: at least one, never more than the CPUs or a quarter of the memory limit in 64 MiB slots.
func TestDefaultSlots(t *testing.T) {
	n := DefaultSlots()
	if n < 1 || int64(n) > max(1, memoryLimit()/4/(64<<20)) {
		t.Fatalf("DefaultSlots %d with a memory limit of %d", n, memoryLimit())
	}
}
