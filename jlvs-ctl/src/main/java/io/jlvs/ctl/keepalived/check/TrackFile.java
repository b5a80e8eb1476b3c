package io.jlvs.ctl.keepalived.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A top-level {@code track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }}
 * declaration, which FILE_CHECK blocks name.
 *
 * @param name      its name
 * @param file      {@code file}
 * @param weight    {@code weight} (-254..254, default 1): FILE_CHECK's default multiplier
 * @param reverse   {@code reverse}
 * @param initFile  {@code init_file} was given: write {@code initValue} to the file at load if it is missing
 *                  (or always, with {@code overwrite})
 * @param initValue the value {@code init_file} writes (default 0)
 * @param overwrite {@code init_file ... overwrite}
 */
public record TrackFile(String name, Path file, int weight, boolean reverse, boolean initFile, int initValue,
                        boolean overwrite) {

    public TrackFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
    }

    /**
     * Applies {@code init_file} as keepalived does when it loads (not on a config test, not over an existing file
     * on a reload): creates the file with the init value if missing, or rewrites it with {@code overwrite}.
     *
     * @param reload true on a reload: an existing file is never rewritten then
     */
    public void initialise(boolean reload) throws IOException {
        if (!initFile) {
            return;
        }
        if (Files.exists(file)) {
            if (!overwrite || reload) {
                return;
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException("cannot initialise track file " + name + ": " + file + " is not a regular file");
            }
        }
        Files.writeString(file, initValue + "\n");
    }
}
