package io.jlvs.netio.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void namesAndTextsOfCommonErrnos() {
        assertThat(Errno.name(Errno.ECONNREFUSED)).isEqualTo("ECONNREFUSED");
        assertThat(Errno.name(Errno.EADDRINUSE)).isEqualTo("EADDRINUSE");
        assertThat(Errno.name(Errno.EACCES)).isEqualTo("EACCES");
        assertThat(Errno.name(Errno.EAGAIN)).isEqualTo("EAGAIN");
        assertThat(Errno.describe(Errno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(Errno.name(999)).isEqualTo("errno 999");
        assertThat(Errno.describe(-3)).isEqualTo("Unknown error -3");
    }

    @Test
    void exceptionNamesTheCallAndErrno() {
        ErrnoException e = new ErrnoException("bind(@x)", Errno.EADDRINUSE);
        assertThat(e).hasMessage("bind(@x): EADDRINUSE (Address already in use)");
        assertThat(e.errnoName()).isEqualTo("EADDRINUSE");
        assertThat(e.call()).isEqualTo("bind(@x)");
    }

    @Test
    void checkThrowsOnNegatedErrno() throws Exception {
        assertThat(Libc.check("x", 7)).isEqualTo(7);
        assertThatThrownBy(() -> Libc.check("close(-1)", -Errno.EBADF))
                .isInstanceOf(ErrnoException.class).hasMessage("close(-1): EBADF (Bad file descriptor)");
    }

    @Test
    void failedCallsReturnTheirOwnErrno() {
        assumeTrue(NativeProbe.unavailabilityCause().isEmpty(), () -> NativeProbe.unavailabilityCause().get());
        assertThat(Libc.close(-1)).isEqualTo(-Errno.EBADF);
        assertThat(Libc.socket(12345, Socket.SOCK_STREAM, 0)).isEqualTo(-Errno.EAFNOSUPPORT);
    }

    /** Two threads failing differently at the same time each read their own errno: one capture segment each. */
    @Test
    void errnoIsCapturedPerThread() throws Exception {
        assumeTrue(NativeProbe.unavailabilityCause().isEmpty(), () -> NativeProbe.unavailabilityCause().get());
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        Runnable badf = () -> loop(start, failure, () -> Libc.close(-1), -Errno.EBADF);
        Runnable afnosupport = () -> loop(start, failure, () -> Libc.socket(12345, Socket.SOCK_STREAM, 0),
                -Errno.EAFNOSUPPORT);
        Thread a = Thread.ofPlatform().start(badf);
        Thread b = Thread.ofPlatform().start(afnosupport);
        start.countDown();
        a.join();
        b.join();
        assertThat(failure.get()).isNull();
    }

    private static void loop(CountDownLatch start, AtomicReference<String> failure,
                             java.util.function.IntSupplier call, int expected) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < 20_000; i++) {
            int res = call.getAsInt();
            if (res != expected) {
                failure.compareAndSet(null, "expected " + expected + " got " + res + " at " + i);
                return;
            }
        }
    }
}
