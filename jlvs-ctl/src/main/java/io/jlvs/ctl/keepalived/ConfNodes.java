package io.jlvs.ctl.keepalived;

import java.util.List;

/** Helpers over {@link ConfNode} trees. */
public final class ConfNodes {
    private ConfNodes() {}

    /** Same keywords, arguments and children, wherever they were written (file and line ignored). */
    public static boolean sameContent(ConfNode a, ConfNode b) {
        return a.keyword().equals(b.keyword()) && a.args().equals(b.args()) && sameContent(a.children(), b.children());
    }

    public static boolean sameContent(List<ConfNode> a, List<ConfNode> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!sameContent(a.get(i), b.get(i))) return false;
        return true;
    }

    /** The tree as text, one statement a line, indented: for tests and debugging. */
    public static String dump(List<ConfNode> nodes) {
        StringBuilder sb = new StringBuilder();
        dump(nodes, 0, sb);
        return sb.toString();
    }

    private static void dump(List<ConfNode> nodes, int depth, StringBuilder sb) {
        for (ConfNode n : nodes) {
            sb.append("  ".repeat(depth)).append(n.keyword());
            for (String a : n.args()) sb.append(' ').append(a.isEmpty() || a.contains(" ") ? '"' + a + '"' : a);
            if (!n.children().isEmpty()) {
                sb.append(" {\n");
                dump(n.children(), depth + 1, sb);
                sb.append("  ".repeat(depth)).append("}");
            }
            sb.append('\n');
        }
    }
}
