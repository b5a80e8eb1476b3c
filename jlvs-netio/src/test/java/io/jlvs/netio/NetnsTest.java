package io.jlvs.netio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What Netns checks before it touches a namespace (no root needed); {@code NetnsNetnsIT} enters real ones. */
class NetnsTest {

    @BeforeAll
    static void netioAvailable() {
        assumeTrue(NetioAvailability.isAvailable(),
                () -> "SKIPPED: jlvs-netio unavailable: " + NetioAvailability.unavailabilityCause().orElseThrow());
    }

    @Test
    void namesAreWhatIpNetnsAccepts() {
        assertThat(Netns.checkName("jlvsrt1234")).isEqualTo("jlvsrt1234");
        for (String bad : new String[] {"", ".", "..", "a/b", "../etc", "x\0y", "n".repeat(256)}) {
            assertThatThrownBy(() -> Netns.enter(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Netns.enter(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void missingNamespaceIsENOENTNamingTheFile() {
        String name = "jlvs-missing-" + ProcessHandle.current().pid();
        assertThatThrownBy(() -> Netns.enter(name))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessageContaining("/var/run/netns/" + name);
        assertThatThrownBy(() -> Netns.call(name, () -> 1)).isInstanceOf(ErrnoException.class);
    }

    @Test
    void virtualThreadsAreRefused() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Netns.enter("jlvs-any").close();
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual");
    }

    @Test
    void currentIdNamesTheNetworkNamespace() throws Exception {
        assertThat(Netns.currentId()).matches("net:\\[\\d+]");
    }
}
