//go:build !linux

package main

// prepareHeap readies the heap for a run; only Linux needs it (see
// hugepages_linux.go).
func prepareHeap() {}
