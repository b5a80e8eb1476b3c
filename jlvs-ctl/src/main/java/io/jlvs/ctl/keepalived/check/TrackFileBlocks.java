package io.jlvs.ctl.keepalived.check;

import io.jlvs.ctl.keepalived.ConfNode;
import io.jlvs.ctl.keepalived.Diagnostics;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The top-level {@code track_file NAME { ... }} block (keepalived {@code track_file.c}; {@code vrrp_track_file} is
 * its deprecated synonym): {@code file} (required), {@code weight W [reverse]} (-254..254, default 1),
 * {@code init_file [VALUE] [overwrite]}. Relative paths are taken from the directory of the file that declares
 * them, as keepalived's current directory follows includes.
 */
public final class TrackFileBlocks {

    private TrackFileBlocks() {}

    /** The declaration, or empty when it is invalid (reported). */
    public static Optional<TrackFile> parse(ConfNode block, Diagnostics d) {
        String name = block.arg(0);
        if (name == null) {
            d.error(block, block.keyword() + ": missing name");
            return Optional.empty();
        }
        Path file = null;
        int weight = 1;
        boolean reverse = false;
        boolean init = false;
        int initValue = 0;
        boolean overwrite = false;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            switch (n.keyword()) {
                case "file" -> {
                    String f = Values.arg(n, d);
                    if (f == null) {
                        ok = false;
                    } else if (file != null) {
                        d.error(n, "file already set for track_file " + name);
                        ok = false;
                    } else {
                        file = resolve(block, f);
                    }
                }
                case "weight" -> {
                    Long w = Values.integer(n, -254, 254, d);
                    if (w == null) {
                        ok = false;
                        break;
                    }
                    weight = w.intValue();
                    String opt = n.arg(1);
                    if (opt != null) {
                        if (opt.equals("reverse")) {
                            reverse = true;
                        } else if (!opt.equals("noreverse")) {
                            d.error(n, "weight: unknown option '" + opt + "' (reverse|noreverse)");
                            ok = false;
                        }
                    }
                }
                case "init_file" -> {
                    init = true;
                    for (String w : n.args()) {
                        if (w.equals("overwrite")) {
                            overwrite = true;
                        } else {
                            Long v = Values.integer(n, w, Integer.MIN_VALUE, Integer.MAX_VALUE, d);
                            if (v == null) {
                                ok = false;
                            } else {
                                initValue = v.intValue();
                            }
                        }
                    }
                }
                default -> d.skipped(n, "unknown keyword '" + n.keyword() + "' in track_file");
            }
        }
        if (file == null) {
            d.error(block, "track_file " + name + " has no file");
            return Optional.empty();
        }
        return ok ? Optional.of(new TrackFile(name, file, weight, reverse, init, initValue, overwrite))
                : Optional.empty();
    }

    private static Path resolve(ConfNode where, String f) {
        Path p = Path.of(f);
        if (p.isAbsolute() || where.file() == null) {
            return p;
        }
        Path dir = Path.of(where.file()).toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }
}
