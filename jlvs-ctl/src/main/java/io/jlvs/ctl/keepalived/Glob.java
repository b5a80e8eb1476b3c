package io.jlvs.ctl.keepalived;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glob(3)} with {@code GLOB_BRACE} for include patterns: {@code {a,b}} alternatives (which may hold
 * {@code /}), then {@code *}, {@code ?} and {@code [...]} within one path component; a leading dot is only
 * matched by a pattern that starts with one; results sorted per component. Bounded in matches.
 */
final class Glob {
    private Glob() {}

    static final class GlobException extends Exception {
        GlobException(String message) { super(message); }
    }

    static boolean hasWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    /** Brace alternatives expanded left to right ("a{b,c}d" is "abd", "acd"), or null past {@code max} results. */
    static List<String> expandBraces(String pattern, int max) {
        List<String> out = new ArrayList<>();
        List<String> work = new ArrayList<>(List.of(pattern));
        while (!work.isEmpty()) {
            String p = work.removeLast();
            int open = -1, depth = 0, close = -1;
            List<Integer> commas = new ArrayList<>();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '{') {
                    if (depth++ == 0) {
                        open = i;
                        commas.clear();
                    }
                } else if (c == '}' && depth > 0) {
                    if (--depth == 0) {
                        close = i;
                        break;
                    }
                } else if (c == ',' && depth == 1) {
                    commas.add(i);
                }
            }
            if (open < 0 || close < 0) {
                out.add(p);
                if (out.size() > max) return null;
                continue;
            }
            String head = p.substring(0, open), tail = p.substring(close + 1);
            List<String> alts = new ArrayList<>();
            int from = open + 1;
            for (int c : commas) {
                alts.add(p.substring(from, c));
                from = c + 1;
            }
            alts.add(p.substring(from, close));
            if (work.size() + alts.size() + out.size() > max) return null;
            for (int i = alts.size() - 1; i >= 0; i--) work.add(head + alts.get(i) + tail);
        }
        return out;
    }

    /** The existing paths matching a brace-free pattern, relative patterns resolved against {@code base}. */
    static List<Path> match(String pattern, Path base, int max) throws GlobException {
        Path p;
        try {
            p = Path.of(pattern);
        } catch (InvalidPathException e) {
            throw new GlobException("bad file name '" + Preprocessor.clip(pattern) + "'");
        }
        if (!p.isAbsolute()) p = base.resolve(p);
        List<Path> current = new ArrayList<>();
        current.add(p.getRoot() == null ? Path.of("") : p.getRoot());
        int visited = 0;
        for (int i = 0; i < p.getNameCount(); i++) {
            String comp = p.getName(i).toString();
            List<Path> next = new ArrayList<>();
            if (!hasWildcard(comp)) {
                for (Path c : current) next.add(c.resolve(unescape(comp)));
            } else {
                PathMatcher m;
                try {
                    m = FileSystems.getDefault().getPathMatcher("glob:" + comp);
                } catch (IllegalArgumentException e) {
                    throw new GlobException("bad pattern '" + Preprocessor.clip(pattern) + "'");
                }
                boolean dotOk = comp.startsWith(".");
                for (Path c : current) {
                    if (!Files.isDirectory(c)) continue;
                    List<Path> names = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(c)) {
                        for (Path e : ds) {
                            if (++visited > max * 10) throw new GlobException("pattern '" + Preprocessor.clip(pattern)
                                    + "' visits more than " + max * 10 + " directory entries");
                            Path name = e.getFileName();
                            if (name == null) continue;
                            if (!dotOk && name.toString().startsWith(".")) continue;
                            if (m.matches(name)) names.add(e);
                        }
                    } catch (IOException | SecurityException e) {
                        continue;
                    }
                    names.sort(null);
                    next.addAll(names);
                }
            }
            current = next;
            if (current.size() > max) throw new GlobException("pattern '" + Preprocessor.clip(pattern) + "' matches more than " + max + " files");
        }
        List<Path> out = new ArrayList<>();
        for (Path c : current) if (Files.exists(c)) out.add(c);
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) c = s.charAt(++i);
            sb.append(c);
        }
        return sb.toString();
    }
}
