package io.jlvs.netio.ring;

import io.jlvs.netio.testing.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded throughput loop over one veth pair in a fresh namespace (not a test: figures, no asserts). One
 * thread blasts frames out of jlvsb0 for {@code seconds}, another receives them on jlvsb1; prints transmit and
 * receive rates per configuration (receiver: the default TPACKET_V2 ring, and V3 for comparison). Run as root:
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp jlvs-netio/target/classes:jlvs-netio/target/test-classes \
 *        io.jlvs.netio.ring.PacketRingLoop [seconds] [frameBytes]
 * </pre>
 */
public final class PacketRingLoop {

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int frameBytes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        String skip = Netns.skipReason();
        if (skip != null || !PacketRing.isAvailable()) {
            System.out.println(skip != null ? skip : PacketRing.unavailabilityCause().orElse(""));
            return;
        }
        try (Netns ns = Netns.create("jlvsrgL")) {
            ns.ip("link", "add", "jlvsb0", "type", "veth", "peer", "name", "jlvsb1");
            ns.ip("link", "set", "jlvsb0", "up");
            ns.ip("link", "set", "jlvsb1", "up");
            PacketRing.Options base = PacketRing.Options.defaults();
            PacketRing.Options rx = PacketRing.Options.defaults();   // RX V2, 270 slots of 68 KiB
            PacketRing.Options rxV3 = rx.withRxVersion(PacketRing.RxVersion.V3);
            PacketRing.Options txRing = base.withTxMode(PacketRing.TxMode.TX_RING).withTxRing(4096, 256);
            run(ns, "sendmmsg batch 64", base, rx, seconds, frameBytes);
            run(ns, "sendmmsg batch 64, qdisc bypass", base.withQdiscBypass(true), rx, seconds, frameBytes);
            run(ns, "TX ring 256 x 4 KiB", txRing, rx, seconds, frameBytes);
            run(ns, "TX ring 256 x 4 KiB, qdisc bypass", txRing.withQdiscBypass(true), rx, seconds, frameBytes);
            run(ns, "TX ring 256 x 4 KiB, rx V3", txRing, rxV3, seconds, frameBytes);
            run(ns, "TX ring 256 x 4 KiB, rx V2 1024 slots", txRing, rx.withRxFrames(rx.rxFrameSizeBytes(), 1024),
                    seconds, frameBytes);
        }
    }

    static void run(Netns ns, String label, PacketRing.Options txOptions, PacketRing.Options rxOptions, double seconds,
                    int frameBytes) throws Exception {
        long durationNs = (long) (seconds * 1e9);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> rxReady = new CompletableFuture<>();
        CompletableFuture<String> rx = ns.start("rx", () -> {
            InterfaceInfo b1 = InterfaceInfo.lookup("jlvsb1");
            try (PacketRing ring = PacketRing.open(b1.index(), rxOptions)) {
                rxReady.complete(null);
                long[] bytes = new long[1];
                RxHandler h = (seg, start, len, bs, be, m) -> bytes[0] += seg.get(ValueLayout.JAVA_BYTE, start + 14);
                long t0 = System.nanoTime();
                while (!stop.get()) {
                    if (ring.receive(h, 256) == 0) {
                        ring.pollIn(10);
                    }
                }
                long t1 = System.nanoTime();
                ring.pollStatistics();
                RingCounters c = ring.counters();
                return String.format("rx %s %.2f Mpps (kernel drops %d, freezes %d)", rxOptions.rxVersion(),
                        c.rxFrames() / ((t1 - t0) / 1e9) / 1e6, c.kernelDrops(), c.kernelFreezes());
            }
        });
        rxReady.get(10, TimeUnit.SECONDS);
        String tx = ns.call(60, () -> {
            InterfaceInfo b0 = InterfaceInfo.lookup("jlvsb0");
            InterfaceInfo b1 = InterfaceInfo.lookup("jlvsb1");
            try (PacketRing ring = PacketRing.open(b0.index(), txOptions); Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(frameBytes);
                MemorySegment.copy(b1.macBytes(), 0, buf, ValueLayout.JAVA_BYTE, 0, 6);
                MemorySegment.copy(b0.macBytes(), 0, buf, ValueLayout.JAVA_BYTE, 6, 6);
                buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 12, (short) 0xb588);   // 0x88b5 in network order
                long t0 = System.nanoTime();
                long end = t0 + durationNs;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 64; i++) {
                        ring.send(buf, 0, frameBytes);
                    }
                    ring.flush();
                }
                long t1 = System.nanoTime();
                RingCounters c = ring.counters();
                return String.format("tx %.2f Mpps accepted (%d syscalls, full %d, error %d, errno %d)",
                        c.txFrames() / ((t1 - t0) / 1e9) / 1e6, c.txSyscalls(), c.txDroppedFull(),
                        c.txDroppedError(), c.lastTxErrno());
            }
        });
        stop.set(true);
        System.out.printf("%-36s %d-byte frames: %s; %s%n", label, frameBytes, tx, rx.get(10, TimeUnit.SECONDS));
    }
}
