package offheap

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// A large table is on huge pages wherever the system lets a mapping ask
// for them (transparent_hugepage "always" or "madvise"), and the advice
// changes nothing where it does not ("never").
func TestHugePages(t *testing.T) {
	setting, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		t.Fatalf("the system's huge page setting: %v", err)
	}
	m := New(4 << 20) // 8 Mi slots, 128 MiB
	defer m.Free()
	for i := range uint64(4 << 20) {
		m.Set(i*2654435761+1, i)
	}
	huge := hugeKB(t, uintptr(unsafe.Pointer(unsafe.SliceData(m.t.mapped))))
	if strings.Contains(string(setting), "[never]") {
		if huge != 0 {
			t.Errorf("%d kB on huge pages with the system's setting %q", huge, setting)
		}
		return
	}
	// A mapping need not start on a 2 MiB boundary: all but its ends can
	// be huge.
	if min := int64(len(m.t.mapped)>>10) - 4096; huge < min {
		t.Errorf("%d kB of the %d kB table on huge pages, want at least %d (setting %q)", huge, len(m.t.mapped)>>10, min, setting)
	}
}

// hugeKB returns the AnonHugePages of the mapping that starts at addr.
func hugeKB(t *testing.T, addr uintptr) int64 {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := fmt.Sprintf("%x-", addr)
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = strings.HasPrefix(line, start)
			continue
		}
		var kb int64
		if in {
			if _, err := fmt.Sscanf(line, "AnonHugePages: %d kB", &kb); err == nil {
				return kb
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping at %#x in /proc/self/smaps", addr)
	return 0
}
