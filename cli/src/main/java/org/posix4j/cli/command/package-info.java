/// The `posix4j` command and its subcommands, one class each, parsed by picocli.
package org.posix4j.cli.command;
