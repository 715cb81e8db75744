/// How the commands print: JSON for programs, aligned text for people.
package org.posix4j.cli.output;
