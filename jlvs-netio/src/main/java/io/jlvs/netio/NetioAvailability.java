package io.jlvs.netio;

import io.jlvs.netio.sys.NativeProbe;
import java.util.Optional;

/**
 * Whether jlvs-netio's native calls work in this JVM: Linux, 64-bit, native access enabled, libc linked.
 * Probed once and answered forever (Netty's {@code Epoll.isAvailable()} / {@code unavailabilityCause()}).
 * The daemon refuses to start with {@link #unavailabilityCause()}; tests skip loudly with it.
 */
public final class NetioAvailability {

    private static final System.Logger LOG = System.getLogger(NetioAvailability.class.getName());
    private static final Optional<String> CAUSE = logged(NativeProbe.unavailabilityCause());

    private NetioAvailability() {}

    public static boolean isAvailable() {
        return CAUSE.isEmpty();
    }

    /** Why not, with what to do about it; empty when available. */
    public static Optional<String> unavailabilityCause() {
        return CAUSE;
    }

    /** Throws {@link UnsupportedOperationException} with the cause when unavailable. */
    public static void ensureAvailable() {
        CAUSE.ifPresent(c -> {
            throw new UnsupportedOperationException("jlvs-netio is unavailable: " + c);
        });
    }

    private static Optional<String> logged(Optional<String> cause) {
        cause.ifPresent(c -> LOG.log(System.Logger.Level.WARNING, "jlvs-netio is unavailable: {0}", c));
        return cause;
    }
}
