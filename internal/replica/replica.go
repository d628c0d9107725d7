// Package replica owns reading from PostgreSQL streaming replicas: it plugs gorm's dbresolver plugin into the
// primary's gorm handle so that plain reads may go to a replica while writes, transactions and locking reads
// stay on the primary, and it decides, per request, whether a replica may answer at all.
//
// A replica answers only the reads of a request that the HTTP layer marked read-only (ReadOnly), and only when
// it is current enough for that caller: its replayed WAL position is at or past the position the caller's
// own last write reached on the primary (read-your-own-writes, carried by the client between requests, so it
// holds across server instances), its replay lag is within MaxLag, it is in recovery and its WAL receiver
// runs. Anything else, and every read outside a marked request (sign-in, sessions, grants, background jobs),
// goes to the primary. A replica that is down, or fails a statement with a connection error or a recovery
// conflict, is set aside for a few seconds and the statement is run again on the primary: a replica never
// fails a request that the primary could answer.
package replica

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// DefaultMaxLag is how far behind the primary a replica may be for readers that carry no position of their own.
const DefaultMaxLag = 30 * time.Second

const (
	// probeTTL is how long one replica's measured state is reused. The replayed position only grows, so a
	// cached position already past a caller's is still valid; the lag and health it reports age, and a
	// second is what a decision may be late by.
	probeTTL = time.Second
	// probeTimeout bounds the probe, connection included: a replica that does not answer within it counts as down.
	probeTimeout = time.Second
	// downFor is how long a failed replica is left alone before it is probed again.
	downFor = 5 * time.Second
)

// Options configure the router.
type Options struct {
	// MaxLag bounds the staleness seen by readers without a position of their own; zero means DefaultMaxLag.
	MaxLag time.Duration
	// StatementTimeout is set on every replica connection like on the primary's (zero: the server's setting).
	StatementTimeout time.Duration
}

// Router sends the reads of marked requests to a current replica, and everything else to the primary.
type Router struct {
	primary  *sql.DB
	replicas []*node
	maxLag   time.Duration
	next     atomic.Uint32 // round robin among usable replicas

	onRep, onPrim, retried atomic.Int64 // since start, for Counts
}

// Counts are the reads of marked requests since start: answered by a replica, sent to the primary (lagging or
// unusable replica, or a request that wrote), and failed on a replica then answered by the primary.
func (r *Router) Counts() (replica, primary, retried int64) {
	return r.onRep.Load(), r.onPrim.Load(), r.retried.Load()
}

// node is one replica with its last measured state.
type node struct {
	name string // host:port, for logs and errors (never the password)
	db   *sql.DB

	mu        sync.Mutex
	probedAt  time.Time
	probing   bool
	replayed  LSN
	usable    bool // in recovery, receiving WAL and within MaxLag at probedAt
	downUntil time.Time
}

// Attach opens the replicas (without connecting: a replica down at start-up must not stop the server) and
// registers dbresolver on g, whose own pool stays the source of every write and transaction.
func Attach(g *gorm.DB, urls []string, opts Options) (*Router, error) {
	if len(urls) == 0 {
		return nil, errors.New("replica: no replica URL")
	}
	primary, err := g.DB()
	if err != nil {
		return nil, err
	}
	r := &Router{primary: primary, maxLag: opts.MaxLag}
	if r.maxLag <= 0 {
		r.maxLag = DefaultMaxLag
	}
	for i, raw := range urls {
		n, err := openNode(raw, opts.StatementTimeout)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("replica %d: %w", i+1, err)
		}
		r.replicas = append(r.replicas, n)
	}
	pool := &routedPool{r: r}
	resolver := dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{postgres.New(postgres.Config{Conn: pool})},
	})
	if err := g.Use(resolver); err != nil {
		r.Close()
		return nil, fmt.Errorf("replica: register dbresolver: %w", err)
	}
	// A request that wrote reads its own write on the primary from then on, whatever route it is.
	mark := func(db *gorm.DB) {
		if st := stateFrom(db.Statement.Context); st != nil {
			st.wrote.Store(true)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().Before("*").Register("argine:replica_wrote", mark),
		cb.Update().Before("*").Register("argine:replica_wrote", mark),
		cb.Delete().Before("*").Register("argine:replica_wrote", mark),
		cb.Raw().Before("*").Register("argine:replica_wrote", mark),
	} {
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("replica: register callbacks: %w", err)
		}
	}
	return r, nil
}

func openNode(raw string, statementTimeout time.Duration) (*node, error) {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return nil, errors.New("a replica URL must be postgres:// or postgresql://")
	}
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("invalid PostgreSQL URL")
	}
	if _, set := cfg.RuntimeParams["statement_timeout"]; !set && statementTimeout > 0 {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(max(statementTimeout.Milliseconds(), 1), 10)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &node{name: net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))), db: db}, nil
}

