package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	gcs "cloud.google.com/go/storage"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/gcp"
	gcpantispam "github.com/transparency-dev/tessera/storage/gcp/antispam"
	"google.golang.org/api/option"
)

// takeOverOnGcp runs Tessera's GCP appender (storage/gcp) on a log in a bucket of a GCS emulator
// (fake-gcs-server: no authentication) and a database of the Spanner emulator
// ($SPANNER_EMULATOR_HOST), optionally with its Spanner antispam (storage/gcp/antispam) in a second
// database, and adds entries as takeOver says.
func takeOverOnGcp(args []string) error {
	fs := flag.NewFlagSet("gcp", flag.ExitOnError)
	endpoint := fs.String("gcs_endpoint", "", "the GCS JSON API's base URL, e.g. http://127.0.0.1:4443")
	bucket := fs.String("bucket", "", "bucket of the log")
	prefix := fs.String("bucket_prefix", "", "the log's prefix in the bucket (gcp.Config.BucketPrefix)")
	spanner := fs.String("spanner", "", "the log's Spanner database, projects/P/instances/I/databases/D")
	antispamDB := fs.String("antispam_spanner", "", "if set, Spanner database of the persistent antispam index")
	tf := addTakeoverFlags(fs)
	fs.Parse(args)
	if *endpoint == "" || *bucket == "" || *spanner == "" {
		return errors.New("need --gcs_endpoint, --bucket and --spanner")
	}
	if err := tf.check(); err != nil {
		return err
	}
	if os.Getenv("SPANNER_EMULATOR_HOST") == "" {
		return errors.New("$SPANNER_EMULATOR_HOST is not set: this mode runs on the Spanner emulator only")
	}
	// v1.87.0 of the Go Spanner client hangs on the emulator with multiplexed sessions, and
	// Tessera makes clients of its own (initDB, the antispam), so the setting goes in the
	// environment.
	os.Setenv("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS", "false")
	// The client already sends no metrics to an emulator; this says so in its startup log too.
	os.Setenv("SPANNER_DISABLE_BUILTIN_METRICS", "true")

	ctx := context.Background()
	client, err := gcs.NewClient(ctx,
		option.WithEndpoint(strings.TrimSuffix(*endpoint, "/")+"/storage/v1/"),
		option.WithoutAuthentication(),
		gcs.WithJSONReads())
	if err != nil {
		return fmt.Errorf("GCS client: %v", err)
	}
	defer client.Close()
	driver, err := gcp.New(ctx, gcp.Config{
		GCSClient:    client,
		Bucket:       *bucket,
		BucketPrefix: *prefix,
		Spanner:      *spanner,
	})
	if err != nil {
		return err
	}
	var as tessera.Antispam
	if *antispamDB != "" {
		// Defaults, as TesseraCT and Tessera's conformance server use them.
		if as, err = gcpantispam.NewAntispam(ctx, *antispamDB, gcpantispam.AntispamOpts{}); err != nil {
			return fmt.Errorf("antispam: %v", err)
		}
	}
	return takeOver("gcp", driver, as, tf)
}
