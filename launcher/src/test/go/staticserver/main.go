// Command staticserver serves a log directory over HTTP or HTTPS on 127.0.0.1, as a static
// tlog-tiles host would: the source of launcher/benchmark/run.sh, cheap enough that it is not what
// the benchmark times. Standard library only.
//
//	staticserver --dir=DIR [--latency=50ms] [--https_ca_certificate=FILE]
//
// It prints its URL prefix as the first line of its output, then serves until stopped. Files are
// served as they are on disk (no compression, whatever the client accepts), with a Content-Length,
// over keep-alive connections; plain HTTP sends them with sendfile. With --latency every response
// waits that long before it starts, as from a distant host; the wait parks the request's goroutine
// and holds no CPU. SIGUSR1 prints a line of counters (requests, connections accepted, body bytes);
// SIGTERM prints it and exits.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

type server struct {
	root     string
	latency  time.Duration
	requests atomic.Int64
	conns    atomic.Int64
	bytes    atomic.Int64
}

var (
	textPlain   = []string{"text/plain; charset=utf-8"}
	octetStream = []string{"application/octet-stream"}
	noCache     = []string{"no-cache"}
	immutable   = []string{"max-age=604800,immutable"}
)

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	// A rooted, cleaned path cannot climb out of the root.
	p := path.Clean("/" + r.URL.Path)
	f, err := os.Open(filepath.Join(s.root, filepath.FromSlash(p)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if path.Base(p) == "checkpoint" {
		h["Content-Type"], h["Cache-Control"] = textPlain, noCache
	} else {
		h["Content-Type"], h["Cache-Control"] = octetStream, immutable
	}
	h["Content-Length"] = []string{strconv.FormatInt(info.Size(), 10)}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	n, _ := io.Copy(w, f) // the response's ReadFrom: sendfile on a plain connection
	s.bytes.Add(n)
}

func (s *server) counters() string {
	return fmt.Sprintf("requests=%d connections=%d bytes=%d", s.requests.Load(), s.conns.Load(), s.bytes.Load())
}

// throwawayTLS makes a CA and a certificate for 127.0.0.1 signed by it (ECDSA P-256, as the
// launcher's own serve uses), writes the CA's certificate to caFile and returns the server's
// configuration. The CA's key lives in memory only.
func throwawayTLS(caFile string) (*tls.Config, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "tlog-migrate benchmark CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	if ca, err = x509.ParseCertificate(caDER); err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	// Written under a temporary name and renamed: a reader never sees half a certificate.
	tmp := caFile + ".tmp"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, caFile); err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}, nil
}

func run() error {
	dir := flag.String("dir", "", "the log directory to serve")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	latency := flag.Duration("latency", 0, "wait this long before every response (e.g. 50ms)")
	caFile := flag.String("https_ca_certificate", "", "serve HTTPS with a certificate from a throwaway CA, whose certificate goes to this file")
	flag.Parse()
	if *dir == "" || flag.NArg() != 0 {
		return errors.New("usage: staticserver --dir=DIR [--addr=127.0.0.1:0] [--latency=0] [--https_ca_certificate=FILE]")
	}
	root, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if info, err := os.Stat(root); err != nil || !info.IsDir() {
		return fmt.Errorf("--dir %s: not a directory", *dir)
	}
	s := &server{root: root, latency: *latency}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: time.Minute,
		IdleTimeout:       5 * time.Minute,
		ConnState: func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				s.conns.Add(1)
			}
		},
	}
	scheme := "http"
	if *caFile != "" {
		if hs.TLSConfig, err = throwawayTLS(*caFile); err != nil {
			return fmt.Errorf("--https_ca_certificate %s: %v", *caFile, err)
		}
		scheme = "https"
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("%s://%s/\n", scheme, l.Addr())

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for sig := range signals {
			fmt.Println(s.counters())
			if sig != syscall.SIGUSR1 {
				os.Exit(0)
			}
		}
	}()
	if scheme == "https" {
		return hs.ServeTLS(l, "", "")
	}
	return hs.Serve(l)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "staticserver:", err)
		os.Exit(1)
	}
}
