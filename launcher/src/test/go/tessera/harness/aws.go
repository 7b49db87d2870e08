package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/go-sql-driver/mysql"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/aws"
	awsantispam "github.com/transparency-dev/tessera/storage/aws/antispam"
)

// takeOverOnAws runs Tessera's AWS appender (storage/aws) on a log in a bucket of an S3 server
// (path-style, static keys) and a MySQL database, optionally with its MySQL antispam
// (storage/aws/antispam) in a second database on the same server, and adds entries as takeOver
// says.
func takeOverOnAws(args []string) error {
	fs := flag.NewFlagSet("aws", flag.ExitOnError)
	endpoint := fs.String("s3_endpoint", "", "the S3 server's URL, e.g. http://127.0.0.1:9000")
	accessKey := fs.String("s3_access_key", "", "S3 access key id")
	secret := fs.String("s3_secret", "", "S3 secret access key")
	bucket := fs.String("bucket", "", "bucket of the log")
	prefix := fs.String("bucket_prefix", "", "the log's prefix in the bucket (aws.Config.BucketPrefix)")
	dbHost := fs.String("db_host", "127.0.0.1", "MySQL host")
	dbPort := fs.Int("db_port", 3306, "MySQL port")
	dbUser := fs.String("db_user", "", "MySQL user")
	dbPassword := fs.String("db_password", "", "MySQL password")
	dbName := fs.String("db_name", "", "the log's MySQL database")
	antispamDB := fs.String("antispam_db_name", "", "if set, MySQL database of the persistent antispam index")
	tf := addTakeoverFlags(fs)
	fs.Parse(args)
	if *endpoint == "" || *bucket == "" || *dbName == "" || *dbUser == "" {
		return errors.New("need --s3_endpoint, --bucket, --db_user and --db_name")
	}
	if err := tf.check(); err != nil {
		return err
	}
	dsn := func(db string) string {
		c := mysql.Config{
			User:                 *dbUser,
			Passwd:               *dbPassword,
			Net:                  "tcp",
			Addr:                 fmt.Sprintf("%s:%d", *dbHost, *dbPort),
			DBName:               db,
			AllowNativePasswords: true,
		}
		return c.FormatDSN()
	}

	ctx := context.Background()
	const region = "us-east-1"
	// A given SDK config: the SDK's default chain (environment, files, the EC2 instance metadata
	// service) is never consulted.
	driver, err := aws.New(ctx, aws.Config{
		SDKConfig: &awssdk.Config{Region: region},
		S3Options: func(o *s3.Options) {
			o.BaseEndpoint = awssdk.String(*endpoint)
			o.Credentials = credentials.NewStaticCredentialsProvider(*accessKey, *secret, "")
			o.Region = region
			o.UsePathStyle = true
		},
		Bucket:       *bucket,
		BucketPrefix: *prefix,
		DSN:          dsn(*dbName),
	})
	if err != nil {
		return err
	}
	var as tessera.Antispam
	if *antispamDB != "" {
		// Defaults, as TesseraCT and Tessera's conformance server use them.
		if as, err = awsantispam.NewAntispam(ctx, dsn(*antispamDB), awsantispam.AntispamOpts{}); err != nil {
			return fmt.Errorf("antispam: %v", err)
		}
	}
	return takeOver("aws", driver, as, tf)
}
