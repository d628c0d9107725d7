package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/notify/mailpittest"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns the pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// STARTTLS with authentication, and TLS from the first byte (smtps://), against a real server that requires
// them; an untrusted certificate is refused.
func TestSMTPTLSAndAuth(t *testing.T) {
	cert, key, pool := selfSigned(t)
	for _, c := range []struct {
		name, scheme string
		args         []string
	}{
		{"starttls", "smtp", []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls"}},
		{"implicit", "smtps", []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-tls"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := mailpittest.StartWith(t, mailpittest.Options{Args: c.args})
			cfg, err := notify.ParseSMTPURL(c.scheme + "://argine:s3cret@" + srv.SMTPAddr + "?from=argine%40ente.example")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Timeout = 5 * time.Second
			msg := []notify.Outgoing{notify.Render(notify.Outgoing{MessageID: "tls-" + c.name + "@argine", To: "rpct@ente.example", Subject: "Prova", Date: time.Now()}, "Testo", "/", "")}
			// Not trusted: refused, nothing delivered.
			if errs := notify.NewSMTPMailer(cfg).Send(context.Background(), msg); errs[0] == nil {
				t.Fatal("sent over TLS to an untrusted certificate")
			}
			cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
			if errs := notify.NewSMTPMailer(cfg).Send(context.Background(), msg); errs[0] != nil {
				t.Fatal(errs[0])
			}
			if got := srv.WaitCount(1); got != 1 {
				t.Fatalf("delivered %d", got)
			}
		})
	}
}
