package offheap

import "syscall"

// adviseHuge asks Linux to back mem with transparent huge pages. Advice
// only: where it is refused, mem keeps its small pages.
func adviseHuge(mem []byte) { _ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) }
