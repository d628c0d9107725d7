package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
)

// The read-replica tests need a PostgreSQL primary with a streaming replica of it (.ci/pg-replica.sh starts a
// throw-away pair on loopback; .ci/run does so for CI).
const (
	PostgresPrimaryEnv = "ARGINE_TEST_POSTGRES_PRIMARY_URL"
	PostgresReplicaEnv = "ARGINE_TEST_POSTGRES_REPLICA_URL"
)

// Pair is a fresh, migrated schema on the primary of the pair, with its URL and the URL of the same schema
// on the replica.
type Pair struct {
	Primary                *database.DB
	PrimaryURL, ReplicaURL string
}

// ReplicaPair opens a fresh, migrated schema on the pair's primary and returns it with the URL of the same
// schema on the replica, once the replica has replayed it. The replica is shared by every package's tests,
// and pausing its replay would disturb the others, so the test holds an advisory lock on the primary from
// start to end (tests of the pair run one at a time across packages) and resumes replay when it ends.
// It skips the test (or fails it in CI) when no pair is configured.
func ReplicaPair(t testing.TB) Pair {
	t.Helper()
	primaryBase, replicaBase := os.Getenv(PostgresPrimaryEnv), os.Getenv(PostgresReplicaEnv)
	if primaryBase == "" || replicaBase == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s and %s are not set: CI must run the read-replica tests (.ci/pg-replica.sh)", PostgresPrimaryEnv, PostgresReplicaEnv)
		}
		t.Skipf("read-replica tests skipped: run `eval \"$(.ci/pg-replica.sh start)\"` to set %s and %s", PostgresPrimaryEnv, PostgresReplicaEnv)
	}
	ctx := context.Background()
	admin := Open(t, primaryBase)
	lock, err := admin.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.ExecContext(ctx, "SELECT pg_advisory_lock(4242019)"); err != nil {
		t.Fatal(err)
	}
	schema := "r_" + random()
	if err := admin.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	withPath := func(base string) string {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	p := Pair{PrimaryURL: withPath(primaryBase), ReplicaURL: withPath(replicaBase)}
	rep := Open(t, replicaBase)
	t.Cleanup(func() {
		_ = rep.Gorm.Exec("SELECT pg_wal_replay_resume()").Error
		_ = admin.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_, _ = lock.ExecContext(ctx, "SELECT pg_advisory_unlock(4242019)")
		_ = lock.Close()
	})
	_ = rep.Gorm.Exec("SELECT pg_wal_replay_resume()").Error // a test that died paused
	p.Primary = openMigrated(t, p.PrimaryURL)
	WaitReplayed(t, p.Primary, replicaBase)
	return p
}

// WaitReplayed waits until the replica has replayed everything the primary has written so far (a wait for a
// condition, not a timed assertion: it fails only after a minute).
func WaitReplayed(t testing.TB, primary *database.DB, replicaURL string) {
	t.Helper()
	rep, err := sql.Open("pgx", replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rep.Close() }() // a pool of this call only: nothing left to report
	var target string
	if err := primary.SQL().QueryRow("SELECT pg_current_wal_insert_lsn()::text").Scan(&target); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var done bool
		err := rep.QueryRow("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", target).Scan(&done)
		if err == nil && done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not replay up to %s within a minute (last error: %v)", target, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// PauseReplay stops the replica applying WAL (it keeps receiving it): the replica lags from now on, until
// ResumeReplay or the end of the test.
func PauseReplay(t testing.TB, replicaURL string) {
	t.Helper()
	replayControl(t, replicaURL, "SELECT pg_wal_replay_pause()")
}

// ResumeReplay lets the replica catch up again.
func ResumeReplay(t testing.TB, replicaURL string) {
	t.Helper()
	replayControl(t, replicaURL, "SELECT pg_wal_replay_resume()")
}

func replayControl(t testing.TB, replicaURL, stmt string) {
	rep, err := sql.Open("pgx", replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rep.Close() }() // a pool of this call only: nothing left to report
	if _, err := rep.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
