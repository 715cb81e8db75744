/// File system calls the JDK lacks or hides: mkdir with an exact mode, space allocation
/// (posix_fallocate) and access-pattern advice (posix_fadvise).
package org.posix4j.fs;
