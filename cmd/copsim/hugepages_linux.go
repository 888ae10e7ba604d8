package main

import (
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// preparedHeap is how much of the heap prepareHeap readies: about what a
// short run touches (a March run with its figures some 20 MB, the baseline
// with its figures some 60 MB). What is not used is never touched: it
// takes address space, not memory.
const preparedHeap = 64 << 20

// hugePage is the size of a transparent huge page on amd64 and arm64.
const hugePage = 2 << 20

// prepareHeap readies the heap for a run with figures (its simulation,
// then its figures), which will touch memory that the process has not touched
// before: on a virtual machine the first touch of each 4 kB page can cost
// tens of microseconds (the host backs it on demand), which made a third
// of the CPU time of a March run with its figures and two thirds of its
// page faults. It maps preparedHeap bytes into the heap (a slice
// allocated and dropped, never touched), asks Linux to back that range
// with transparent huge pages (one fault per 2 MB instead of 512; Linux's
// default policy, "madvise", gives them only to ranges that ask) and
// collects, which frees the range for the run to use. A collection of the
// small heap of a process that has just started costs less than the
// faults it saves when figures follow; without them (--no-plots) a run
// touches too little for it to pay. Only the first call in a process does anything: a
// second time, the range would be reused, and the runtime would clear all
// of it.
//
// It does nothing under a limit on address space (the range would count
// against it) or with GODEBUG=disablethp=1, Go's switch to keep the heap
// off huge pages. No output depends on it.
func prepareHeap() { prepareOnce.Do(prepareHeapNow) }

var prepareOnce sync.Once

func prepareHeapNow() {
	if addressSpaceLimited() || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return
	}
	b := make([]byte, preparedHeap)
	adviseHugePages(b) // advice: a failure changes nothing
	runtime.KeepAlive(b)
	runtime.GC()
}

// adviseHugePages asks Linux to back the whole huge pages inside b with
// transparent huge pages when they are first touched.
func adviseHugePages(b []byte) error {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(len(b))) &^ (hugePage - 1)
	if beg >= end {
		return nil
	}
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, madvHugePage); e != 0 {
		return e
	}
	return nil
}

// madvHugePage is MADV_HUGEPAGE (not in package syscall).
const madvHugePage = 14
