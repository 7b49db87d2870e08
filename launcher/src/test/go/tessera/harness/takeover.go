package main

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/api"
	"github.com/transparency-dev/tessera/api/layout"
	"golang.org/x/mod/sumdb/note"
)

// takeoverFlags are the flags that the cloud modes (gcp, aws) share: what to add to the log they
// take over, and what to ask of the antispam index.
type takeoverFlags struct {
	count   *int
	batches *int
	seed    *uint64
	minSize *int
	maxSize *int
	readd   *string
	linger  *time.Duration
	timeout *time.Duration
}

func addTakeoverFlags(fs *flag.FlagSet) takeoverFlags {
	return takeoverFlags{
		count:   fs.Int("count", 0, "number of new entries to append"),
		batches: fs.Int("batches", 1, "number of batches, each published before the next"),
		seed:    fs.Uint64("seed", 1, "seed of the new entries' sizes and bytes"),
		// At least 16 random bytes: no two new entries are alike, so an antispam index never
		// answers one with the index of another.
		minSize: fs.Int("min_entry_size", 16, "smallest new entry in bytes"),
		maxSize: fs.Int("max_entry_size", 64, "largest new entry in bytes (sizes are uniform in min..max)"),
		readd: fs.String("readd", "", "comma-separated indices of entries already in the log, "+
			"read back from it and added again first"),
		linger: fs.Duration("linger", 0, "keep Tessera running this long after the last entry "+
			"(e.g. to let it publish its first checkpoint of a log taken over with --count=0)"),
		timeout: fs.Duration("timeout", 2*time.Minute, "give up, failing, after this long"),
	}
}

func (f takeoverFlags) check() error {
	if *f.count < 0 || *f.batches < 1 || *f.minSize < 0 || *f.maxSize < *f.minSize || *f.maxSize > 65535 {
		return errors.New("need --count >= 0, --batches >= 1 and 0 <= --min_entry_size <= --max_entry_size <= 65535")
	}
	_, err := f.readdIndices()
	return err
}

func (f takeoverFlags) readdIndices() ([]uint64, error) {
	var out []uint64
	for _, s := range strings.Split(*f.readd, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		i, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--readd: %v", err)
		}
		out = append(out, i)
	}
	return out, nil
}

