package service

import (
	"context"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// SessionView is an active session as the interface shows it: where and on what it was opened, when it was
// last refreshed, and whether it is the one making the request.
type SessionView struct {
	store.SessionInfo
	Browser string `json:"browser"` // from the User-Agent at sign-in; "" when not recognised
	OS      string `json:"os"`
	Current bool   `json:"current"`
}

func sessionViews(list []store.SessionInfo, current string) []SessionView {
	out := make([]SessionView, 0, len(list))
	for _, s := range list {
		b, o := Device(s.UserAgent)
		out = append(out, SessionView{SessionInfo: s, Browser: b, OS: o, Current: s.ID == current})
	}
	return out
}

// Device names the browser and operating system of a User-Agent, coarsely: enough for a person to recognise
// their own devices, no more (the raw string is shown too).
func Device(ua string) (browser, os string) {
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/"):
		browser = "Edge"
	case has("OPR/"):
		browser = "Opera"
	case has("Firefox/"):
		browser = "Firefox"
	case has("Chrome/") || has("CriOS/"):
		browser = "Chrome"
	case has("Safari/"):
		browser = "Safari"
	case has("curl/"):
		browser = "curl"
	}
	switch {
	case has("Android"):
		os = "Android"
	case has("iPhone") || has("iPad"):
		os = "iOS"
	case has("Windows"):
		os = "Windows"
	case has("Mac OS X") || has("Macintosh"):
		os = "macOS"
	case has("Linux"):
		os = "Linux"
	}
	return browser, os
}

// MySessions lists the actor's active sessions.
func (a *Auth) MySessions(ctx context.Context, actor domain.Actor) ([]SessionView, error) {
	list, err := a.store.ActiveSessions(ctx, actor.EnteID, actor.UserID, a.now())
	if err != nil {
		return nil, err
	}
	return sessionViews(list, actor.SessionID), nil
}

// EndMySession ends one of the actor's sessions (the current one too: that is a sign-out). Another person's
// session is 404.
func (a *Auth) EndMySession(ctx context.Context, actor domain.Actor, id string) error {
	defer a.cache.ForgetSession(id)
	return a.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.EndUserSession(ctx, actor.EnteID, actor.UserID, id, "ended_by_owner"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "session", id, "end_session", nil, map[string]string{"user_id": actor.UserID})
	})
}

// targetForSessions loads a user of the actor's ente whose sessions the actor may see and end: the same
// separation rules as any change to that account (the administrator does not act on the RPCT's or the OIV's
// sessions; nobody but an administrator acts on the OIV's).
func (u *Users) targetForSessions(ctx context.Context, actor domain.Actor, id string) (domain.User, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.User{}, err
	}
	target, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return domain.User{}, err
	}
	return target, guardTarget(actor, target, opProfile, "")
}

// UserSessions lists the active sessions of a user of the actor's ente.
func (u *Users) UserSessions(ctx context.Context, actor domain.Actor, id string) ([]SessionView, error) {
	target, err := u.targetForSessions(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	list, err := u.store.ActiveSessions(ctx, actor.EnteID, target.ID, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	return sessionViews(list, actor.SessionID), nil
}

// EndUserSessions ends every session of a user of the actor's ente (a lost laptop, a departure); it answers
// how many were open. The actor's own current session is kept: their own sessions end from their profile.
func (u *Users) EndUserSessions(ctx context.Context, actor domain.Actor, id string) (int64, error) {
	target, err := u.targetForSessions(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	keep := ""
	if target.ID == actor.UserID {
		keep = actor.SessionID
	}
	defer u.cache.ForgetUser(target.ID)
	var n int64
	err = u.store.WithTx(ctx, func(tx *store.Store) error {
		var err error
		if n, err = tx.CountOpenSessions(ctx, actor.EnteID, target.ID); err != nil {
			return err
		}
		if keep != "" && n > 0 {
			n--
		}
		if err := tx.RevokeUserSessions(ctx, actor.EnteID, target.ID, keep, "ended_by_admin"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "user", target.ID, "end_sessions", nil, map[string]int64{"sessions": n})
	})
	return n, err
}
