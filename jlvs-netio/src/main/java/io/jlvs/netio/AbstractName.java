package io.jlvs.netio;

import io.jlvs.netio.sys.Un;
import java.nio.charset.StandardCharsets;

/** Abstract socket names: UTF-8, 1 to 107 bytes, no NUL; shown as {@code @name} as ss(8) and netstat do. */
final class AbstractName {

    private AbstractName() {}

    static byte[] encode(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        if (raw.length == 0 || raw.length > Un.MAX_ABSTRACT_NAME) {
            throw new IllegalArgumentException("abstract socket name '" + name + "' has " + raw.length
                    + " bytes in UTF-8; it needs 1 to " + Un.MAX_ABSTRACT_NAME);
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("abstract socket name '" + name.replace('\0', '?')
                    + "' contains a NUL byte");
        }
        return raw;
    }

    static String label(String name) {
        return "@" + name;
    }
}
