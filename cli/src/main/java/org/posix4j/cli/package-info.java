/// The entry point of the `posix4j` command: exit codes and error reporting.
package org.posix4j.cli;
