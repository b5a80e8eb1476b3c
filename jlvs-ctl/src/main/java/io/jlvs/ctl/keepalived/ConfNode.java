package io.jlvs.ctl.keepalived;

import java.util.List;

/**
 * One statement of a keepalived.conf after preprocessing: its keyword, its arguments (quotes removed), the
 * statements of its block ({@code {...}}, empty when it has none) and where it was written. The parser builds
 * the tree; the LVS part and the checker part read it and report what they do not understand through
 * {@link Diagnostics}.
 *
 * @param keyword  the first word ({@code virtual_server}, {@code HTTP_GET}, {@code weight})
 * @param args     the words after it on the statement, before any {@code {}
 * @param children the statements inside its block, in order
 * @param file     the file it came from (as named by the top-level path or the include that pulled it in)
 * @param line     its 1-based line in that file
 */
public record ConfNode(String keyword, List<String> args, List<ConfNode> children, String file, int line) {
    public ConfNode {
        args = List.copyOf(args);
        children = List.copyOf(children);
    }

    /** {@code file:line}, as every message about this statement starts. */
    public String where() { return file + ":" + line; }

    /** The argument at {@code i}, or null when there are fewer. */
    public String arg(int i) { return i < args.size() ? args.get(i) : null; }
}
