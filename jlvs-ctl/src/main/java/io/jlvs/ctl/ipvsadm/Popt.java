package io.jlvs.ctl.ipvsadm;

import java.util.ArrayList;
import java.util.List;

/**
 * The slice of popt's {@code poptGetNextOpt} that ipvsadm uses (popt 1.16+, no aliases, no ONEDASH options):
 * <ul>
 *   <li>{@code --name} and {@code --name=value}; a long option that needs a value and has no {@code =} takes the
 *       next word, whatever it is; {@code =value} on a flag is ignored; an unknown long name is "unknown option";</li>
 *   <li>{@code -abc} is a cluster of short options; the first one that takes a value takes the rest of the
 *       cluster (a leading {@code =} skipped), else the next word; {@code -name} is never a long option;</li>
 *   <li>an OPTIONAL value ({@code -p [timeout]}) is taken from the next word unless that word starts with '-'
 *       (or there is none): {@code -p 60} is 60, {@code -p foo} is "foo" (then rejected by ipvsadm),
 *       {@code -p -s rr} has no value;</li>
 *   <li>words that are not options ({@code "-"}, anything not starting with '-', everything after {@code --})
 *       are kept as leftover arguments, in order, wherever they appear.</li>
 * </ul>
 * Errors are popt's codes; {@link #badOption()} is the argv word popt blames ({@code argv[next - 1]}).
 */
final class Popt {
    static final int END = -1;
    static final int ERROR_NOARG = -10;
    static final int ERROR_BADOPT = -11;

    enum Arg { NONE, REQUIRED, OPTIONAL }

    /** One option-table row: long name (or null), short name (or 0), value kind, and the code returned. */
    record Def(String longName, char shortName, Arg arg, int val) {}

    private final Def[] table;
    private final List<String> argv;
    private final List<String> leftovers = new ArrayList<>();
    private int next;
    /** The rest of a short-option cluster still to read; "" is not the same as none (popt's "-L=" quirk). */
    private String nextCharArg;
    private boolean restLeftover;
    private int nextLeftover;
    private String optArg;

    Popt(Def[] table, List<String> argv) {
        this.table = table;
        this.argv = argv;
    }

    /** The value of the option just returned (null for flags and for an absent OPTIONAL value). */
    String optArg() { return optArg; }

    /** The word popt blames for the last option or error. */
    String badOption() { return next > 0 ? argv.get(next - 1) : ""; }

    /** {@code poptGetArg}: the next leftover (non-option) word, or null. */
    String nextArg() { return nextLeftover < leftovers.size() ? leftovers.get(nextLeftover++) : null; }

    /** The next option's code, {@link #END}, or a negative popt error. */
    int nextOpt() {
        optArg = null;
        while (true) {
            Def opt = null;
            String longArg = null;
            if (nextCharArg == null && next == argv.size()) return END;
            if (nextCharArg == null) {
                String orig = argv.get(next++);
                if (restLeftover || !orig.startsWith("-") || orig.equals("-")) {
                    leftovers.add(orig);
                    continue;
                }
                if (orig.equals("--")) {
                    restLeftover = true;
                    continue;
                }
                boolean oneDash = orig.charAt(1) != '-';
                String s = orig.substring(oneDash ? 1 : 2);
                int eq = s.indexOf('=');
                String name = eq < 0 ? s : s.substring(0, eq);
                if (eq >= 0) longArg = s.substring(eq + 1);
                if (!oneDash) {
                    opt = findLong(name);
                    if (opt == null) return ERROR_BADOPT;
                } else {
                    nextCharArg = orig.substring(1);   // no option of ipvsadm's table is ONEDASH
                    longArg = null;
                }
            }
            if (nextCharArg != null) {
                String cluster = nextCharArg;
                nextCharArg = null;
                opt = cluster.isEmpty() ? null : findShort(cluster.charAt(0));
                if (opt == null) return ERROR_BADOPT;
                String rest = cluster.substring(1);
                if (!rest.isEmpty()) nextCharArg = rest.charAt(0) == '=' ? rest.substring(1) : rest;
            }
            if (opt.arg() != Arg.NONE) {
                if (longArg != null) {
                    optArg = longArg;
                } else if (nextCharArg != null) {
                    optArg = nextCharArg;
                    nextCharArg = null;
                } else if (next == argv.size()) {
                    if (opt.arg() != Arg.OPTIONAL) return ERROR_NOARG;
                } else if (opt.arg() == Arg.OPTIONAL && argv.get(next).startsWith("-")) {
                    optArg = null;
                } else {
                    optArg = argv.get(next++);
                }
            }
            return opt.val();
        }
    }

    private Def findLong(String name) {
        for (Def d : table) if (name.equals(d.longName())) return d;
        return null;
    }

    private Def findShort(char c) {
        for (Def d : table) if (c != 0 && d.shortName() == c) return d;
        return null;
    }

    /** {@code poptStrerror} for the codes above. */
    static String strerror(int code) {
        return switch (code) {
            case ERROR_NOARG -> "missing argument";
            case ERROR_BADOPT -> "unknown option";
            default -> "unknown error";
        };
    }
}
