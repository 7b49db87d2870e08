package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/transparency-dev/tessera"
)

// printIdentities prints the antispam identity that Tessera's follower gives each entry of an
// entry tile, one hex line per entry: with --layout=static-ct the hasher TesseraCT's frontends use
// (WithCTLayout), else Tessera's default. The hasher is Tessera's own, unexported: WithAntispam
// hands it to the antispam's Follower, which hasherCapture keeps instead of following the log.
func printIdentities(args []string) error {
	fs := flag.NewFlagSet("identities", flag.ExitOnError)
	layout := fs.String("layout", "tlog-tiles", "tlog-tiles (tile/entries bundles) or static-ct (tile/data tiles)")
	tile := fs.String("tile", "", "file holding an entry tile, uncompressed")
	fs.Parse(args)
	if *tile == "" || (*layout != "tlog-tiles" && *layout != "static-ct") {
		return errors.New("need --tile and --layout=tlog-tiles|static-ct")
	}
	data, err := os.ReadFile(*tile)
	if err != nil {
		return err
	}
	opts := tessera.NewAppendOptions()
	if *layout == "static-ct" {
		opts.WithCTLayout()
	}
	c := &hasherCapture{}
	opts.WithAntispam(1, c)
	ids, err := c.hasher(data)
	if err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Println(hex.EncodeToString(id))
	}
	return nil
}

// hasherCapture is a tessera.Antispam that only keeps the bundle hasher it is given.
type hasherCapture struct {
	hasher func([]byte) ([][]byte, error)
}

func (c *hasherCapture) Decorator() func(tessera.AddFn) tessera.AddFn {
	return func(f tessera.AddFn) tessera.AddFn { return f }
}

func (c *hasherCapture) Follower(h func([]byte) ([][]byte, error)) tessera.Follower {
	c.hasher = h
	return nil
}
