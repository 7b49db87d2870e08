// Command ctharness feeds a real TesseraCT log for tlog-migrate's tests: it makes a small PKI
// (a root, two intermediates, the log's own key) and submits certificate and pre-certificate
// chains to a running TesseraCT in parallel.
//
//	ctharness pki -dir D
//	ctharness submit -dir D -url U -first S -n N [-workers W] [-keep F] [-no_pushback]
//	ctharness resubmit -url U -request F [-no_pushback]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: ctharness pki|submit|resubmit [flags]"))
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	var err error
	switch os.Args[1] {
	case "pki":
		dir := fs.String("dir", "", "directory to write the PKI and the log's key into")
		fs.Parse(os.Args[2:])
		err = writePKI(*dir)
	case "submit":
		dir := fs.String("dir", "", "directory written by pki")
		url := fs.String("url", "", "TesseraCT's base URL, e.g. http://127.0.0.1:6962")
		first := fs.Int64("first", 1, "serial number of the first leaf")
		n := fs.Int("n", 0, "number of chains to submit")
		workers := fs.Int("workers", 64, "parallel submissions")
		keep := fs.String("keep", "", "if set, save the first chain's request here for resubmit")
		noPushback := fs.Bool("no_pushback", false, "fail on a pushback instead of trying again")
		fs.Parse(os.Args[2:])
		err = submitAll(*dir, *url, *first, *n, *workers, *keep, *noPushback)
	case "resubmit":
		url := fs.String("url", "", "TesseraCT's base URL")
		request := fs.String("request", "", "a request saved by submit -keep")
		noPushback := fs.Bool("no_pushback", false, "fail on a pushback instead of trying again")
		fs.Parse(os.Args[2:])
		err = resubmit(*url, *request, *noPushback)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ctharness:", err)
	os.Exit(1)
}
