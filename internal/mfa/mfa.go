// Package mfa owns the second factor's machinery: TOTP secrets (RFC 6238: SHA-1, 6 digits, 30-second steps,
// what every authenticator app reads from a QR code), their verification with one step of clock skew, and
// single-use recovery codes. Storage and policy (who must enrol, throttling, audit) live in the service.
package mfa

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Period is the length of a TOTP step.
const Period = 30

// Enrolment is what a person needs to add the account to an authenticator app.
type Enrolment struct {
	Secret string `json:"secret"`      // base32, for typing by hand
	URI    string `json:"otpauth_uri"` // otpauth://totp/...
	QRPNG  string `json:"qr_png"`      // data:image/png;base64,... of the URI
}

// NewEnrolment generates a fresh 160-bit secret for account (the username) at issuer (the ente's name).
func NewEnrolment(issuer, account string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URI: key.URL(),
		QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// Verify checks a 6-digit code at t, accepting the step before and after (clocks drift). It returns the step
// the code belongs to, so that the caller can refuse a code used before.
func Verify(secret, code string, t time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		at := t.Add(time.Duration(d*Period) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / Period, true
		}
	}
	return 0, false
}

// Code returns the code of secret at t (tests and the operator's checks).
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// recoveryAlphabet leaves out look-alikes (0/O, 1/I/L) so that codes written on paper read back right.
const recoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewRecoveryCodes returns RecoveryCodeCount codes of the form XXXXX-XXXXX (about 49 bits each).
func NewRecoveryCodes() ([]string, error) {
	out := make([]string, RecoveryCodeCount)
	b := make([]byte, 10)
	for i := range out {
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		var sb strings.Builder
		for j, c := range b {
			if j == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[int(c)%len(recoveryAlphabet)])
		}
		out[i] = sb.String()
	}
	return out, nil
}

// HashRecoveryCode is how a recovery code is stored and looked up: spaces, dashes and case do not matter.
func HashRecoveryCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("argine-recovery:" + norm))
	return hex.EncodeToString(sum[:])
}
