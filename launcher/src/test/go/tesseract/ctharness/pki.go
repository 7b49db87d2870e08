package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// The PKI's files under the directory pki writes.
const (
	logKeyFile          = "log-key.pem"        // TesseraCT's --private_key (posix), --signer_private_key_file (aws): SEC1 "EC PRIVATE KEY"
	logPublicKeyPEMFile = "log-public-key.pem" // TesseraCT's --signer_public_key_file (aws): PKIX "PUBLIC KEY"
	logPublicKeyFile    = "log-public-key.b64" // base64 DER SubjectPublicKeyInfo, as CT log lists publish it
	rootsFile           = "roots.pem"          // TesseraCT's --roots_pem_file
)

// intermediates are the two CAs below the root that issue the leaves.
var intermediates = []string{"intermediate-a", "intermediate-b"}

// ca is a certificate with its key.
type ca struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func writePKI(dir string) error {
	if dir == "" {
		return errors.New("-dir is required")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	logKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	sec1, err := x509.MarshalECPrivateKey(logKey)
	if err != nil {
		return err
	}
	if err := writePEM(filepath.Join(dir, logKeyFile), "EC PRIVATE KEY", sec1); err != nil {
		return err
	}
	spki, err := x509.MarshalPKIXPublicKey(&logKey.PublicKey)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, logPublicKeyFile), []byte(base64.StdEncoding.EncodeToString(spki)), 0o644); err != nil {
		return err
	}
	if err := writePEM(filepath.Join(dir, logPublicKeyPEMFile), "PUBLIC KEY", spki); err != nil {
		return err
	}

	root, err := newCA("tlog-migrate test root", nil)
	if err != nil {
		return err
	}
	if err := saveCA(dir, "root", root); err != nil {
		return err
	}
	if err := writePEM(filepath.Join(dir, rootsFile), "CERTIFICATE", root.cert.Raw); err != nil {
		return err
	}
	for _, name := range intermediates {
		c, err := newCA("tlog-migrate test "+name, root)
		if err != nil {
			return err
		}
		if err := saveCA(dir, name, c); err != nil {
			return err
		}
	}
	return nil
}

// newCA makes a CA certificate, self-signed when parent is nil.
func newCA(name string, parent *ca) (*ca, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"tlog-migrate tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	issuer, signer := tmpl, key
	if parent != nil {
		issuer, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &ca{cert: cert, key: key}, nil
}

func saveCA(dir, name string, c *ca) error {
	if err := writePEM(filepath.Join(dir, name+".pem"), "CERTIFICATE", c.cert.Raw); err != nil {
		return err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(c.key)
	if err != nil {
		return err
	}
	return writePEM(filepath.Join(dir, name+".key"), "PRIVATE KEY", pkcs8)
}

func loadCA(dir, name string) (*ca, error) {
	certDER, err := readPEM(filepath.Join(dir, name+".pem"), "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, err
	}
	keyDER, err := readPEM(filepath.Join(dir, name+".key"), "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return nil, err
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s.key: not an ECDSA key", name)
	}
	return &ca{cert: cert, key: ec}, nil
}

func writePEM(path, blockType string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o644)
}

func readPEM(path, blockType string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != blockType {
		return nil, fmt.Errorf("%s: no %s PEM block", path, blockType)
	}
	return block.Bytes, nil
}
