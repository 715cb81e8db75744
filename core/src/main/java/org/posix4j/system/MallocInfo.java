package org.posix4j.system;

/// Statistics of glibc's malloc, from mallinfo2(3), with the field names of Prosody's
/// `pposix.meminfo`. All values are bytes, for the main arena and its mmapped chunks.
///
/// @param allocated total memory malloc obtained with sbrk (mallinfo2 `arena`)
/// @param allocatedMmap total memory in chunks malloc obtained with mmap (`hblkhd`)
/// @param used memory in chunks handed out by malloc (`uordblks`)
/// @param unused memory in free chunks (`fordblks`)
/// @param returnable the top-most free chunk that malloc_trim could return (`keepcost`)
public record MallocInfo(long allocated, long allocatedMmap, long used, long unused, long returnable) {}
