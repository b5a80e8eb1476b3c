package io.jlvs.ctl.keepalived.check;

import io.jlvs.ctl.keepalived.ConfNode;
import io.jlvs.ctl.keepalived.Diagnostics;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: a minimal keepalived.conf reader (words, "quoted strings", {} blocks, # and ! comments) to write
 * checker blocks as text, and a {@link Diagnostics} that records what it is told. The real parser is another
 * helper's; these tests only need the statement tree.
 */
final class Conf {

    private Conf() {}

    /** The statements of {@code text}, from file "test.conf". */
    static List<ConfNode> parse(String text) {
        List<String[]> tokens = new ArrayList<>(); // {token, line}
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String l = lines[ln];
            int i = 0;
            while (i < l.length()) {
                char c = l.charAt(i);
                if (c == '#' || c == '!') {
                    break;
                }
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '{' || c == '}') {
                    tokens.add(new String[] {String.valueOf(c), String.valueOf(ln + 1), "brace"});
                    i++;
                } else if (c == '"') {
                    int end = l.indexOf('"', i + 1);
                    tokens.add(new String[] {l.substring(i + 1, end), String.valueOf(ln + 1), "word"});
                    i = end + 1;
                } else {
                    int j = i;
                    while (j < l.length() && !Character.isWhitespace(l.charAt(j)) && l.charAt(j) != '{'
                            && l.charAt(j) != '}') {
                        j++;
                    }
                    tokens.add(new String[] {l.substring(i, j), String.valueOf(ln + 1), "word"});
                    i = j;
                }
            }
            tokens.add(new String[] {"\n", String.valueOf(ln + 1), "eol"});
        }
        int[] pos = {0};
        return block(tokens, pos);
    }

    private static List<ConfNode> block(List<String[]> t, int[] pos) {
        List<ConfNode> out = new ArrayList<>();
        while (pos[0] < t.size()) {
            String[] tok = t.get(pos[0]);
            if (tok[2].equals("eol")) {
                pos[0]++;
                continue;
            }
            if (tok[2].equals("brace") && tok[0].equals("}")) {
                pos[0]++;
                return out;
            }
            String keyword = tok[0];
            int line = Integer.parseInt(tok[1]);
            pos[0]++;
            List<String> args = new ArrayList<>();
            List<ConfNode> children = List.of();
            while (pos[0] < t.size()) {
                String[] a = t.get(pos[0]);
                if (a[2].equals("eol")) {
                    pos[0]++;
                    break;
                }
                if (a[2].equals("brace")) {
                    if (a[0].equals("{")) {
                        pos[0]++;
                        children = block(t, pos);
                    }
                    break;
                }
                args.add(a[0]);
                pos[0]++;
            }
            out.add(new ConfNode(keyword, args, children, "test.conf", line));
        }
        return out;
    }

    /** The one statement of {@code text}. */
    static ConfNode one(String text) {
        return parse(text).getFirst();
    }

    /** Records "file:line skipped: why" and "file:line error: message". */
    static final class Recorder implements Diagnostics {
        final List<String> skipped = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public void skipped(ConfNode node, String why) {
            skipped.add(node.where() + " " + why);
        }

        @Override
        public void error(ConfNode node, String message) {
            errors.add(node.where() + " " + message);
        }

        @Override
        public void error(String file, int line, String message) {
            errors.add(file + ":" + line + " " + message);
        }
    }
}
