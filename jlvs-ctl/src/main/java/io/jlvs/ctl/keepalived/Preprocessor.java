package io.jlvs.ctl.keepalived;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * keepalived's {@code read_line} ({@code lib/parser.c}): physical lines in, logical lines out, each with the
 * file and line it came from. In order, for every line:
 * <ol>
 *   <li>comments: {@code #} and {@code !} start a comment anywhere outside double quotes ({@code \#} and
 *       {@code \!} are the characters themselves); leading and trailing blanks go;</li>
 *   <li>conditionals: {@code @ID rest} keeps {@code rest} only when ID is the config id, {@code @^ID rest} only
 *       when it is not;</li>
 *   <li>definitions: {@code $NAME=value} (no blank before {@code =}); a value ending in {@code \} continues on
 *       the next lines, which makes a multi-line definition;</li>
 *   <li>loops: {@code ~SEQ(var, start, step, end) rest}, {@code ~SEQ(var, start, end)}, {@code ~SEQ(var, end)},
 *       {@code ~SEQx} (hexadecimal values) and {@code ~LST(var, v1, v2...)} / {@code ~LST({a,b}, {1,2}...)} process
 *       {@code rest} once per value;</li>
 *   <li>expansion: {@code ${NAME}} anywhere and {@code $NAME} followed by a blank, {@code ,}, {@code )} or the
 *       end; recursive (replacement text is expanded again), at use time; an undefined name stays as written.
 *       A multi-line definition expands only at the end of a line: its first line replaces the reference, its
 *       other lines follow as lines of their own (and may hold blocks, definitions, conditionals). Predefined:
 *       {@code _PWD} (the directory of the current file), {@code _INSTANCE} (the config id),
 *       {@code _RANDOM [min [max]]}, {@code _ENV NAME}, {@code _HASH} ({@code #}), {@code _BANG} ({@code !});</li>
 *   <li>{@code include PATTERN}: files matching the glob (with {@code {a,b}} braces), relative to the directory of
 *       the including file, read in sorted order; a pattern without wildcards that names no file is an error, a
 *       wildcard that matches nothing a warning.</li>
 * </ol>
 * Bounded everywhere so that no input hangs or exhausts memory: include depth {@value #MAX_INCLUDE_DEPTH},
 * {@value #MAX_FILES} files, {@value #MAX_FILE_BYTES} bytes a file, expansion nesting {@value #MAX_NESTING},
 * {@value #MAX_LINE_CHARS} characters a line after expansion, {@value #MAX_EXPANSIONS} substitutions a line,
 * {@value #MAX_LOOP_VALUES} values a loop, {@value #MAX_LINES} logical lines in all. Exceeding a bound is an
 * error naming it, and reading stops.
 */
final class Preprocessor {
    static final int MAX_INCLUDE_DEPTH = 16;
    static final int MAX_FILES = 1000;
    static final long MAX_FILE_BYTES = 16L << 20;
    static final int MAX_NESTING = 64;
    static final int MAX_LINE_CHARS = 65_536;
    static final int MAX_EXPANSIONS = 10_000;
    static final long MAX_LOOP_VALUES = 1_000_000;
    static final int MAX_LINES = 1_000_000;
    static final int MAX_GLOB_MATCHES = 1000;
    /** Lines processed and loop values set, in all: loops that produce nothing must end too. */
    static final long MAX_WORK = 20_000_000;

    /** Where logical lines go (the block builder). */
    interface Sink {
        void line(String text, String file, int line);
    }

    /** A definition: a user's {@code $NAME=value} (multi-line when it was continued) or a predefined one. */
    private record Definition(String name, String value, boolean multiline, boolean builtin) {}

    /** The file being read: for {@code _PWD}, relative includes and messages. */
    private record Context(String file, Path dir, int depth) {}

    private final String configId;
    private final Diagnostics diag;
    private final Sink sink;
    private final Map<String, Definition> defs = new HashMap<>();
    private final Deque<Path> includeStack = new ArrayDeque<>();
    private int files, produced;
    private long work;
    private int maxLines = MAX_LINES;
    private long maxWork = MAX_WORK;
    private boolean aborted;

    /** Lower bounds on logical lines and on work (tests). */
    Preprocessor limits(int lines, long steps) {
        this.maxLines = lines;
        this.maxWork = steps;
        return this;
    }

    Preprocessor(String configId, Diagnostics diag, Sink sink) {
        this.configId = configId == null ? "" : configId;
        this.diag = diag;
        this.sink = sink;
        for (String b : List.of("_PWD", "_INSTANCE", "_RANDOM", "_ENV", "_HASH", "_BANG")) {
            defs.put(b, new Definition(b, "", false, true));
        }
    }

    boolean aborted() { return aborted; }

    /** Reads the top-level file; a missing or unreadable file is an error at line 0. */
    void readTop(Path path) {
        readFile(path, path.toString(), "", 0, 0);
    }

    /** Reads text as if it were the file {@code name} in directory {@code dir} (tests, stdin). */
    void readText(String text, String name, Path dir) {
        files++;
        processFile(text, new Context(name, dir, 0));
    }

    private void abort(String file, int line, String message) {
        if (!aborted) diag.error(file, line, message);
        aborted = true;
    }

    // ---- files ----

    private void readFile(Path path, String display, String fromFile, int fromLine, int depth) {
        if (aborted) return;
        if (depth > MAX_INCLUDE_DEPTH) {
            abort(fromFile, fromLine, "include nested deeper than " + MAX_INCLUDE_DEPTH + " files at " + display);
            return;
        }
        if (++files > MAX_FILES) {
            abort(fromFile, fromLine, "more than " + MAX_FILES + " configuration files");
            return;
        }
        Path real;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) {
                diag.error(fromFile.isEmpty() ? display : fromFile, fromLine, Files.isDirectory(path)
                        ? "cannot read " + display + ": is a directory" : "cannot open " + display + ": no such file");
                return;
            }
            real = path.toRealPath();
            if (includeStack.contains(real)) {
                diag.error(fromFile, fromLine, "include cycle: " + display + " is already being read");
                return;
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                diag.error(fromFile.isEmpty() ? display : fromFile, fromLine, "cannot read " + display
                        + ": larger than " + MAX_FILE_BYTES + " bytes");
                return;
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | SecurityException | InvalidPathException e) {
            diag.error(fromFile.isEmpty() ? display : fromFile, fromLine, "cannot read " + display + ": " + e.getMessage());
            return;
        }
        Path dir = real.getParent();
        includeStack.push(real);
        try {
            processFile(new String(bytes, StandardCharsets.UTF_8), new Context(display, dir, depth));
        } finally {
            includeStack.pop();
        }
    }

    private void processFile(String text, Context ctx) {
        int n = 0, from = 0, len = text.length();
        Definition pending = null;                      // a multi-line definition being continued
        StringBuilder pendingValue = null;
        while (from <= len && !aborted) {
            int nl = text.indexOf('\n', from);
            if (nl < 0 && from == len) break;           // no text after the last newline
            int end = nl < 0 ? len : nl;
            n++;
            int e = end;
            while (e > from && text.charAt(e - 1) == '\r') e--;
            String raw = text.substring(from, e);
            from = end + 1;
            if (pending != null) {
                String t = raw.isEmpty() ? "" : decomment(raw, ctx.file, n);
                if (t.endsWith("\\")) {
                    String body = stripTrailingBlanks(t.substring(0, t.length() - 1));
                    if (!body.isEmpty()) pendingValue.append(body).append('\n');
                    if (pendingValue.length() > MAX_LINE_CHARS * 16) {
                        abort(ctx.file, n, "definition $" + pending.name + " longer than " + MAX_LINE_CHARS * 16 + " characters");
                        return;
                    }
                    continue;
                }
                pendingValue.append(t);
                String v = pendingValue.toString();
                while (v.endsWith("\n")) v = v.substring(0, v.length() - 1);
                defs.put(pending.name, new Definition(pending.name, v, !v.isEmpty(), false));
                pending = null;
                pendingValue = null;
                continue;
            }
            String t = decomment(raw, ctx.file, n);
            if (t.isEmpty()) continue;
            Definition started = processLine(t, ctx, n, 0, true);
            if (started != null) {
                pending = started;
                pendingValue = new StringBuilder(started.value);
            }
        }
        if (pending != null) {
            String v = pendingValue.toString();
            while (v.endsWith("\n")) v = v.substring(0, v.length() - 1);
            defs.put(pending.name, new Definition(pending.name, v, !v.isEmpty(), false));
        }
    }

    // ---- one logical line ----

    /**
     * Handles one line: conditional, definition, loop, expansion, include, and emits what is left. Returns the
     * definition when the line starts a multi-line one (only in file context).
     */
    private Definition processLine(String text, Context ctx, int line, int depth, boolean fileContext) {
        if (aborted || !step(ctx, line)) return null;
        if (depth > MAX_NESTING) {
            abort(ctx.file, line, "definitions and loops nested deeper than " + MAX_NESTING + " levels");
            return null;
        }
        Deque<String> extra = new ArrayDeque<>();       // lines of multi-line expansions, in order
        int substitutions = 0;
        while (true) {
            if (text.startsWith("@")) {
                boolean negate = text.startsWith("@^");
                int ofs = negate ? 2 : 1;
                int blank = indexOfBlank(text, ofs);
                if (blank < 0) return drainExtra(extra, ctx, line, depth);
                boolean match = text.substring(ofs, blank).equals(configId);
                if (match == negate) return drainExtra(extra, ctx, line, depth);
                text = stripLeadingBlanks(text.substring(blank));
                if (text.isEmpty()) return drainExtra(extra, ctx, line, depth);
            }
            if (text.startsWith("$")) {
                Definition d = defineIfDefinition(text, fileContext);
                if (d != null) {
                    drainExtra(extra, ctx, line, depth);
                    return d.multiline && fileContext ? d : null;
                }
            }
            if (text.startsWith("~SEQ") || text.startsWith("~LST")) {
                loop(text, ctx, line, depth);
                return drainExtra(extra, ctx, line, depth);
            }
            if (text.indexOf('$') < 0) break;
            Expanded x = expand(text, ctx, line);
            if (x == null) return null;                 // aborted
            if (!x.changed) break;
            if (!x.extra.isEmpty()) {
                List<String> rest = new ArrayList<>(x.extra);
                for (int i = rest.size() - 1; i >= 0; i--) extra.addFirst(rest.get(i));
            }
            text = stripLeadingBlanks(x.text);
            substitutions += x.count;
            if (substitutions > MAX_EXPANSIONS) {
                abort(ctx.file, line, "more than " + MAX_EXPANSIONS + " substitutions in one line (recursive definition?)");
                return null;
            }
            if (text.isEmpty()) return drainExtra(extra, ctx, line, depth);
        }
        if (!includeLine(text, ctx, line)) emit(text, ctx.file, line);
        return drainExtra(extra, ctx, line, depth);
    }

    private Definition drainExtra(Deque<String> extra, Context ctx, int line, int depth) {
        while (!extra.isEmpty() && !aborted) {
            String l = stripLeadingBlanks(extra.pollFirst());
            if (!l.isEmpty()) processLine(l, ctx, line, depth + 1, false);
        }
        return null;
    }

    /** Counts one step of work; false (and reading stops) past {@value #MAX_WORK}. */
    private boolean step(Context ctx, int line) {
        if (++work <= maxWork) return true;
        abort(ctx.file, line, "configuration needs more than " + maxWork + " preprocessing steps (loops too large)");
        return false;
    }

    private void emit(String text, String file, int line) {
        if (aborted) return;
        if (++produced > maxLines) {
            abort(file, line, "configuration expands to more than " + maxLines + " lines");
            return;
        }
        sink.line(text, file, line);
    }

    // ---- definitions ----

    /** {@code check_definition}: {@code $NAME=value}, NAME of [A-Za-z_][A-Za-z0-9_]*, no blank before '='. */
    private Definition defineIfDefinition(String text, boolean fileContext) {
        if (text.length() < 2 || !(isAlpha(text.charAt(1)) || text.charAt(1) == '_')) return null;
        int p = 2;
        while (p < text.length() && isNameChar(text.charAt(p))) p++;
        if (p >= text.length() || text.charAt(p) != '=') return null;
        String name = text.substring(1, p);
        String value = stripLeadingBlanks(text.substring(p + 1));
        boolean multiline = false;
        if (fileContext && value.endsWith("\\")) {
            multiline = true;
            String body = stripTrailingBlanks(value.substring(0, value.length() - 1));
            value = body.isEmpty() ? "" : body + "\n";
        }
        Definition d = new Definition(name, value, multiline, false);
        defs.put(name, d);
        return d;
    }

    /** The outcome of one expansion pass: the new text, the lines a multi-line definition added. */
    private record Expanded(String text, boolean changed, int count, List<String> extra) {}

    /** {@code replace_param}: substitutes from left to right, rescanning each replacement. */
    private Expanded expand(String text, Context ctx, int line) {
        StringBuilder sb = new StringBuilder(text);
        List<String> extra = new ArrayList<>();
        int pos = 0, count = 0;
        while ((pos = sb.indexOf("$", pos)) >= 0 && pos + 1 < sb.length()) {
            Ref ref = findReference(sb, pos + 1, ctx);
            if (ref == null) {
                pos++;
                continue;
            }
            String value = ref.value;
            if (ref.multiline) {
                int nl = value.indexOf('\n');
                if (nl >= 0) {
                    List<String> more = new ArrayList<>(List.of(value.substring(nl + 1).split("\n", -1)));
                    extra.addAll(0, more);
                    value = value.substring(0, nl);
                }
            }
            sb.replace(pos, ref.end, value);
            count++;
            if (sb.length() > MAX_LINE_CHARS) {
                abort(ctx.file, line, "line longer than " + MAX_LINE_CHARS + " characters after substitution");
                return null;
            }
            if (count > MAX_EXPANSIONS) {
                abort(ctx.file, line, "more than " + MAX_EXPANSIONS + " substitutions in one line (recursive definition?)");
                return null;
            }
            if (stripLeadingBlanks(value).startsWith("~")) break;       // a loop in a value: processed first
        }
        return new Expanded(sb.toString(), count > 0, count, extra);
    }

    private record Ref(int end, String value, boolean multiline) {}

    /** {@code find_definition} for a use: the reference starting after '$' at {@code at}, or null. */
    private Ref findReference(CharSequence s, int at, Context ctx) {
        boolean braces = s.charAt(at) == '{';
        int nameStart = braces ? at + 1 : at;
        if (nameStart >= s.length()) return null;
        char c0 = s.charAt(nameStart);
        if (!isAlpha(c0) && c0 != '_') return null;
        int p = nameStart + 1;
        while (p < s.length() && isNameChar(s.charAt(p))) p++;
        String name = s.subSequence(nameStart, p).toString();
        String params = null;
        int end;
        if (braces) {
            int close = p;
            while (close < s.length() && s.charAt(close) != '}' && s.charAt(close) != '{') close++;
            if (close >= s.length() || s.charAt(close) != '}') return null;
            String between = s.subSequence(p, close).toString();
            if (!between.isEmpty()) {
                if (between.charAt(0) != ' ' || !between.equals(stripTrailingBlanks(between))) return null;
                params = between.trim();
            }
            end = close + 1;
        } else {
            if (p < s.length()) {
                char c = s.charAt(p);
                if (c != ' ' && c != '\t' && c != ',' && c != ')') return null;
            }
            end = p;
        }
        Definition d = defs.get(name);
        if (d == null) return null;
        boolean atEnd = end == s.length();
        if (d.multiline && !atEnd) return null;
        if (d.builtin) {
            String v = builtin(name, params, ctx);
            return v == null ? null : new Ref(end, v, false);
        }
        if (params != null) return null;
        return new Ref(end, d.value, d.multiline);
    }

    private String builtin(String name, String params, Context ctx) {
        return switch (name) {
            case "_PWD" -> params == null ? (ctx.dir == null ? "" : ctx.dir.toString()) : null;
            case "_INSTANCE" -> params == null ? configId : null;
            case "_HASH" -> params == null ? "#" : null;
            case "_BANG" -> params == null ? "!" : null;
            case "_ENV" -> {
                if (params == null || params.isEmpty()) yield null;
                String v = System.getenv(params);
                yield v == null ? "" : v;
            }
            case "_RANDOM" -> {
                long min = 0, max = 32767;
                if (params != null) {
                    String[] w = params.trim().split("\\s+");
                    try {
                        if (w.length >= 1) min = Long.parseLong(w[0]);
                        if (w.length >= 2) max = Long.parseLong(w[1]);
                    } catch (NumberFormatException e) {
                        yield null;
                    }
                    if (w.length > 2 || min < 0 || max < min) yield null;
                }
                yield Long.toString(min + ThreadLocalRandom.current().nextLong(max - min + 1));
            }
            default -> null;
        };
    }

    // ---- loops ----

    /** {@code ~SEQ(...) rest}, {@code ~SEQx(...) rest}, {@code ~LST(...) rest}. */
    private void loop(String text, Context ctx, int line, int depth) {
        boolean seq = text.startsWith("~SEQ");
        int p = 4;
        boolean hex = false;
        if (seq && p < text.length() && text.charAt(p) == 'x') {
            hex = true;
            p++;
        }
        p = skipBlanks(text, p);
        int close = p < text.length() && text.charAt(p) == '(' ? matchingParen(text, p) : -1;
        if (close < 0) {
            diag.error(ctx.file, line, "invalid " + text.substring(0, Math.min(text.length(), 4)) + " '" + clip(text)
                    + "': expected (...)");
            return;
        }
        String inside = text.substring(p + 1, close);
        String rest = stripLeadingBlanks(text.substring(close + 1));
        if (seq) seqLoop(text, inside, rest, hex, ctx, line, depth);
        else listLoop(text, inside, rest, ctx, line, depth);
    }

    private void seqLoop(String text, String inside, String rest, boolean hex, Context ctx, int line, int depth) {
        int comma = inside.indexOf(',');
        String var = (comma < 0 ? inside : inside.substring(0, comma)).trim();
        if (comma < 0 || !isName(var)) {
            diag.error(ctx.file, line, "invalid ~SEQ definition '" + clip(text) + "': expected ~SEQ(var, [start,] [step,] end)");
            return;
        }
        String paramText = inside.substring(comma + 1);
        if (paramText.indexOf('$') >= 0) {
            Expanded x = expand(paramText, ctx, line);
            if (x == null) return;
            if (!x.extra.isEmpty()) {
                diag.error(ctx.file, line, "~SEQ parameter is a multi-line definition '" + clip(text) + "'");
                return;
            }
            paramText = x.text;
        }
        String[] parts = paramText.split(",", -1);
        long[] v = new long[parts.length];
        if (parts.length > 3) {
            diag.error(ctx.file, line, "invalid ~SEQ definition '" + clip(text) + "': at most start, step, end");
            return;
        }
        for (int i = 0; i < parts.length; i++) {
            Long n = parseCLong(parts[i].trim());
            if (n == null) {
                diag.error(ctx.file, line, "invalid ~SEQ value '" + parts[i].trim() + "' in '" + clip(text) + "'");
                return;
            }
            v[i] = n;
        }
        long start, step, end;
        if (v.length == 1) {
            end = v[0];
            step = end < 1 ? -1 : 1;
            start = end < 0 ? -1 : 1;
        } else if (v.length == 2) {
            start = v[0];
            end = v[1];
            step = start <= end ? 1 : -1;
        } else {
            start = v[0];
            step = v[1];
            end = v[2];
            if (step == 0 || (start < end && step < 0) || (start > end && step > 0)) {
                diag.error(ctx.file, line, "invalid ~SEQ values '" + clip(text) + "': the step does not reach the end");
                return;
            }
        }
        if (hex && (start < 0 || end < 0)) {
            diag.error(ctx.file, line, "~SEQx is only valid for positive numbers '" + clip(text) + "'");
            return;
        }
        long count;
        try {
            count = Math.addExact(Math.abs(Math.subtractExact(end, start)) / Math.abs(step), 1);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > MAX_LOOP_VALUES) {
            abort(ctx.file, line, "~SEQ of " + (count == Long.MAX_VALUE ? "too many" : Long.toString(count))
                    + " values (at most " + MAX_LOOP_VALUES + ")");
            return;
        }
        long value = start;
        for (long i = 0; i < count && !aborted && step(ctx, line); i++, value += step) {
            String s = hex ? Long.toHexString(value) : Long.toString(value);
            defs.put(var, new Definition(var, s, false, false));
            if (!rest.isEmpty()) processLine(rest, ctx, line, depth + 1, false);
        }
    }

    private void listLoop(String text, String inside, String rest, Context ctx, int line, int depth) {
        List<List<String>> groups = new ArrayList<>();
        List<String> vars;
        String s = inside.trim();
        if (s.startsWith("{")) {
            List<String> tuples = splitTopLevel(s);
            if (tuples == null || tuples.size() < 2) {
                diag.error(ctx.file, line, "invalid ~LST definition '" + clip(text) + "'");
                return;
            }
            vars = braceTuple(tuples.get(0));
            if (vars == null) {
                diag.error(ctx.file, line, "invalid ~LST variables in '" + clip(text) + "'");
                return;
            }
            for (int i = 1; i < tuples.size(); i++) {
                List<String> g = braceTuple(tuples.get(i));
                if (g == null || g.size() != vars.size()) {
                    diag.error(ctx.file, line, "~LST value " + tuples.get(i).trim() + " does not match "
                            + vars.size() + " variables in '" + clip(text) + "'");
                    return;
                }
                groups.add(g);
            }
        } else {
            String[] parts = s.split(",", -1);
            if (parts.length < 2) {
                diag.error(ctx.file, line, "invalid ~LST definition '" + clip(text) + "': expected ~LST(var, value...)");
                return;
            }
            vars = List.of(parts[0].trim());
            for (int i = 1; i < parts.length; i++) groups.add(List.of(parts[i].trim()));
        }
        for (String var : vars) {
            if (!isName(var)) {
                diag.error(ctx.file, line, "invalid ~LST variable '" + var + "' in '" + clip(text) + "'");
                return;
            }
        }
        if (groups.size() > MAX_LOOP_VALUES) {
            abort(ctx.file, line, "~LST of more than " + MAX_LOOP_VALUES + " values");
            return;
        }
        for (List<String> g : groups) {
            if (aborted || !step(ctx, line)) return;
            for (int i = 0; i < vars.size(); i++) defs.put(vars.get(i), new Definition(vars.get(i), g.get(i), false, false));
            if (!rest.isEmpty()) processLine(rest, ctx, line, depth + 1, false);
        }
    }

    /** "{a,b}, {1,2}" split at commas outside braces, or null when braces do not pair. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) return null;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        if (depth != 0) return null;
        out.add(s.substring(from));
        return out;
    }

    private static List<String> braceTuple(String s) {
        String t = s.trim();
        if (t.length() < 2 || t.charAt(0) != '{' || t.charAt(t.length() - 1) != '}') return null;
        List<String> out = new ArrayList<>();
        for (String w : t.substring(1, t.length() - 1).split(",", -1)) out.add(w.trim());
        return out;
    }

    // ---- include ----

    private static final List<String> INCLUDES = List.of("include", "includer", "includem", "includew", "includeb", "includea");

    /** Handles the line when it is an include; false when it is something else. */
    private boolean includeLine(String text, Context ctx, int line) {
        if (!text.startsWith("include")) return false;
        List<String> words = ConfParser.words(text);
        if (words.isEmpty() || !INCLUDES.contains(words.get(0))) return false;
        if (words.size() != 2) {
            diag.error(ctx.file, line, words.get(0) + ": expected one file name or pattern, got " + (words.size() - 1));
            return true;
        }
        String pattern = words.get(1);
        boolean optional = words.get(0).equals("includer");
        List<String> expanded = Glob.expandBraces(pattern, MAX_GLOB_MATCHES);
        if (expanded == null) {
            diag.error(ctx.file, line, "include: pattern '" + pattern + "' expands to more than " + MAX_GLOB_MATCHES + " patterns");
            return true;
        }
        int matched = 0;
        for (String p : expanded) {
            List<Path> found;
            try {
                found = Glob.match(p, ctx.dir == null ? Path.of("") : ctx.dir, MAX_GLOB_MATCHES);
            } catch (Glob.GlobException e) {
                diag.error(ctx.file, line, "include: " + e.getMessage());
                continue;
            }
            if (found.isEmpty()) {
                if (!Glob.hasWildcard(p) && !optional) {
                    diag.error(ctx.file, line, "include: cannot open " + p + ": no such file");
                }
                continue;
            }
            for (Path f : found) {
                if (aborted) return true;
                if (Files.isDirectory(f)) continue;
                matched++;
                readFile(f, display(f, ctx), ctx.file, line, ctx.depth + 1);
            }
        }
        if (matched == 0 && Glob.hasWildcard(pattern) && !optional) {
            diag.warning(new ConfNode("include", List.of(pattern), List.of(), ctx.file, line),
                    "no file matches " + pattern);
        }
        return true;
    }

    /** How a file is named in messages: relative to the working directory when it is below it. */
    private static String display(Path f, Context ctx) {
        try {
            Path cwd = Path.of("").toAbsolutePath();
            Path abs = f.toAbsolutePath().normalize();
            if (abs.startsWith(cwd) && !abs.equals(cwd)) return cwd.relativize(abs).toString();
            return abs.toString();
        } catch (RuntimeException e) {
            return f.toString();
        }
    }

    // ---- comments ----

    /**
     * {@code decomment}: leading blanks, comments outside double quotes and trailing blanks removed; {@code \#} and
     * {@code \!} outside quotes become the characters; a final {@code \} stays (continuation).
     */
    String decomment(String raw, String file, int line) {
        String s = stripLeadingBlanks(raw);
        StringBuilder sb = new StringBuilder(s.length());
        boolean quote = false, cont = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quote = !quote;
                sb.append(c);
            } else if (c == '\\') {
                if (i + 1 >= s.length()) {
                    cont = true;
                    break;
                }
                char n = s.charAt(i + 1);
                if (!quote && (n == '#' || n == '!')) sb.append(n);
                else sb.append(c).append(n);
                i++;
            } else if (!quote && (c == '#' || c == '!')) {
                break;
            } else {
                sb.append(c);
            }
        }
        if (quote) diag.error(file, line, "unterminated quote: '" + clip(s) + "'");
        String out = stripTrailingBlanks(sb.toString());
        return cont ? out + "\\" : out;
    }

    // ---- small helpers ----

    /** {@code strtol(s, &end, 0)} over the whole string: decimal, 0x hex, leading-0 octal, sign; null if not a number. */
    static Long parseCLong(String s) {
        if (s.isEmpty()) return 0L;                     // strtol of nothing is 0 (keepalived's "missing number")
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            i++;
        }
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            radix = 16;
            i += 2;
        } else if (s.length() > i + 1 && s.charAt(i) == '0') {
            radix = 8;
            i++;
        }
        if (i >= s.length()) return radix == 8 ? 0L : null;
        try {
            long v = Long.parseLong(s.substring(i), radix);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    static String clip(String s) { return s.length() <= 80 ? s : s.substring(0, 77) + "..."; }

    private static boolean isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    private static boolean isNameChar(char c) { return isAlpha(c) || (c >= '0' && c <= '9') || c == '_'; }

    private static boolean isName(String s) {
        if (s.isEmpty() || !(isAlpha(s.charAt(0)) || s.charAt(0) == '_')) return false;
        for (int i = 1; i < s.length(); i++) if (!isNameChar(s.charAt(i))) return false;
        return true;
    }

    private static int indexOfBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        return -1;
    }

    private static int skipBlanks(String s, int from) {
        while (from < s.length() && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) from++;
        return from;
    }

    static String stripLeadingBlanks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
        return s.substring(i);
    }

    static String stripTrailingBlanks(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(0, e);
    }

    /** keepalived's default config id: the node name up to its first dot ({@code uname -n}). */
    static String defaultConfigId() {
        String host = null;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException ignored) {
            // not Linux or not readable: ask the JDK
        }
        if (host == null || host.isEmpty()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                host = "localhost";
            }
        }
        int dot = host.indexOf('.');
        String id = dot > 0 ? host.substring(0, dot) : host;
        return id.isEmpty() ? "localhost" : id;
    }
}
