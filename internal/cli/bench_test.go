package cli

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/dbtest"
)

// BenchmarkServeStartup measures `argine serve` on an already migrated database holding the demo map: from the
// call to the first answered /healthz, then a clean stop.
func BenchmarkServeStartup(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			url := dbtest.SQLiteURL(b)
			if dialect == "postgres" {
				url = dbtest.PostgresURL(b)
			}
			env := map[string]string{"ARGINE_DATABASE_URL": url, "ARGINE_JWT_SECRET": "bench-secret-bench-secret-bench-secret"}
			getenv := func(k string) string { return env[k] }
			if code := Run(context.Background(), []string{"demo"}, Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: getenv}); code != 0 {
				b.Fatal("demo failed")
			}
			client := &http.Client{Timeout: time.Second}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				addr := freeAddrB(b)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan int, 1)
				go func() {
					done <- Run(ctx, []string{"serve", "--addr", addr, "--log-level", "error"},
						Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: getenv})
				}()
				for {
					resp, err := client.Get("http://" + addr + "/healthz")
					if err == nil {
						resp.Body.Close()
						break
					}
					time.Sleep(time.Millisecond)
				}
				b.StopTimer()
				cancel()
				if code := <-done; code != 0 {
					b.Fatalf("serve exited %d", code)
				}
				b.StartTimer()
			}
		})
	}
}
