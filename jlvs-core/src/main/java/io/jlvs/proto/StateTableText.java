package io.jlvs.proto;

import java.util.function.ToIntFunction;

/**
 * Reads a protocol's state table written as the kernel writes it: one row per (direction, event), one two-letter
 * state abbreviation per column ({@code "NO ES SS ..."}). Class-initialization only.
 */
final class StateTableText {
    private StateTableText() {}

    static byte[] parse(int states, ToIntFunction<String> code, String... rows) {
        byte[] t = new byte[rows.length * states];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = rows[r].split(" ");
            if (cells.length != states) throw new IllegalStateException("row " + r + " has " + cells.length + " cells");
            for (int s = 0; s < states; s++) t[r * states + s] = (byte) code.applyAsInt(cells[s]);
        }
        return t;
    }
}