// takeOver runs Tessera's appender on driver, as a frontend does after a migration: it adds the
// --readd entries again, then --count new ones in --batches, waiting for each batch to be in a
// published checkpoint, and prints one line per fact on stdout:
//
//	follower start <FollowCoord.nextIdx> tree <integrated size>   (with antispam, before any add)
//	readd <index> index <index returned> dup <true|false>          (or: readd <index> pushback)
//	added <index> dup <true|false> <entry in hex>                  (each new entry, in order)
//	pushbacks <number of adds pushed back, each tried again>
//	checkpoint <size> <base64 root>                                (the published checkpoint)
//	follower end <FollowCoord.nextIdx> tree <integrated size>     (with antispam, caught up)
//	<mode> appended <count> entries, last index <i>, tree size <size>
//
// With as set, Tessera's persistent antispam runs as its frontends run it (WithAntispam with the
// default in-memory cache and the antispam's default pushback threshold).
func takeOver(mode string, driver tessera.Driver, as tessera.Antispam, f takeoverFlags) error {
	signer, err := note.NewSigner(os.Getenv("LOG_PRIVATE_KEY"))
	if err != nil {
		return fmt.Errorf("signer from $LOG_PRIVATE_KEY: %v", err)
	}
	readd, _ := f.readdIndices()
	ctx, cancel := context.WithTimeout(context.Background(), *f.timeout)
	defer cancel()

	opts := tessera.NewAppendOptions().
		WithCheckpointSigner(signer).
		WithBatching(256, 10*time.Millisecond).
		// The shortest the GCP driver allows (1.2 s); AWS allows 1 s.
		WithCheckpointInterval(1200 * time.Millisecond).
		// Keep every intermediate partial: the tests copy what Tessera leaves behind.
		WithGarbageCollectionInterval(0)
	var follower tessera.Follower
	if as != nil {
		opts.WithAntispam(tessera.DefaultAntispamInMemorySize, as)
		// Only to read FollowCoord.nextIdx; Tessera starts its own follower in NewAppender.
		follower = as.Follower(nil)
	}
	var followerStart uint64
	if follower != nil {
		// Before the appender exists, so before Tessera's follower has had a first look.
		if followerStart, err = follower.EntriesProcessed(ctx); err != nil {
			return fmt.Errorf("follower position: %v", err)
		}
	}
	started := time.Now()
	appender, shutdown, reader, err := tessera.NewAppender(ctx, driver, opts)
	if err != nil {
		return err
	}
	startSize, err := reader.IntegratedSize(ctx)
	if err != nil {
		return err
	}
	if follower != nil {
		fmt.Printf("follower start %d tree %d\n", followerStart, startSize)
	}
	awaiter := tessera.NewPublicationAwaiter(ctx, reader.ReadCheckpoint, 50*time.Millisecond)

	// At once, before the follower's first tick (1 s): an original index in the answer then comes
	// from the rows the migration wrote, not from rows Tessera's follower added on its own.
	if err := readdEntries(ctx, appender, reader, startSize, readd); err != nil {
		return err
	}
	if follower != nil {
		// Past the follower's first tick: a follower that lags by more than the threshold pushes
		// back from here on.
		time.Sleep(time.Until(started.Add(1500 * time.Millisecond)))
	}

	random := rand.New(rand.NewPCG(*f.seed, 0))
	pushbacks := 0
	var last tessera.Index
	for b := 0; b < *f.batches; b++ {
		n := *f.count*(b+1) / *f.batches - *f.count*b / *f.batches
		entries := make([][]byte, n)
		futures := make([]tessera.IndexFuture, n)
		for i := range futures {
			entries[i] = entry(random, *f.minSize, *f.maxSize)
			futures[i] = appender.Add(ctx, tessera.NewEntry(entries[i]))
		}
		for i := range futures {
			for {
				idx, _, err := awaiter.Await(ctx, futures[i])
				if errors.Is(err, tessera.ErrPushback) {
					pushbacks++
					time.Sleep(100 * time.Millisecond)
					futures[i] = appender.Add(ctx, tessera.NewEntry(entries[i]))
					continue
				}
				if err != nil {
					return fmt.Errorf("batch %d: %v%s, after %d pushbacks", b, err, stalled(ctx, reader), pushbacks)
				}
				fmt.Printf("added %d dup %t %s\n", idx.Index, idx.IsDup, hex.EncodeToString(entries[i]))
				if !idx.IsDup && idx.Index < startSize {
					return fmt.Errorf("Tessera gave a new entry index %d, inside the tree of size %d it took over", idx.Index, startSize)
				}
				last = idx
				break
			}
		}
	}
	fmt.Printf("pushbacks %d\n", pushbacks)
	time.Sleep(*f.linger)
	if err := shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %v%s", err, stalled(ctx, reader))
	}
	size, err := reader.IntegratedSize(ctx)
	if err != nil {
		return err
	}
	if err := printCheckpoint(ctx, reader); err != nil {
		return err
	}
	if follower != nil {
		end, err := awaitFollower(ctx, follower, size)
		if err != nil {
			return err
		}
		fmt.Printf("follower end %d tree %d\n", end, size)
	}
	fmt.Printf("%s appended %d entries, last index %d, tree size %d\n", mode, *f.count, last.Index, size)
	return nil
}

