package io.jlvs.ctl.keepalived;

import java.nio.file.Path;
import java.util.List;

/**
 * keepalived.conf to {@link KeepalivedConf} in one call: {@link ConfParser} (with the preprocessor and includes)
 * then {@link LvsConfigReader}, every message collected.
 */
public final class KeepalivedLoader {
    private KeepalivedLoader() {}

    /**
     * A loaded configuration with what was said about it.
     *
     * @param conf     the configuration (also when invalid: whatever could be read)
     * @param tree     the statements after preprocessing
     * @param messages errors, warnings and skipped keywords, in order
     */
    public record Result(KeepalivedConf conf, List<ConfNode> tree, ConfMessages messages) {
        /** No error: {@code jlvsd -t} exits 0, a reload may apply it. */
        public boolean valid() { return !messages.hasErrors(); }
    }

    /** Loads a file ({@code jlvsd -f}); {@code configId} null means keepalived's default (the host name). */
    public static Result load(Path file, String configId) {
        String id = configId != null ? configId : ConfParser.defaultConfigId();
        ConfMessages m = new ConfMessages();
        List<ConfNode> tree = ConfParser.parseFile(file, id, m);
        return new Result(LvsConfigReader.read(tree, file.toString(), id, m), tree, m);
    }

    /** Loads text as the file {@code name} in {@code dir}. */
    public static Result loadText(String text, String name, Path dir, String configId) {
        String id = configId != null ? configId : ConfParser.defaultConfigId();
        ConfMessages m = new ConfMessages();
        List<ConfNode> tree = ConfParser.parseText(text, name, dir, id, m);
        return new Result(LvsConfigReader.read(tree, name, id, m), tree, m);
    }
}
