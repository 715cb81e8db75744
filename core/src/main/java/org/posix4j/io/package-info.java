/// File descriptors: the owned [org.posix4j.io.Fd] every other package hands out, borrowed views
/// of standard input, output and error, pipes, and stream and channel adapters.
package org.posix4j.io;
