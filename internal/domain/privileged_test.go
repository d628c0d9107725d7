package domain

import (
	"strings"
	"testing"
)

func TestRoleConflict(t *testing.T) {
	g := func(roles ...Role) []Grant {
		var out []Grant
		for _, r := range roles {
			out = append(out, Grant{Role: r})
		}
		return out
	}
	for _, c := range []struct {
		have     []Grant
		add      Role
		conflict bool
	}{
		{g(), RoleAdmin, false},
		{g(RoleAdmin), RoleAdmin, false},
		{g(RoleAdmin), RoleDirector, true},
		{g(RoleDirector), RoleAdmin, true},
		{g(RoleAdmin), RoleRPCT, true},
		{g(RoleRPCT), RoleAdmin, true},
		{g(RoleOIV), RoleReferente, true},
		{g(RoleReferente), RoleOIV, true},
		{g(RoleRPCT), RoleOIV, true},
		{g(RoleRPCT), RoleDirector, false}, // the Segretario Generale: RPCT and director
		{g(RoleDirector, RoleReferente), RoleRPCT, false},
	} {
		if got := RoleConflict(c.have, c.add) != ""; got != c.conflict {
			t.Errorf("%v + %s: conflict %v, want %v", c.have, c.add, got, c.conflict)
		}
	}
}

func TestRequestKinds(t *testing.T) {
	for _, k := range RequestKinds {
		if !k.Valid() || !k.Role().Privileged() || !strings.HasSuffix(string(k), "_"+string(k.Role())) {
			t.Errorf("%s: valid %v role %s", k, k.Valid(), k.Role())
		}
	}
	if RequestKind("grant_director").Valid() || RequestResetPasswordOIV.Role() != RoleOIV || RequestDisableRPCT.Role() != RoleRPCT {
		t.Error("kind rules")
	}
	if PrivilegedRole([]Grant{{Role: RoleRPCT}, {Role: RoleOIV}}) != RoleOIV || PrivilegedRole([]Grant{{Role: RoleDirector}}) != "" {
		t.Error("PrivilegedRole")
	}
}
