package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/note"
)

// appendEntries adds --count entries of random sizes (from --seed) to the log in --storage_dir,
// signing checkpoints with the note key in $LOG_PRIVATE_KEY. It waits for each of --batches
// batches to be published before the next, so the log passes through intermediate sizes and
// leaves their partial tiles behind. An empty directory becomes a new log; an existing one
// (written by Tessera or by tlog-migrate) is taken over from its .state/treeState.
func appendEntries(args []string) error {
	fs := flag.NewFlagSet("append", flag.ExitOnError)
	dir := fs.String("storage_dir", "", "directory of the log")
	count := fs.Int("count", 0, "number of entries to append")
	batches := fs.Int("batches", 1, "number of batches, each published before the next")
	seed := fs.Uint64("seed", 1, "seed of the entries' sizes and bytes")
	maxSize := fs.Int("max_entry_size", 64, "largest entry in bytes (sizes are uniform in 0..max)")
	fs.Parse(args)
	if *dir == "" || *count < 0 || *batches < 1 {
		return errors.New("need --storage_dir, --count >= 0 and --batches >= 1")
	}
	signer, err := note.NewSigner(os.Getenv("LOG_PRIVATE_KEY"))
	if err != nil {
		return fmt.Errorf("signer from $LOG_PRIVATE_KEY: %v", err)
	}

	ctx := context.Background()
	driver, err := posix.New(ctx, posix.Config{Path: *dir})
	if err != nil {
		return err
	}
	opts := tessera.NewAppendOptions().
		WithCheckpointSigner(signer).
		WithBatching(256, 10*time.Millisecond).
		WithCheckpointInterval(100 * time.Millisecond).
		// Keep every intermediate partial: the tests compare what Tessera leaves on disk.
		WithGarbageCollectionInterval(0)
	appender, shutdown, reader, err := tessera.NewAppender(ctx, driver, opts)
	if err != nil {
		return err
	}
	awaiter := tessera.NewPublicationAwaiter(ctx, reader.ReadCheckpoint, 20*time.Millisecond)

	random := rand.New(rand.NewPCG(*seed, 0))
	var last tessera.Index
	for b := 0; b < *batches; b++ {
		n := *count*(b+1) / *batches - *count*b / *batches
		futures := make([]tessera.IndexFuture, n)
		for i := range futures {
			futures[i] = appender.Add(ctx, tessera.NewEntry(entry(random, 0, *maxSize)))
		}
		for _, f := range futures {
			if last, _, err = awaiter.Await(ctx, f); err != nil {
				return fmt.Errorf("batch %d: %v", b, err)
			}
		}
	}
	if err := shutdown(ctx); err != nil {
		return err
	}
	size, err := reader.IntegratedSize(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("appended %d entries, last index %d, tree size %d\n", *count, last.Index, size)
	return nil
}

// entry is random bytes, of a size uniform in minSize..maxSize.
func entry(random *rand.Rand, minSize, maxSize int) []byte {
	e := make([]byte, minSize+random.IntN(maxSize-minSize+1))
	for i := range e {
		e[i] = byte(random.Uint32())
	}
	return e
}
