package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

// request is one add-chain or add-pre-chain call, as -keep saves it.
type request struct {
	Path string `json:"path"`
	Body []byte `json:"body"`
}

// submitAll submits n chains with serials first..first+n-1 through workers in parallel and prints
// "<serial> <x509|precert> <leaf index>" for each, in serial order. With noPushback, a pushback
// is a failure instead of a reason to try again.
func submitAll(dir, url string, first int64, n, workers int, keep string, noPushback bool) error {
	p, err := loadPKI(dir)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 60 * time.Second}
	indices := make([]uint64, n)
	kinds := make([]string, n)
	submit := func(i int) error {
		c, err := p.leafChain(first + int64(i))
		if err != nil {
			return err
		}
		r, err := newRequest(c)
		if err != nil {
			return err
		}
		if i == 0 && keep != "" {
			if err := saveRequest(keep, r); err != nil {
				return err
			}
		}
		idx, err := post(client, url, r, noPushback)
		if err != nil {
			return fmt.Errorf("serial %d: %v", c.serial, err)
		}
		indices[i] = idx
		kinds[i] = map[bool]string{false: "x509", true: "precert"}[c.precert]
		return nil
	}
	// The first chain alone: TesseraCT v0.1.1 creates issuer/ on a new log racily, and a
	// concurrent submission that loses the race gets a 500 (mkdir: file exists).
	if n > 0 {
		if err := submit(0); err != nil {
			return err
		}
	}
	serials := make(chan int, n)
	for i := 1; i < n; i++ {
		serials <- i
	}
	close(serials)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range serials {
				if err := submit(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	for i := range n {
		fmt.Printf("%d %s %d\n", first+int64(i), kinds[i], indices[i])
	}
	return nil
}

// resubmit sends a request saved by submit -keep again and prints the leaf index it got.
func resubmit(url, path string, noPushback bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var r request
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	idx, err := post(&http.Client{Timeout: 60 * time.Second}, url, r, noPushback)
	if err != nil {
		return err
	}
	fmt.Println(idx)
	return nil
}

func loadPKI(dir string) (*pki, error) {
	root, err := loadCA(dir, "root")
	if err != nil {
		return nil, err
	}
	p := &pki{root: root}
	for _, name := range intermediates {
		c, err := loadCA(dir, name)
		if err != nil {
			return nil, err
		}
		p.intermediates = append(p.intermediates, c)
	}
	if p.leafKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	return p, nil
}

func newRequest(c chain) (request, error) {
	path := "/ct/v1/add-chain"
	if c.precert {
		path = "/ct/v1/add-pre-chain"
	}
	body, err := json.Marshal(map[string][][]byte{"chain": c.ders}) // []byte marshals as base64
	return request{Path: path, Body: body}, err
}

func saveRequest(path string, r request) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// post sends r, waiting out TesseraCT's pushback unless noPushback, and returns the leaf index
// that the SCT's leaf_index extension (static-ct-api) carries.
func post(client *http.Client, url string, r request, noPushback bool) (uint64, error) {
	for attempt := 0; ; attempt++ {
		resp, err := client.Post(url+r.Path, "application/json", bytes.NewReader(r.Body))
		if err != nil {
			return 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if pushedBack(resp.StatusCode, body) && noPushback {
			return 0, fmt.Errorf("%s: pushed back: %s: %s", r.Path, resp.Status, bytes.TrimSpace(body))
		}
		if pushedBack(resp.StatusCode, body) && attempt < 100 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("%s: %s: %s", r.Path, resp.Status, bytes.TrimSpace(body))
		}
		var sct struct {
			Extensions string `json:"extensions"`
		}
		if err := json.Unmarshal(body, &sct); err != nil {
			return 0, fmt.Errorf("%s: %v", r.Path, err)
		}
		return leafIndex(sct.Extensions)
	}
}

// pushedBack says whether TesseraCT asked to come back later: a 429, or the 500 that v0.1.1
// answers when its antispam follower lags (the pushback arrives through Tessera's future, which
// its handler does not map to a 429).
func pushedBack(status int, body []byte) bool {
	return status == http.StatusTooManyRequests ||
		(status == http.StatusInternalServerError && bytes.Contains(body, []byte("antispam pushback")))
}

// leafIndex reads the leaf_index extension (type 0, 5 bytes, big-endian) from an SCT's
// base64 CtExtensions.
func leafIndex(extensions string) (uint64, error) {
	ext, err := base64.StdEncoding.DecodeString(extensions)
	if err != nil {
		return 0, err
	}
	if len(ext) != 8 || ext[0] != 0 || ext[1] != 0 || ext[2] != 5 {
		return 0, errors.New("SCT extensions are not a single leaf_index: " + extensions)
	}
	var idx uint64
	for _, b := range ext[3:] {
		idx = idx<<8 | uint64(b)
	}
	return idx, nil
}