// Close releases the replicas' pools (the primary's belongs to its owner).
func (r *Router) Close() {
	for _, n := range r.replicas {
		_ = n.db.Close()
	}
}

// MaxLag is the staleness bound for readers without a position.
func (r *Router) MaxLag() time.Duration { return r.maxLag }

// PrimaryLSN is the primary's current WAL insert position: every transaction committed before the call ends
// at or before it, committed asynchronously or not, so a replica that has replayed up to it shows them all.
func (r *Router) PrimaryLSN(ctx context.Context) (LSN, error) {
	var s string
	if err := r.primary.QueryRowContext(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&s); err != nil {
		return 0, fmt.Errorf("replica: primary WAL position: %w", err)
	}
	return ParseLSN(s)
}

// Status describes the replicas for the readiness report and the logs.
type Status struct {
	Name     string
	Usable   bool
	Replayed LSN
	Err      error
}

// Statuses probes every replica now.
func (r *Router) Statuses(ctx context.Context) []Status {
	out := make([]Status, 0, len(r.replicas))
	for _, n := range r.replicas {
		replayed, usable, err := n.probe(ctx, r.maxLag)
		out = append(out, Status{Name: n.name, Usable: usable, Replayed: replayed, Err: err})
	}
	return out
}

// choose returns the replica that may answer st's reads, or nil for the primary. It is asked once per request.
func (r *Router) choose(ctx context.Context, st *State) *node {
	if len(r.replicas) == 0 {
		return nil
	}
	start := int(r.next.Add(1))
	for i := range r.replicas {
		n := r.replicas[(start+i)%len(r.replicas)]
		if n.current(ctx, st.minLSN, r.maxLag) {
			return n
		}
	}
	return nil
}

// current says whether n has replayed at least min and is otherwise usable, probing it when its cached state
// is too old, or too far behind for this caller. While another request probes n, this one does not wait.
func (n *node) current(ctx context.Context, min LSN, maxLag time.Duration) bool {
	now := time.Now()
	n.mu.Lock()
	if now.Before(n.downUntil) {
		n.mu.Unlock()
		return false
	}
	if now.Sub(n.probedAt) < probeTTL && (!n.usable || n.replayed >= min) {
		// Measured a moment ago: unusable stays so until the next probe, and a position already past the
		// caller's stays past it. Only a caller ahead of the cached position makes it probe again.
		ok := n.usable
		n.mu.Unlock()
		return ok
	}
	if n.probing {
		n.mu.Unlock()
		return false
	}
	n.probing = true
	n.mu.Unlock()
	replayed, usable, _ := n.probe(ctx, maxLag)
	n.mu.Lock()
	n.probing = false
	n.mu.Unlock()
	return usable && replayed >= min
}

// probe measures n and records the result; a failure sets n aside for downFor.
func (n *node) probe(ctx context.Context, maxLag time.Duration) (LSN, bool, error) {
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
	defer cancel()
	var (
		inRecovery, receiving bool
		replayed              sql.NullString
		lagSeconds            float64
	)
	// The lag is zero when everything received is replayed; otherwise it is the age of the last transaction
	// replayed, measured on the replica's clock, and unknown (so too much) when none was replayed since the
	// replica started. A replica without a running WAL receiver cannot know how far behind it is, and is not
	// used. (pg_stat_wal_receiver shows its row, though not its details, to any role.)
	err := n.db.QueryRowContext(pctx, `SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
		CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		     ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8, 1e9) END,
		EXISTS (SELECT 1 FROM pg_stat_wal_receiver)`).Scan(&inRecovery, &replayed, &lagSeconds, &receiving)
	var lsn LSN
	if err == nil && replayed.Valid {
		lsn, err = ParseLSN(replayed.String)
	}
	usable := err == nil && inRecovery && receiving && replayed.Valid &&
		time.Duration(lagSeconds*float64(time.Second)) <= maxLag
	n.mu.Lock()
	defer n.mu.Unlock()
	n.probedAt = time.Now()
	if err != nil {
		n.usable = false
		n.downUntil = n.probedAt.Add(downFor)
		return 0, false, fmt.Errorf("replica %s: %w", n.name, err)
	}
	n.replayed, n.usable = lsn, usable
	return lsn, usable, nil
}

// setAside marks n down after a failed statement.
func (n *node) setAside() {
	n.mu.Lock()
	n.usable = false
	n.downUntil = time.Now().Add(downFor)
	n.mu.Unlock()
}

// LSN is a PostgreSQL WAL position (pg_lsn), comparable as a number.
type LSN uint64

