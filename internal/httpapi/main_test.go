package httpapi

import (
	"os"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/password"
)

// TestMain lowers the argon2id cost for this package's tests. At the production cost (64 MiB, t=3: about 80 ms
// on 2 idle cores, several times that on a busy machine) the demo users every fixture creates and the sign-ins
// of a hundred tests on two databases took most of this package's minutes. What these tests check (who may sign
// in, the same work for unknown users, the bound on concurrent hashing, through hooks rather than clocks) does
// not depend on the cost; internal/password's tests exercise DefaultParams.
func TestMain(m *testing.M) {
	password.DefaultParams = password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	code := m.Run()
	dbtest.CloseFixtures() // the PostgreSQL schemas of the fixtures built once per process (fixture_test.go)
	os.Exit(code)
}
