package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugePages checks that the range adviseHugePages advises is
// marked for huge pages ("hg" in its VmFlags).
func TestAdviseHugePages(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("no transparent huge pages in this kernel")
	}
	b := make([]byte, 3*hugePage)
	if err := adviseHugePages(b); err != nil {
		t.Fatal(err)
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	inside := (p + hugePage - 1) &^ (hugePage - 1)
	if !vmFlag(t, inside, "hg") {
		t.Errorf("the huge page at %#x in the advised slice is not marked for huge pages", inside)
	}
	runtime.KeepAlive(b)
}

// vmFlag reports whether the mapping holding addr has flag in its
// VmFlags (/proc/self/smaps).
func vmFlag(t *testing.T, addr uintptr, flag string) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 && strings.Contains(line, " ") && !strings.HasSuffix(line, ":") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(" "+strings.TrimPrefix(line, "VmFlags:")+" ", " "+flag+" ")
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return false
}
