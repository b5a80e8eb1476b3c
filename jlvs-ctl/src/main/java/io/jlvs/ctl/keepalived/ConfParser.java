package io.jlvs.ctl.keepalived;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * keepalived.conf text to a tree of {@link ConfNode}: the {@link Preprocessor}'s logical lines, split at braces
 * outside double quotes as keepalived's {@code read_line} does ({@code a {b} c} is {@code a}, <code>{</code>,
 * {@code b}, <code>}</code>, {@code c}), then grouped into blocks: a <code>{</code> opens the block of the statement
 * just before it (on the same line or on a line of its own), a <code>}</code> closes it.
 *
 * <p>Words are split as keepalived's {@code alloc_strvec}: at blanks, a word starting with a double quote runs
 * to the next double quote and keeps its blanks (the quotes are removed); single quotes and backslashes are left
 * for the consumer (script paths are re-split with shell-like rules, as keepalived's
 * {@code alloc_strvec_quoted_escaped} does).
 *
 * <p>Structure errors (an unexpected <code>{</code>, an extra <code>}</code>, a block not closed at the end,
 * nesting deeper than {@value #MAX_DEPTH}) are reported with file and line; parsing goes on so that every error
 * is reported. The tree is generic: which keywords exist and what their arguments mean is the readers' business
 * ({@link LvsConfigReader}, the checker code).
 */
public final class ConfParser {
    /** Blocks nested deeper than this are an error (keepalived's own grammar needs 5). */
    public static final int MAX_DEPTH = 32;

    private ConfParser() {}

    /** Parses a file with its includes. */
    public static List<ConfNode> parseFile(Path file, String configId, Diagnostics diag) {
        Builder b = new Builder(diag);
        Preprocessor pp = new Preprocessor(configId, diag, b);
        pp.readTop(file);
        return b.finish(pp.aborted());
    }

    /**
     * Parses text as if read from a file named {@code name} in directory {@code dir} (includes are resolved
     * against {@code dir}).
     */
    public static List<ConfNode> parseText(String text, String name, Path dir, String configId, Diagnostics diag) {
        return parseText(text, name, dir, configId, diag, Preprocessor.MAX_LINES, Preprocessor.MAX_WORK);
    }

    /** {@link #parseText} with lower bounds on logical lines and preprocessing steps (tests of the bounds). */
    static List<ConfNode> parseText(String text, String name, Path dir, String configId, Diagnostics diag, int maxLines,
                                    long maxWork) {
        Builder b = new Builder(diag);
        Preprocessor pp = new Preprocessor(configId, diag, b).limits(maxLines, maxWork);
        pp.readText(text, name, dir);
        return b.finish(pp.aborted());
    }

    /** keepalived's default config id: the host name up to its first dot. */
    public static String defaultConfigId() { return Preprocessor.defaultConfigId(); }

    /** The words of a statement ({@code alloc_strvec}); an unmatched quote takes the rest of the line. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int i = 0, n = text.length();
        while (true) {
            while (i < n && isWhite(text.charAt(i))) i++;
            if (i >= n) break;
            if (text.charAt(i) == '"') {
                int close = text.indexOf('"', i + 1);
                if (close < 0) {
                    out.add(text.substring(i + 1));
                    break;
                }
                out.add(text.substring(i + 1, close));
                i = close + 1;
            } else {
                int s = i;
                while (i < n && !isWhite(text.charAt(i)) && text.charAt(i) != '"') i++;
                out.add(text.substring(s, i));
            }
        }
        return out;
    }

    private static boolean isWhite(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == 0x0B;
    }

    /** The first brace outside double quotes, or -1 ({@code read_line}'s scan; an unmatched quote ends it). */
    static int braceIndex(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '{' || c == '}') return i;
            if (c == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) return -1;
                i = close + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Builds the tree from logical lines. */
    private static final class Builder implements Preprocessor.Sink {
        private static final class Node {
            final String keyword;
            final List<String> args;
            final String file;
            final int line;
            List<Node> block;                           // null: no block

            Node(String keyword, List<String> args, String file, int line) {
                this.keyword = keyword;
                this.args = args;
                this.file = file;
                this.line = line;
            }

            ConfNode build() {
                List<ConfNode> kids = new ArrayList<>();
                if (block != null) for (Node n : block) kids.add(n.build());
                return new ConfNode(keyword, args, kids, file, line);
            }
        }

        /** One open block: where statements go (null for a discarded block) and who opened it. */
        private record Frame(List<Node> children, Node owner, String file, int line) {}

        private final Diagnostics diag;
        private final List<Node> top = new ArrayList<>();
        private final List<Frame> stack = new ArrayList<>();
        private Node last;                              // the statement a '{' would open

        Builder(Diagnostics diag) {
            this.diag = diag;
            stack.add(new Frame(top, null, "", 0));
        }

        @Override
        public void line(String text, String file, int line) {
            String rest = text;
            while (!rest.isEmpty()) {
                int b = braceIndex(rest);
                if (b < 0) {
                    statement(rest, file, line);
                    return;
                }
                if (b > 0) {
                    statement(rest.substring(0, b), file, line);
                    rest = rest.substring(b);
                    continue;
                }
                if (rest.charAt(0) == '{') open(file, line);
                else close(file, line);
                rest = Preprocessor.stripLeadingBlanks(rest.substring(1));
            }
        }

        private void statement(String text, String file, int line) {
            List<String> w = words(text);
            if (w.isEmpty()) return;
            Frame f = stack.getLast();
            Node n = new Node(w.get(0), w.subList(1, w.size()), file, line);
            if (f.children != null) f.children.add(n);
            last = f.children != null ? n : null;
        }

        private void open(String file, int line) {
            Frame f = stack.getLast();
            if (stack.size() > MAX_DEPTH) {
                if (f.children != null) diag.error(file, line, "blocks nested deeper than " + MAX_DEPTH + " levels");
                stack.add(new Frame(null, null, file, line));
            } else if (last != null && last.block == null) {
                last.block = new ArrayList<>();
                stack.add(new Frame(last.block, last, file, line));
            } else {
                if (f.children != null) {
                    diag.error(file, line, last == null ? "unexpected '{' (no statement before it to open a block for)"
                            : "unexpected '{': '" + last.keyword + "' already has a block");
                }
                stack.add(new Frame(null, null, file, line));
            }
            last = null;
        }

        private void close(String file, int line) {
            if (stack.size() == 1) {
                diag.error(file, line, "extra '}'");
            } else {
                stack.removeLast();
            }
            last = null;
        }

        List<ConfNode> finish(boolean aborted) {
            if (!aborted && stack.size() > 1) {
                Frame f = stack.get(1);
                String what = f.owner != null ? "'" + f.owner.keyword + "'" : "'{'";
                diag.error(f.file, f.line, "missing '}': the block of " + what + " opened here is not closed"
                        + (stack.size() > 2 ? " (" + (stack.size() - 1) + " blocks open at the end)" : ""));
            }
            List<ConfNode> out = new ArrayList<>(top.size());
            for (Node n : top) out.add(n.build());
            return out;
        }
    }
}
