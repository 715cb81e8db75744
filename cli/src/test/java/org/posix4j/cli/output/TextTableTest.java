package org.posix4j.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {
    private static String print(TextTable table) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            table.print(out);
        }
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void columnsAlignOnTheWidestCellAndLinesEndWithoutBlanks() {
        TextTable t = new TextTable("Limits")
                .row("resource", "soft", "hard")
                .row("as", "unlimited", "unlimited")
                .row("sigpending", "7", "")
                .row("note", "only two cells, the last unpadded");
        assertEquals("""
                Limits
                  resource    soft       hard
                  as          unlimited  unlimited
                  sigpending  7
                  note        only two cells, the last unpadded
                """, print(t));
    }

    @Test
    void aSectionMayBeEmptyButARowMayNot() {
        assertEquals("Nothing\n", print(new TextTable("Nothing")));
        assertThrows(IllegalArgumentException.class, () -> new TextTable("x").row());
    }
}