// ParseLSN reads the text form "16/B374D848".
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || hi == "" || lo == "" || len(hi) > 8 || len(lo) > 8 {
		return 0, fmt.Errorf("replica: invalid WAL position %q", s)
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("replica: invalid WAL position %q", s)
	}
	return LSN(h<<32 | l), nil
}

func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint64(l)&0xFFFFFFFF) }

// State is what one request knows about its reads. It is safe for the request's goroutines to share.
type State struct {
	r      *Router
	minLSN LSN

	once   sync.Once
	chosen atomic.Pointer[node] // nil: the primary

	wrote   atomic.Bool
	onRep   atomic.Int64
	onPrim  atomic.Int64
	retried atomic.Int64
}

type stateKey struct{}

// ReadOnly marks ctx as a read-only request whose reads a replica may answer once it has replayed min (the
// caller's last write; 0 when the caller brings none).
func (r *Router) ReadOnly(ctx context.Context, min LSN) (context.Context, *State) {
	st := &State{r: r, minLSN: min}
	return context.WithValue(ctx, stateKey{}, st), st
}

// Primary strips the read-only mark: reads under the returned context go to the primary whatever the route
// (authorization data read inside a read-only request, for instance).
func Primary(ctx context.Context) context.Context {
	if stateFrom(ctx) == nil {
		return ctx
	}
	return context.WithValue(ctx, stateKey{}, (*State)(nil))
}

func stateFrom(ctx context.Context) *State {
	if ctx == nil {
		return nil
	}
	st, _ := ctx.Value(stateKey{}).(*State)
	return st
}

// Wrote reports whether the request wrote anything (its reads then stayed on the primary).
func (st *State) Wrote() bool { return st.wrote.Load() }

// ReplicaReads counts the statements a replica answered for this request.
func (st *State) ReplicaReads() int64 { return st.onRep.Load() }

// PrimaryReads counts the reads sent to the primary, retries after a replica failure included.
func (st *State) PrimaryReads() int64 { return st.onPrim.Load() }

// Retried counts the reads a replica failed and the primary answered.
func (st *State) Retried() int64 { return st.retried.Load() }

// replicaFor returns the replica for a read under ctx, or nil for the primary.
func (r *Router) replicaFor(ctx context.Context) (*State, *node) {
	st := stateFrom(ctx)
	if st == nil || st.r != r || st.wrote.Load() {
		return st, nil
	}
	st.once.Do(func() { st.chosen.Store(r.choose(ctx, st)) })
	return st, st.chosen.Load()
}

// routedPool is the one "replica" dbresolver knows: it sends each read to the replica chosen for the request,
// or to the primary.
type routedPool struct{ r *Router }

func (p *routedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, n := p.r.replicaFor(ctx)
	if n != nil {
		rows, err := n.db.QueryContext(ctx, query, args...)
		if err == nil || !fallback(ctx, err) {
			if err == nil {
				st.onRep.Add(1)
				p.r.onRep.Add(1)
			}
			return rows, err
		}
		if unreachable(err) {
			n.setAside()
		}
		st.chosen.Store(nil) // the rest of the request reads the primary too
		st.retried.Add(1)
		p.r.retried.Add(1)
	}
	if st != nil {
		st.onPrim.Add(1)
		p.r.onPrim.Add(1)
	}
	return p.r.primary.QueryContext(ctx, query, args...)
}

// QueryRowContext cannot retry (a *sql.Row reports its error only at Scan), so it runs on the replica only
// when that was just found current; gorm uses it for Row() alone.
func (p *routedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, n := p.r.replicaFor(ctx)
	if n != nil {
		st.onRep.Add(1)
		p.r.onRep.Add(1)
		return n.db.QueryRowContext(ctx, query, args...)
	}
	if st != nil {
		st.onPrim.Add(1)
		p.r.onPrim.Add(1)
	}
	return p.r.primary.QueryRowContext(ctx, query, args...)
}

// ExecContext and PrepareContext always go to the primary: dbresolver sends an Exec here only for a SELECT,
// and a statement prepared on one server cannot run on another.
func (p *routedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.r.primary.ExecContext(ctx, query, args...)
}

func (p *routedPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.r.primary.PrepareContext(ctx, query)
}

// fallback says whether a replica's failure should be retried on the primary: anything but an answer of the
// server (the connection failed, the replica went away), a replica shutting down, or a read the replica
// cancelled because replay needed its rows (a recovery conflict). The server's errors about the query itself,
// and the caller's own cancellation, would be the same on the primary and are returned as they are.
func fallback(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || // connection, shutdown
			pgErr.Code == "40001" // canceling statement due to conflict with recovery
	}
	return true
}

// unreachable says whether err means the replica itself is gone (then it is set aside for a while), rather
// than one statement failing there.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connErr) || errors.As(err, &netErr) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) ||
		pgconn.SafeToRetry(err) || pgconn.Timeout(err)
}
