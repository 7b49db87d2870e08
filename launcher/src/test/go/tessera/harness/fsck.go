package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/fsck"
	"golang.org/x/mod/sumdb/note"
)

// checkLog runs Tessera's fsck over the log in --storage_dir (or at --storage_url): the checkpoint
// verifies with --public_key, every bundle hashes into every hash tile and into the checkpoint's
// root. Unlike v1.0.4's cmd/fsck it reports a failed check as an error, so the exit status says it.
func checkLog(args []string) error {
	fs := flag.NewFlagSet("fsck", flag.ExitOnError)
	dir := fs.String("storage_dir", "", "directory of the log")
	storageURL := fs.String("storage_url", "", "http(s) URL of the log, instead of --storage_dir")
	vkey := fs.String("public_key", "", "the log's note verifier key")
	workers := fs.Uint("n", 2, "resources fetched and compared at once (fsck.Opts.N)")
	fs.Parse(args)
	if (*dir == "") == (*storageURL == "") || *vkey == "" {
		return errors.New("need --public_key and one of --storage_dir, --storage_url")
	}
	verifier, err := note.NewVerifier(*vkey)
	if err != nil {
		return fmt.Errorf("verifier key: %v", err)
	}
	var src fsck.Fetcher = client.FileFetcher{Root: *dir}
	if *storageURL != "" {
		u, err := url.Parse(*storageURL)
		if err != nil {
			return fmt.Errorf("--storage_url: %v", err)
		}
		if src, err = client.NewHTTPFetcher(u, nil); err != nil {
			return fmt.Errorf("--storage_url: %v", err)
		}
	}
	f := fsck.New(verifier.Name(), verifier, src, leafHashes, fsck.Opts{N: *workers})
	if err := f.Check(context.Background()); err != nil {
		return err
	}
	fmt.Println("fsck ok")
	return nil
}

// leafHashes are the RFC 6962 leaf hashes of a tlog-tiles entry bundle's entries.
func leafHashes(bundle []byte) ([][]byte, error) {
	var b api.EntryBundle
	if err := b.UnmarshalText(bundle); err != nil {
		return nil, err
	}
	hashes := make([][]byte, len(b.Entries))
	for i, e := range b.Entries {
		h := rfc6962.DefaultHasher.HashLeaf(e)
		hashes[i] = h[:]
	}
	return hashes, nil
}
