package replica_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/replica"
	"github.com/argine-pa/argine/internal/store"
)

func TestParseLSN(t *testing.T) {
	for s, want := range map[string]replica.LSN{"0/0": 0, "0/16B3748": 0x16B3748, "16/B374D848": 0x16_B374D848, "FFFFFFFF/FFFFFFFF": 1<<64 - 1} {
		got, err := replica.ParseLSN(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("%s: %v %v (%s)", s, got, err, got.String())
		}
	}
	for _, bad := range []string{"", "16", "/1", "1/", "x/1", "1/2/3", "123456789/0", "-1/0"} {
		if _, err := replica.ParseLSN(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	a, _ := replica.ParseLSN("1/0")
	b, _ := replica.ParseLSN("0/FFFFFFFF")
	if a <= b {
		t.Fatal("positions do not compare as WAL positions")
	}
}

// inRecovery asks the server that answers a plain read under ctx whether it is a replica.
func inRecovery(t *testing.T, g *gorm.DB, ctx context.Context) bool {
	t.Helper()
	var b bool
	if err := g.WithContext(ctx).Raw("SELECT pg_is_in_recovery()").Scan(&b).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

func noteExists(t *testing.T, g *gorm.DB, ctx context.Context, id int) bool {
	t.Helper()
	var n int64
	if err := g.WithContext(ctx).Table("notes").Where("id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func attach(t *testing.T, primaryURL string, replicaURL string, opts replica.Options) (*database.DB, *replica.Router) {
	t.Helper()
	db := dbtest.Open(t, primaryURL)
	r, err := replica.Attach(db.Gorm, []string{replicaURL}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return db, r
}

// TestReplicaRouting goes through the routing on a real primary and streaming replica: the reads of a
// read-only request are answered by the replica, writes and transactions by the primary, a caller's own
// write is seen even while the replica's replay is paused, a replica beyond the lag bound answers no one, and
// a replica that is down (from the start or in the middle of a request) leaves the reads to the primary.
func TestReplicaRouting(t *testing.T) {
	pair := dbtest.ReplicaPair(t)
	ctx := context.Background()
	if err := pair.Primary.Gorm.Exec("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := pair.Primary.Gorm.Exec("INSERT INTO notes VALUES (1, 'one')").Error; err != nil {
		t.Fatal(err)
	}
	dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL)
	db, r := attach(t, pair.PrimaryURL, pair.ReplicaURL, replica.Options{})
	g := db.Gorm

	t.Run("reads of a read-only request hit the replica", func(t *testing.T) {
		rctx, st := r.ReadOnly(ctx, 0)
		if !inRecovery(t, g, rctx) || !noteExists(t, g, rctx, 1) {
			t.Fatal("a read-only request's reads were not answered by the replica")
		}
		if st.ReplicaReads() != 2 || st.PrimaryReads() != 0 {
			t.Fatalf("replica %d, primary %d", st.ReplicaReads(), st.PrimaryReads())
		}
		if inRecovery(t, g, ctx) || inRecovery(t, g, replica.Primary(rctx)) {
			t.Fatal("an unmarked read went to the replica")
		}
	})

	t.Run("authorization data is read on the primary", func(t *testing.T) {
		rctx, st := r.ReadOnly(ctx, 0)
		s := store.New(db)
		const none = "00000000-0000-7000-8000-000000000000"
		if _, err := s.Grants(rctx, none, none); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AuthState(rctx, none, none, none); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Fatalf("auth state: %v", err) // not found: the query ran, on the primary
		}
		_, _ = s.CredentialsByUsername(rctx, "nobody")          // idem
		_, _ = s.RefreshTokenByHash(rctx, "no-such-token-hash") // idem
		if st.ReplicaReads() != 0 {
			t.Fatalf("%d reads of sessions or grants went to the replica", st.ReplicaReads())
		}
	})

	t.Run("writes, transactions and what follows a write stay on the primary", func(t *testing.T) {
		rctx, st := r.ReadOnly(ctx, 0)
		var onReplica bool
		if err := g.WithContext(rctx).Transaction(func(tx *gorm.DB) error {
			return tx.Raw("SELECT pg_is_in_recovery()").Scan(&onReplica).Error
		}); err != nil || onReplica {
			t.Fatalf("a transaction's read went to the replica (%v)", err)
		}
		if err := g.WithContext(rctx).Exec("INSERT INTO notes VALUES (2, 'two')").Error; err != nil {
			t.Fatalf("a write of a read-only request: %v", err)
		}
		if !st.Wrote() || inRecovery(t, g, rctx) || !noteExists(t, g, rctx, 2) {
			t.Fatal("a request read on the replica after writing")
		}
	})

	t.Run("a caller's own write is read back while replay is paused", func(t *testing.T) {
		dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL)
		dbtest.PauseReplay(t, pair.ReplicaURL)
		if err := g.WithContext(ctx).Exec("INSERT INTO notes VALUES (3, 'three')").Error; err != nil {
			t.Fatal(err)
		}
		lsn, err := r.PrimaryLSN(ctx)
		if err != nil {
			t.Fatal(err)
		}
		own, st := r.ReadOnly(ctx, lsn)
		if !noteExists(t, g, own, 3) || st.ReplicaReads() != 0 || st.PrimaryReads() != 1 {
			t.Fatalf("own write not seen, or read on the lagging replica (replica %d, primary %d)", st.ReplicaReads(), st.PrimaryReads())
		}
		// Someone without a position reads the replica, within the lag bound: the new row is not there yet.
		other, st := r.ReadOnly(ctx, 0)
		if noteExists(t, g, other, 3) || st.ReplicaReads() != 1 {
			t.Fatal("the paused replica did not answer a reader without a position")
		}
		// With a tight lag bound the paused replica answers no one.
		tight, rt := attach(t, pair.PrimaryURL, pair.ReplicaURL, replica.Options{MaxLag: time.Millisecond})
		other, st = rt.ReadOnly(ctx, 0)
		if !noteExists(t, tight.Gorm, other, 3) || st.ReplicaReads() != 0 {
			t.Fatal("a replica beyond the lag bound answered")
		}
		dbtest.ResumeReplay(t, pair.ReplicaURL)
		dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL)
		own, st = r.ReadOnly(ctx, lsn)
		if !noteExists(t, g, own, 3) || st.ReplicaReads() != 1 {
			t.Fatal("the caught-up replica did not answer")
		}
	})

	t.Run("a replica down leaves the reads to the primary", func(t *testing.T) {
		// Nothing listens on a port just freed.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := withHost(t, pair.ReplicaURL, l.Addr().String())
		l.Close()
		ddb, dr := attach(t, pair.PrimaryURL, dead, replica.Options{})
		rctx, st := dr.ReadOnly(ctx, 0)
		if inRecovery(t, ddb.Gorm, rctx) || !noteExists(t, ddb.Gorm, rctx, 1) || st.ReplicaReads() != 0 {
			t.Fatal("reads failed or went to a dead replica")
		}

		// In the middle of a request: the replica answers the first read, then its connections break.
		p := startProxy(t, hostOf(t, pair.ReplicaURL))
		pdb, pr := attach(t, pair.PrimaryURL, withHost(t, pair.ReplicaURL, p.addr()), replica.Options{})
		rctx, st = pr.ReadOnly(ctx, 0)
		if !inRecovery(t, pdb.Gorm, rctx) {
			t.Fatal("the replica behind the proxy did not answer")
		}
		p.close()
		if inRecovery(t, pdb.Gorm, rctx) || !noteExists(t, pdb.Gorm, rctx, 1) {
			t.Fatal("the request's later reads did not move to the primary")
		}
		if st.Retried() != 1 || st.ReplicaReads() != 1 {
			t.Fatalf("retried %d, replica %d", st.Retried(), st.ReplicaReads())
		}
		// The next request does not even try the replica set aside.
		rctx, st = pr.ReadOnly(ctx, 0)
		if inRecovery(t, pdb.Gorm, rctx) || st.Retried() != 0 || st.PrimaryReads() != 1 {
			t.Fatal("a replica set aside was tried again at once")
		}
	})
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func withHost(t *testing.T, raw, host string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = host
	return u.String()
}

// proxy forwards TCP connections to a server until closed, when it drops the listener and every connection:
// to the client, the server has gone away.
type proxy struct {
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l}
	t.Cleanup(p.close)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.l.Addr().String() }

func (p *proxy) close() {
	p.l.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
