package service

import (
	"sync"
	"time"

	"github.com/argine-pa/argine/internal/store"
)

// AccessCache keeps, for a very short time, the user, session and grants state every authenticated request
// checks, so that a request does not pay a database round trip for it. Every change made through this
// process (sign-out, disabling, grants, passwords) drops the affected entries at once; a change made by
// another instance or by the command line is seen within the TTL. That is why a server on a database other
// instances may share runs without it (AccessCacheTTL).
type AccessCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cachedAccess // by session id
}

type cachedAccess struct {
	state   store.AuthState
	expires time.Time
}

// maxCachedSessions bounds the cache; past it, expired entries are swept.
const maxCachedSessions = 10000

// AccessCacheTTL is the access cache's lifetime for a server. On a database several `argine serve` may share
// behind a load balancer (PostgreSQL) it is zero: a sign-out, a disabled account or a revoked grant made on
// one instance must be refused by the next request on any other, and an invalidation sent between instances
// would still race with that request. The cache saved one indexed statement per request. A SQLite file is
// served by one process, whose own changes drop its entries at once: there the cache is kept.
func AccessCacheTTL(sharedDatabase bool) time.Duration {
	if sharedDatabase {
		return 0
	}
	return DefaultAuthConfig().AccessCacheTTL
}

// NewAccessCache builds a cache; a zero TTL disables it (every request reads the database).
func NewAccessCache(ttl time.Duration) *AccessCache {
	return &AccessCache{ttl: ttl, entries: map[string]cachedAccess{}}
}

func (c *AccessCache) get(sessionID string, now time.Time) (store.AuthState, bool) {
	if c == nil || c.ttl <= 0 {
		return store.AuthState{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sessionID]
	if !ok || !now.Before(e.expires) {
		return store.AuthState{}, false
	}
	return e.state, true
}

func (c *AccessCache) put(sessionID string, st store.AuthState, now time.Time) {
	if c == nil || c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedSessions {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCachedSessions {
			clear(c.entries)
		}
	}
	c.entries[sessionID] = cachedAccess{state: st, expires: now.Add(c.ttl)}
}

// ForgetSession drops one session's entry.
func (c *AccessCache) ForgetSession(sessionID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.entries, sessionID)
	c.mu.Unlock()
}

// ForgetUser drops the entries of every session of a user.
func (c *AccessCache) ForgetUser(userID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	for k, e := range c.entries {
		if e.state.UserID == userID {
			delete(c.entries, k)
		}
	}
	c.mu.Unlock()
}
