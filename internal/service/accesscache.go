package service

import (
	"sync"
	"time"

	"github.com/argine-pa/argine/internal/store"
)

// AccessCache keeps, for a very short time, the user, session and grants state every authenticated request
// checks, so that a request does not pay a database round trip for it. Every change made through this
// process (sign-out, disabling, grants, passwords) drops the affected entries at once; a change made by
// another instance or by the command line is seen within the TTL.
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
