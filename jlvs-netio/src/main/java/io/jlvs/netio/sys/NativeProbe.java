package io.jlvs.netio.sys;

import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Optional;

/** Probes once whether the bindings in this package can run here; see {@link io.jlvs.netio.NetioAvailability}. */
public final class NativeProbe {

    private static final Optional<String> CAUSE = probe();

    private NativeProbe() {}

    /** Empty when the libc bindings link and answer; otherwise why not, with what to do about it. */
    public static Optional<String> unavailabilityCause() {
        return CAUSE;
    }

    private static Optional<String> probe() {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("jlvs-netio needs Linux (abstract Unix sockets, SO_PEERCRED); this is " + os);
        }
        if (ValueLayout.ADDRESS.byteSize() != 8) {
            return Optional.of("jlvs-netio needs a 64-bit platform (size_t is bound as a long); this is "
                    + System.getProperty("os.arch"));
        }
        Module module = NativeProbe.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            return Optional.of("native access is not enabled for " + describe(module) + ": start java with "
                    + "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED"));
        }
        try {
            if (Libc.getpid() != ProcessHandle.current().pid()) {
                return Optional.of("libc getpid() disagrees with the JVM's pid: the bindings are not trustworthy");
            }
        } catch (Throwable t) { // ExceptionInInitializerError, UnsatisfiedLinkError, IllegalCallerException
            Throwable root = t.getCause() != null ? t.getCause() : t;
            return Optional.of("libc bindings failed to link: " + root);
        }
        return Optional.empty();
    }

    private static String describe(Module module) {
        return module.isNamed() ? "module " + module.getName() : "the unnamed module";
    }
}
