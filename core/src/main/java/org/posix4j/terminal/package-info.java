/// Terminals: isatty, ttyname, ctermid, the foreground process group, and pseudo-terminals, so
/// terminal code can be used and tested without a real terminal.
package org.posix4j.terminal;
