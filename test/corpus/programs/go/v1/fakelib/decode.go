// Package fakelib is a stand-in third-party dependency (served from a local GOPROXY).
package fakelib

import "fmt"

// Decode applies fn to every record and panics on an empty record.
func Decode(records []string, fn func(string) int) int {
	total := 0
	for i, r := range records {
		if r == "" {
			panic(fmt.Sprintf("fakelib: empty record at index %d of %d", i, len(records)))
		}
		total += fn(r)
	}
	return total
}
