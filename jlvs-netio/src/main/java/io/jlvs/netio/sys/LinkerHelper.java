package io.jlvs.netio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Looks C functions up once and hands out their downcall handles; owns the errno capture.
 *
 * <p>Model: Elasticsearch {@code libs/native/.../jdk/LinkerHelper.java}. Handles that report errno take the
 * capture segment as their first argument ({@link Linker.Option#captureCallState(String...)}); each thread
 * has its own segment ({@link #errnoState()}), so two threads failing at once never read each other's errno.
 */
final class LinkerHelper {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * One capture segment per thread. Its lifetime is its thread's: the one place where an automatic arena
     * (freed when the GC finds the segment unreachable, i.e. after the thread and its ThreadLocalMap are gone)
     * is exactly the lifetime we want; a confined arena could not be closed from a dying thread.
     */
    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private LinkerHelper() {}

    /** A handle for {@code name} that does not report errno (getuid, geteuid, getpid). */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** A handle for {@code name} whose first argument is the capture segment from {@link #errnoState()}. */
    static MethodHandle downcallWithErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /**
     * As {@link #downcallWithErrno(String, FunctionDescriptor)}, with more linker options (e.g.
     * {@code firstVariadicArg} for ioctl and open, whose C prototypes end in {@code ...}).
     */
    static MethodHandle downcallWithErrno(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** This thread's errno capture segment. */
    static MemorySegment errnoState() {
        return ERRNO_STATE.get();
    }

    /** A downcall's result: itself, or the negated errno the call left in {@code state} when it returned -1. */
    static int result(MemorySegment state, int res) {
        return res == -1 ? -errno(state) : res;
    }

    static long result(MemorySegment state, long res) {
        return res == -1 ? -errno(state) : res;
    }

    /** What a downcall threw, rethrown unchecked (a downcall throws no checked exception). */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("a downcall threw a checked exception", t);
    }

    /** The errno the last capturing call on this thread left in {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }
}
