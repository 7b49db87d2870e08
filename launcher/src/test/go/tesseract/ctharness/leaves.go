package main

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"
)

// ctPoison is RFC 6962's precertificate poison extension (critical, value ASN.1 NULL).
var ctPoison = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 3}

// chain is one submission: the DER chain, leaf first, and whether it goes to add-pre-chain.
type chain struct {
	serial  int64
	precert bool
	ders    [][]byte
}

// pki holds the CAs that issue the leaves and the one key all leaves share (their keys do not
// matter to a log, only their certificates).
type pki struct {
	root          *ca
	intermediates []*ca
	leafKey       *ecdsa.PrivateKey
}

// leafChain makes the chain for serial: certificates and pre-certificates alternate, and
// consecutive pairs go through each intermediate in turn; every third chain carries the root too,
// which RFC 6962 leaves to the submitter.
func (p *pki) leafChain(serial int64) (chain, error) {
	precert := serial%2 == 1
	issuer := p.intermediates[(serial/2)%int64(len(p.intermediates))]
	name := fmt.Sprintf("leaf-%d.tlog-migrate.test", serial)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(90 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if precert {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: ctPoison, Critical: true, Value: asn1.NullBytes}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer.cert, &p.leafKey.PublicKey, issuer.key)
	if err != nil {
		return chain{}, err
	}
	ders := [][]byte{der, issuer.cert.Raw}
	if serial%3 == 0 {
		ders = append(ders, p.root.cert.Raw)
	}
	return chain{serial: serial, precert: precert, ders: ders}, nil
}
