package io.jlvs.netio;

import static io.jlvs.netio.IpTool.ipn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlvs.netio.rtnl.LinkInfo;
import io.jlvs.netio.rtnl.Rtnetlink;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Netns in a real namespace {@code jlvsns<hex>} holding one veth pair: entering moves only this thread, the
 * socket opened inside stays inside after leaving, and leaving restores the original namespace.
 */
@Tag("netns")
class NetnsNetnsIT {

    private String ns;

    @BeforeEach
    void setUp() {
        IpTool.assumeRootAndIp();
        ns = IpTool.uniqueName("jlvsns");
        IpTool.addNetns(ns);
        ipn(ns, "link", "add", "jlvsn0", "type", "veth", "peer", "name", "jlvsn1");
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            IpTool.delNetns(ns);
        }
    }

    @Test
    void enterMovesThisThreadAndCloseBringsItBack() throws Exception {
        String home = Netns.currentId();
        long nsInode = (Long) Files.getAttribute(Netns.NETNS_DIR.resolve(ns), "unix:ino");
        // a thread that exists before the enter stays home; one started inside inherits the namespace
        SynchronousQueue<String> ask = new SynchronousQueue<>(), answer = new SynchronousQueue<>();
        Thread bystander = Thread.ofPlatform().start(() -> {
            try {
                ask.take();
                answer.put(Netns.currentId());
            } catch (Exception e) {
                answer.offer(e.toString());
            }
        });
        Rtnetlink inside;
        String child;
        try (Netns.Scope in = Netns.enter(ns)) {
            assertThat(in.name()).isEqualTo(ns);
            assertThat(Netns.currentId()).isEqualTo("net:[" + nsInode + "]").isNotEqualTo(home);
            ask.put("where are you?");
            assertThat(answer.poll(5, TimeUnit.SECONDS)).as("a thread started before").isEqualTo(home);
            child = onNewThread(Netns::currentId);
            inside = Rtnetlink.open();
        }
        bystander.join();
        assertThat(child).as("a thread started inside").isEqualTo("net:[" + nsInode + "]");
        assertThat(Netns.currentId()).isEqualTo(home);
        try (inside) {
            assertThat(inside.dumpLinks()).extracting(LinkInfo::name)
                    .containsExactlyInAnyOrder("lo", "jlvsn0", "jlvsn1");
        }
        try (Rtnetlink here = Rtnetlink.open()) {
            assertThat(here.dumpLinks()).extracting(LinkInfo::name).doesNotContain("jlvsn0", "jlvsn1");
        }
    }

    /** Runs {@code task} on a new platform thread and returns its result. */
    static <T> T onNewThread(java.util.concurrent.Callable<T> task) throws Exception {
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Exception> err = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                out.set(task.call());
            } catch (Exception e) {
                err.set(e);
            }
        });
        t.join();
        if (err.get() != null) {
            throw err.get();
        }
        return out.get();
    }

    @Test
    void callRunsOnItsOwnThreadAndRethrows() throws Exception {
        String home = Netns.currentId();
        List<String> names = Netns.call(ns, () -> {
            try (Rtnetlink r = Rtnetlink.open()) {
                return r.dumpLinks().stream().map(LinkInfo::name).toList();
            }
        });
        assertThat(names).containsExactlyInAnyOrder("lo", "jlvsn0", "jlvsn1");
        assertThat(Netns.currentId()).isEqualTo(home);
        assertThatThrownBy(() -> Netns.call(ns, () -> {
            throw new java.io.FileNotFoundException("from inside");
        })).isInstanceOf(java.io.FileNotFoundException.class).hasMessage("from inside");
    }

    @Test
    void scopeIsClosedByItsOwnThreadOnly() throws Exception {
        String home = Netns.currentId();
        Netns.Scope in = Netns.enter(ns);
        try {
            Throwable[] err = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    in.close();
                } catch (Throwable e) {
                    err[0] = e;
                }
            });
            t.join();
            assertThat(err[0]).isInstanceOf(IllegalStateException.class);
        } finally {
            in.close();
        }
        in.close();
        assertThat(Netns.currentId()).isEqualTo(home);
    }
}
