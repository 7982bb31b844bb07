package main

import (
	"syscall"
	"unsafe"
)

// mapWords maps n zeroed words outside the Go heap, on transparent huge
// pages as package offheap maps Vigil's index (never unmapped: the bare
// server keeps them until it exits).
func mapWords(n int) ([]uint64, error) {
	mem, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	_ = syscall.Madvise(mem, syscall.MADV_HUGEPAGE) // advice only
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(mem))), n), nil
}
