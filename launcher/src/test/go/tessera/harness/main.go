// Command harness drives Tessera v1.0.4 as a library for tlog-migrate's tests: it appends to a
// POSIX log with Tessera's appender (creating the log, or taking over one that exists), runs
// Tessera's fsck package, exiting non-zero when the check fails, and takes over a log in the cloud
// with Tessera's GCP appender (fake-gcs-server and the Spanner emulator) or AWS appender (an S3
// server and MySQL), with or without Tessera's persistent antispam, and prints the antispam
// identities Tessera's follower gives the entries of an entry tile.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "append":
		err = appendEntries(os.Args[2:])
	case "fsck":
		err = checkLog(os.Args[2:])
	case "gcp":
		err = takeOverOnGcp(os.Args[2:])
	case "aws":
		err = takeOverOnAws(os.Args[2:])
	case "identities":
		err = printIdentities(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "harness %s: %s\n", os.Args[1], firstLine(err))
		os.Exit(1)
	}
}

// firstLine keeps a failure to one readable line: fsck's errors carry whole tiles in hex.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: harness append|fsck|gcp|aws|identities [flags]")
	os.Exit(2)
}
