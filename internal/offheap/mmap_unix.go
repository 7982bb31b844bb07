//go:build unix

package offheap

import (
	"syscall"
	"unsafe"
)

// mapSlots maps n zeroed slots outside the Go heap; nil if it cannot.
func mapSlots(n int) ([]byte, []slot) {
	mem, err := syscall.Mmap(-1, 0, n*int(unsafe.Sizeof(slot{})), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil
	}
	adviseHuge(mem)
	return mem, unsafe.Slice((*slot)(unsafe.Pointer(unsafe.SliceData(mem))), n)
}

func unmap(mem []byte) { syscall.Munmap(mem) }
