/// The error model and feature probes shared by every posix4j package: [org.posix4j.Errno],
/// [org.posix4j.PosixException] and [org.posix4j.Features].
package org.posix4j;