// readdEntries reads each of the entries at indices from the log and adds it again, all at once,
// printing "readd <index> index <returned> dup <isDup>" or "readd <index> pushback".
func readdEntries(ctx context.Context, appender *tessera.Appender, reader tessera.LogReader, size uint64, indices []uint64) error {
	entries := make([][]byte, len(indices))
	for i, idx := range indices {
		e, err := readEntry(ctx, reader, size, idx)
		if err != nil {
			return err
		}
		entries[i] = e
	}
	futures := make([]tessera.IndexFuture, len(indices))
	for i, e := range entries {
		futures[i] = appender.Add(ctx, tessera.NewEntry(e))
	}
	for i, f := range futures {
		idx, err := f()
		switch {
		case errors.Is(err, tessera.ErrPushback):
			fmt.Printf("readd %d pushback\n", indices[i])
		case err != nil:
			return fmt.Errorf("readd %d: %v", indices[i], err)
		default:
			fmt.Printf("readd %d index %d dup %t\n", indices[i], idx.Index, idx.IsDup)
			if !idx.IsDup && idx.Index < size {
				return fmt.Errorf("Tessera gave a new entry index %d, inside the tree of size %d it took over", idx.Index, size)
			}
		}
	}
	return nil
}

// readEntry is entry index of the tlog-tiles log that reader reads, at tree size size.
func readEntry(ctx context.Context, reader tessera.LogReader, size, index uint64) ([]byte, error) {
	if index >= size {
		return nil, fmt.Errorf("--readd %d: the log has %d entries", index, size)
	}
	bundle := index / layout.EntryBundleWidth
	raw, err := reader.ReadEntryBundle(ctx, bundle, layout.PartialTileSize(0, bundle, size))
	if err != nil {
		return nil, fmt.Errorf("entry bundle %d: %v", bundle, err)
	}
	var b api.EntryBundle
	if err := b.UnmarshalText(raw); err != nil {
		return nil, fmt.Errorf("entry bundle %d: %v", bundle, err)
	}
	i := index % layout.EntryBundleWidth
	if i >= uint64(len(b.Entries)) {
		return nil, fmt.Errorf("entry bundle %d has %d entries, not %d", bundle, len(b.Entries), i+1)
	}
	return b.Entries[i], nil
}

// printCheckpoint prints "checkpoint <size> <base64 root>" of the published checkpoint (its
// signature was made by this process, so it is not checked here).
func printCheckpoint(ctx context.Context, reader tessera.LogReader) error {
	cp, err := reader.ReadCheckpoint(ctx)
	if err != nil {
		return fmt.Errorf("published checkpoint: %v", err)
	}
	lines := strings.SplitN(string(cp), "\n", 4)
	if len(lines) < 4 {
		return fmt.Errorf("published checkpoint is not a checkpoint: %q", cp)
	}
	if _, err := base64.StdEncoding.DecodeString(lines[2]); err != nil {
		return fmt.Errorf("published checkpoint's root: %v", err)
	}
	fmt.Printf("checkpoint %s %s\n", lines[1], lines[2])
	return nil
}

// awaitFollower waits until the antispam follower has indexed the whole tree (it looks once a
// second), and returns where it got to.
func awaitFollower(ctx context.Context, follower tessera.Follower, size uint64) (uint64, error) {
	for {
		n, err := follower.EntriesProcessed(ctx)
		if err != nil {
			return 0, fmt.Errorf("follower position: %v", err)
		}
		if n >= size {
			return n, nil
		}
		select {
		case <-ctx.Done():
			return n, fmt.Errorf("the antispam follower is at %d of tree size %d: %v", n, size, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stalled says how far Tessera got, for an error after the deadline.
func stalled(ctx context.Context, reader tessera.LogReader) string {
	if ctx.Err() == nil {
		return ""
	}
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	size, err := reader.IntegratedSize(c)
	if err != nil {
		return fmt.Sprintf(" (integrated size unknown: %v)", err)
	}
	published := "none"
	if cp, err := reader.ReadCheckpoint(c); err == nil {
		if lines := strings.SplitN(string(cp), "\n", 3); len(lines) > 1 {
			published = lines[1]
		}
	}
	return fmt.Sprintf(" (integrated size %d, published checkpoint size %s)", size, published)
}
