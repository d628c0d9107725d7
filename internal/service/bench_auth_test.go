package service_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// BenchmarkParallelLogins signs in 30 users at once from one address and reports the peak heap and the most argon2id hashes
// (64 MiB each) seen running at once: "bounded" is the default limiter (sized from CPUs and memory),
// "unbounded" gives every sign-in its own slot, as before the limiter.
//
//	go test ./internal/service -run '^$' -bench BenchmarkParallelLogins -benchtime 1x
func BenchmarkParallelLogins(b *testing.B) {
	for _, mode := range []struct {
		name  string
		slots int
	}{{"bounded", 0}, {"unbounded", 30}} {
		b.Run(mode.name, func(b *testing.B) {
			db := dbtest.SQLite(b)
			f := newFixture(db)
			ctx := context.Background()
			tn := benchTenant(b, f, "ente-bench")
			users := service.NewUsers(f.store, f.authz, nil)
			for i := range 30 { // thirty people signing in at nine
				if _, err := users.AsOperator().Create(ctx, tn.EnteID, service.NewUser{Username: "bench-user-" + strconv.Itoa(i),
					Password: demo.Password, Grants: []domain.Grant{{Role: domain.RoleOIV}}, Permanent: true}); err != nil {
					b.Fatal(err)
				}
			}
			cfg := service.DefaultAuthConfig()
			cfg.Secret = []byte("bench-secret-bench-secret-bench-secret-01")
			cfg.HashSlots, cfg.HashQueue, cfg.HashWait = mode.slots, 30, time.Minute
			auth, err := service.NewAuth(f.store, f.authz, service.NewAccessCache(0), cfg)
			if err != nil {
				b.Fatal(err)
			}
			if mode.slots == 0 { // the default limiter, with room in its queue for the whole burst
				cfg.HashSlots = auth.Hasher().Slots()
				if auth, err = service.NewAuth(f.store, f.authz, service.NewAccessCache(0), cfg); err != nil {
					b.Fatal(err)
				}
			}
			var peak float64
			for b.Loop() {
				peak = max(peak, samplePeakHeap(func() {
					var wg sync.WaitGroup
					for i := range 30 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							if _, err := auth.Login(ctx, "bench-user-"+strconv.Itoa(i), demo.Password, service.Client{Addr: "10.0.0.1"}); err != nil {
								b.Error(err)
							}
						}()
					}
					wg.Wait()
				}))
			}
			b.ReportMetric(peak, "peak-heap-MB")
			b.ReportMetric(float64(auth.Hasher().Peak()), "peak-hashes")
			b.ReportMetric(float64(auth.Hasher().Slots()), "slots")
		})
	}
}
