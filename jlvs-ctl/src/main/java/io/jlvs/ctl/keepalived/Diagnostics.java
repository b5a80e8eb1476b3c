package io.jlvs.ctl.keepalived;

/**
 * Where the keepalived.conf reader reports what it finds. A <em>skipped</em> statement (a keyword jlvs does not
 * implement) does not stop loading; an <em>error</em> (a bad value, a missing argument) makes the file invalid
 * ({@code jlvsd -t} exits 1, a reload is refused). Every message names {@link ConfNode#where()}.
 */
public interface Diagnostics {
    /** A keyword jlvs parses past without acting on it (logged by name, file and line). */
    void skipped(ConfNode node, String why);

    /** A statement that makes the configuration invalid: {@code message} names the offending token. */
    void error(ConfNode node, String message);

    /** An error not tied to one statement (an unreadable include, an unbalanced brace at end of file). */
    void error(String file, int line, String message);

    /**
     * A statement jlvs accepts but corrects or ignores as keepalived does ("no protocol set - defaulting to UDP",
     * "virtual server has no real servers - ignoring"). Does not make the file invalid. Implementations that do not
     * tell warnings apart get them as {@link #skipped}.
     */
    default void warning(ConfNode node, String message) { skipped(node, message); }
}
