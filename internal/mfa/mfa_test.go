package mfa

import (
	"strings"
	"testing"
	"time"
)

func TestVerifyAcceptsOneStepOfSkewOnly(t *testing.T) {
	e, err := NewEnrolment("Argine test", "vale")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.URI, "otpauth://totp/") || !strings.HasPrefix(e.QRPNG, "data:image/png;base64,") {
		t.Fatalf("enrolment: %+v", e)
	}
	t0 := time.Date(2026, 12, 3, 9, 0, 15, 0, time.UTC)
	code, err := Code(e.Secret, t0)
	if err != nil {
		t.Fatal(err)
	}
	step, ok := Verify(e.Secret, code, t0)
	if !ok || step != t0.Unix()/Period {
		t.Fatalf("same step: %d %v", step, ok)
	}
	if _, ok := Verify(e.Secret, code[:3]+" "+code[3:], t0.Add(30*time.Second)); !ok {
		t.Fatal("the next step (clock drift), with a space, is refused")
	}
	if _, ok := Verify(e.Secret, code, t0.Add(90*time.Second)); ok {
		t.Fatal("a code three steps old is accepted")
	}
	if _, ok := Verify(e.Secret, "12345", t0); ok {
		t.Fatal("five digits accepted")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, err := NewRecoveryCodes()
	if err != nil || len(codes) != RecoveryCodeCount {
		t.Fatalf("%v %v", codes, err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || strings.ContainsAny(c, "01ILO") || seen[c] {
			t.Fatalf("bad code %q", c)
		}
		seen[c] = true
	}
	c := codes[0]
	if HashRecoveryCode(c) != HashRecoveryCode(" "+strings.ToLower(strings.ReplaceAll(c, "-", ""))+" ") {
		t.Fatal("case, dashes and spaces change the hash")
	}
	if HashRecoveryCode(codes[0]) == HashRecoveryCode(codes[1]) {
		t.Fatal("two codes hash alike")
	}
}
