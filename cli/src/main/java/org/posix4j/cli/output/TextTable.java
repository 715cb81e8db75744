package org.posix4j.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/// A titled section of rows printed as aligned columns, the text form of a command's output:
///
/// ```
/// Resource limits
///   resource    soft       hard
///   nofile      1024       524288
/// ```
///
/// Every column but the last is padded to its widest cell, two spaces apart; the last is not
/// padded, and a line never ends in blanks, even when its last cell is empty. Widths count UTF-16 units, which is right for the ASCII
/// the kernel reports and close enough for the rest.
///
/// Not thread-safe.
public final class TextTable {
    private static final String INDENT = "  ";
    private static final String GAP = "  ";

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    /// Creates an empty section called `title`.
    public TextTable(String title) {
        this.title = title;
    }

    /// Adds a row of cells.
    ///
    /// @throws IllegalArgumentException if `cells` is empty
    public TextTable row(String... cells) {
        if (cells.length == 0) {
            throw new IllegalArgumentException("cells: a row needs at least one cell");
        }
        rows.add(cells.clone());
        return this;
    }

    /// Prints the title, then the rows indented and aligned.
    public void print(PrintWriter out) {
        List<Integer> widths = new ArrayList<>();
        for (String[] row : rows) {
            for (int c = 0; c < row.length - 1; c++) {
                if (c == widths.size()) {
                    widths.add(0);
                }
                widths.set(c, Math.max(widths.get(c), row[c].length()));
            }
        }
        out.println(title);
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(INDENT);
            for (int c = 0; c < row.length - 1; c++) {
                line.append(row[c]).repeat(' ', widths.get(c) - row[c].length()).append(GAP);
            }
            out.println(line.append(row[row.length - 1]).toString().stripTrailing());
        }
    }
}
