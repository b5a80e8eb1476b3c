package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code <sys/un.h>}: {@code struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }}, 110 bytes. */
public final class Un {

    public static final int SUN_PATH_LEN = 108;

    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(SUN_PATH_LEN, JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");

    static final java.lang.invoke.VarHandle SUN_FAMILY = Socket.field(SOCKADDR_UN, "sun_family");

    /** {@code offsetof(struct sockaddr_un, sun_path)}: 2. */
    public static final long SUN_PATH_OFFSET =
            SOCKADDR_UN.byteOffset(MemoryLayout.PathElement.groupElement("sun_path"));

    /** The longest abstract name: sun_path less its leading NUL. */
    public static final int MAX_ABSTRACT_NAME = SUN_PATH_LEN - 1;

    private Un() {}

    /**
     * The address length of an abstract name of {@code nameLength} bytes: {@code offsetof(sun_path) + 1 + n}.
     * The kernel takes every byte up to that length as the name (no NUL terminator), so the length is the name.
     */
    public static int abstractAddressLength(int nameLength) {
        return (int) SUN_PATH_OFFSET + 1 + nameLength;
    }
}
