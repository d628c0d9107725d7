package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/service"
)

func az0(b *testing.B) *authz.Authorizer {
	az, err := authz.Default()
	if err != nil {
		b.Fatal(err)
	}
	return az
}

// BenchmarkAuthOverhead compares a full authenticated read of one node through the router with the parts
// that authentication and authorization add to it: token verification with the per-request user, session
// and grants query, and the two policy checks (route and service).
func BenchmarkAuthOverhead(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *database.DB
			if dialect == "sqlite" {
				db = dbtest.SQLite(b)
			} else {
				db = dbtest.Postgres(b)
			}
			s := newServer(b, db)
			token := s.login("dir2")
			ctx := context.Background()
			b.Run("request", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodGet, "/api/v1/cycles/2026-2028/nodes/C2.2.1", nil)
					req.Header.Set("Authorization", "Bearer "+token)
					s.handler.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatal(rec.Code)
					}
				}
			})
			b.Run("authenticate", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.auth.Authenticate(ctx, token); err != nil {
						b.Fatal(err)
					}
				}
			})
			cfg := service.DefaultAuthConfig()
			cfg.Secret = []byte(secret)
			uncached, err := service.NewAuth(s.store, az0(b), nil, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("authenticate-uncached", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := uncached.Authenticate(ctx, token); err != nil {
						b.Fatal(err)
					}
				}
			})
			actor, _ := s.auth.Authenticate(ctx, token)
			az, _ := authz.Default()
			b.Run("authorize-twice", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if !az.Can(actor, authz.ObjProcessMap, authz.ActRead) || !az.Can(actor, authz.ObjProcessMap, authz.ActRead) {
						b.Fatal("denied")
					}
				}
			})
		})
	}
}
