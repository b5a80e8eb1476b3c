package io.jlvs.netio.ring;

import static io.jlvs.netio.sys.IfPacket.SOL_PACKET;

import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.IfPacket;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.PacketSyscalls;
import io.jlvs.netio.sys.Poll;
import io.jlvs.netio.sys.Socket;
import io.jlvs.netio.sys.VirtioNet;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * One AF_PACKET socket bound to one interface, with an RX ring (TPACKET_V2 by default, TPACKET_V3 as an option)
 * and batched transmit: the data plane's frame I/O. Owned by one thread (its duty cycle calls {@link #receive},
 * {@link #send}, {@link #flush}, {@link #pollIn}); {@link #open} and {@link #close} may run on another thread
 * before and after.
 *
 * <h2>Receive</h2>
 * {@link #receive} walks the frames the kernel has handed over, hands each to an {@link RxHandler} straight
 * from the ring (no copy), then {@link #flush() flushes} the transmit batch, and only then hands the walked
 * frames (V2) or blocks (V3) back to the kernel: a handler may rewrite a frame in place and {@link #send} it
 * from ring memory.
 * A thread that forwards between interfaces uses the two halves instead: {@link #walk} on each ring, then
 * {@link #flush()} on every ring it sent on, then {@link #release()} on each ring it walked.
 * With {@link RxVersion#V2} (the default) the kernel hands every frame over as soon as it is copied; with
 * {@link RxVersion#V3} it hands a block over when it is full or after {@link Options#retireTimeoutMs()} (rounded
 * up to a jiffy: 4 ms at HZ=250), which at low rates is the receive latency (docs/packet-ring.md).
 * Frames arrive with a virtio-net header (offload facts: GSO super-frames up to 64 KiB, partial checksums) in
 * {@link RxMeta#vnet()}; a VLAN tag the kernel took out is put back into the frame.
 *
 * <h2>Transmit</h2>
 * {@link #send} queues a frame, {@link #flush} sends the queue, non-blocking, counting rather than throwing
 * errors. With {@link TxMode#SENDMMSG} (the default) the queued iovecs point at the caller's memory, which must
 * stay unchanged until the flush; with {@link TxMode#TX_RING} send copies into a TPACKET TX ring.
 *
 * <h2>Network namespaces</h2>
 * The socket lives in the network namespace of the thread that calls {@link #open}: a thread moved with
 * {@link io.jlvs.netio.Netns#enter} opens rings on that namespace's interfaces.
 *
 * <p>Socket setup, in this order (each refused option names itself in the exception): {@code socket(AF_PACKET,
 * SOCK_RAW, 0)} (protocol 0: no frame is queued before the ring exists), PACKET_VERSION (V2 or V3),
 * PACKET_VNET_HDR, PACKET_RESERVE, PACKET_IGNORE_OUTGOING, PACKET_QDISC_BYPASS, PACKET_LOSS (TX ring),
 * PACKET_RX_RING, PACKET_TX_RING, one {@code mmap} of both rings, {@code bind} to the interface with
 * {@code htons(ETH_P_ALL)}, PACKET_FANOUT.
 */
public final class PacketRing implements AutoCloseable {

    /** How a fanout group spreads frames over its sockets ({@code PACKET_FANOUT_*}). */
    public enum FanoutMode {
        /** By flow hash: both directions of a flow on one socket (the default). */
        HASH(IfPacket.PACKET_FANOUT_HASH),
        /** Round robin. */
        LB(IfPacket.PACKET_FANOUT_LB),
        /** By the CPU the frame arrived on. */
        CPU(IfPacket.PACKET_FANOUT_CPU),
        /** To the first socket with room. */
        ROLLOVER(IfPacket.PACKET_FANOUT_ROLLOVER),
        /** At random. */
        RND(IfPacket.PACKET_FANOUT_RND),
        /** By the device's RX queue. */
        QM(IfPacket.PACKET_FANOUT_QM);

        final int code;

        FanoutMode(int code) {
            this.code = code;
        }
    }

    /**
     * How frames are transmitted. On veth the TX ring measured faster than sendmmsg (docs/packet-ring.md) and it
     * copies at {@link #send}, so the caller's memory is free at once (the contract of jlvs-core's TxPort);
     * sendmmsg needs no ring memory and reads the caller's bytes at {@link #flush()}.
     */
    public enum TxMode {
        /** {@code sendmmsg(2)} of a batch of iovecs pointing at the caller's memory (no ring). */
        SENDMMSG,
        /** A TPACKET TX ring: send copies into a slot, flush is one {@code send} kick. */
        TX_RING
    }

    /**
     * How the RX ring hands frames over ({@code PACKET_VERSION}; the TX ring, if any, uses the same version).
     */
    public enum RxVersion {
        /**
         * TPACKET_V2: fixed-size frame slots, each handed over the moment the kernel has copied it (one wake-up per
         * frame): no added latency. Costs a whole slot (68 KiB by default, to hold a GSO super-frame) per frame,
         * so the ring holds {@link Options#rxRingFrames()} frames whatever their size. The default.
         */
        V2(IfPacket.TPACKET_V2),
        /**
         * TPACKET_V3: frames packed into blocks, a block handed over when full or after
         * {@link Options#retireTimeoutMs()} rounded up to a jiffy (4 ms at HZ=250): dense and cheap per frame at
         * high rates, but at low rates that timeout is the receive latency.
         */
        V3(IfPacket.TPACKET_V3);

        final int code;

        RxVersion(int code) {
            this.code = code;
        }
    }

    /**
     * Ring settings, validated when built ({@link IllegalArgumentException} naming the setting and the range).
     *
     * @param vnetHdr              PACKET_VNET_HDR: frames carry a virtio-net header (GSO super-frames, partial
     *                             checksums) in both directions
     * @param reserveBytes         PACKET_RESERVE: extra headroom before each received frame, for encapsulation
     *                             prepended in place (0..4096)
     * @param ignoreOutgoing       PACKET_IGNORE_OUTGOING: never see frames sent on the interface (ours or the
     *                             host's)
     * @param qdiscBypass          PACKET_QDISC_BYPASS: transmit straight to the driver, skipping the qdisc
     * @param rxVersion            how received frames are handed over: {@link RxVersion#V2} per frame (the
     *                             default), {@link RxVersion#V3} per block
     * @param rxFrameSizeBytes     V2 frame slot size: a multiple of 16 up to 1 MiB, at least
     *                             {@link #minRxFrameSizeBytes} (the slot header, the headroom and a 64 KiB GSO
     *                             super-frame: 65760 with the default reserve); checked when rxVersion is V2
     * @param rxFrameCount         V2 frame slots, 1..262144, rounded up to whole blocks ({@link #rxRingFrames()});
     *                             the ring (at most 1 GiB) holds that many frames whatever their size
     * @param blockSizeBytes       V3 RX block size: a power of two, 128 KiB..64 MiB (a 64 KiB GSO super-frame and
     *                             its headers must fit one block)
     * @param blockCount           V3 RX blocks, 2..4096 (ring size = blockSizeBytes * blockCount, at most 1 GiB)
     * @param retireTimeoutMs      V3: how long the kernel keeps a partly filled block before handing it over
     *                             (0: the kernel derives it from the link speed), 0..1000; rounded up to jiffies
     * @param fanoutGroup          PACKET_FANOUT group id (0..65535) shared by the sockets that split an
     *                             interface's traffic, or -1 for none
     * @param fanoutMode           how the group splits it
     * @param txMode               transmit path
     * @param txBatch              frames per flush before {@link #send} flushes by itself (SENDMMSG), 1..1024
     * @param txRingFrameSizeBytes TX ring slot size (TX_RING): a multiple of the page size, 4 KiB..1 MiB; the
     *                             default holds a 64 KiB super-frame
     * @param txRingFrames         TX ring slots (TX_RING), 1..65536
     */
    public record Options(boolean vnetHdr, int reserveBytes, boolean ignoreOutgoing, boolean qdiscBypass,
                          RxVersion rxVersion, int rxFrameSizeBytes, int rxFrameCount,
                          int blockSizeBytes, int blockCount, int retireTimeoutMs, int fanoutGroup,
                          FanoutMode fanoutMode, TxMode txMode, int txBatch, int txRingFrameSizeBytes,
                          int txRingFrames) {

        public static final int PAGE = 4096;
        static final int MIN_BLOCK = 128 * 1024;
        static final int MAX_BLOCK = 64 * 1024 * 1024;
        static final long MAX_RING = 1L << 30;
        /** The largest frame a V2 slot must hold: an Ethernet header with one tag left in it and a 64 KiB IP packet. */
        public static final int MAX_RX_FRAME_BYTES = 14 + 4 + 65535;
        static final int MAX_FRAME = 1 << 20;
        static final int MAX_FRAME_BLOCK = 4 << 20;
        static final int MAX_FRAMES = 1 << 18;

        public Options {
            if (rxVersion == null) {
                throw new IllegalArgumentException("rxVersion must not be null (V2 or V3)");
            }
            if (fanoutMode == null) {
                throw new IllegalArgumentException("fanoutMode must not be null");
            }
            if (txMode == null) {
                throw new IllegalArgumentException("txMode must not be null");
            }
            range("reserveBytes", reserveBytes, 0, 4096);
            if (rxFrameSizeBytes % IfPacket.TPACKET_ALIGNMENT != 0 || rxFrameSizeBytes <= 0
                    || rxFrameSizeBytes > MAX_FRAME) {
                throw new IllegalArgumentException("rxFrameSizeBytes must be a multiple of "
                        + IfPacket.TPACKET_ALIGNMENT + " (TPACKET_ALIGNMENT) up to " + MAX_FRAME + "; got "
                        + rxFrameSizeBytes);
            }
            range("rxFrameCount", rxFrameCount, 1, MAX_FRAMES);
            if (rxVersion == RxVersion.V2) {
                int min = minRxFrameSizeBytes(reserveBytes, vnetHdr);
                if (rxFrameSizeBytes < min) {
                    throw new IllegalArgumentException("rxFrameSizeBytes must be at least " + min
                            + " with reserveBytes " + reserveBytes + (vnetHdr ? " and a virtio-net header" : "")
                            + " (slot header, headroom and a 64 KiB GSO super-frame must fit one V2 frame); got "
                            + rxFrameSizeBytes);
                }
                long bytes = (long) frameBlockSize(rxFrameSizeBytes)
                        * frameBlocks(rxFrameSizeBytes, rxFrameCount);
                if (bytes > MAX_RING) {
                    throw new IllegalArgumentException("the V2 ring of " + rxFrameCount + " frames of "
                            + rxFrameSizeBytes + " bytes would take " + bytes + " bytes; at most 1 GiB");
                }
            }
            if (Integer.bitCount(blockSizeBytes) != 1 || blockSizeBytes < MIN_BLOCK || blockSizeBytes > MAX_BLOCK) {
                throw new IllegalArgumentException("blockSizeBytes must be a power of two from " + MIN_BLOCK + " to "
                        + MAX_BLOCK + " (a 64 KiB GSO super-frame and its headers must fit one block); got "
                        + blockSizeBytes);
            }
            range("blockCount", blockCount, 2, 4096);
            if ((long) blockSizeBytes * blockCount > MAX_RING) {
                throw new IllegalArgumentException("blockSizeBytes * blockCount must be at most 1 GiB; got "
                        + blockSizeBytes + " * " + blockCount);
            }
            range("retireTimeoutMs", retireTimeoutMs, 0, 1000);
            if (fanoutGroup != -1) {
                range("fanoutGroup (or -1 for no fanout)", fanoutGroup, 0, 0xFFFF);
            }
            range("txBatch", txBatch, 1, 1024);
            if (txRingFrameSizeBytes % PAGE != 0 || txRingFrameSizeBytes < PAGE || txRingFrameSizeBytes > 1 << 20) {
                throw new IllegalArgumentException("txRingFrameSizeBytes must be a multiple of " + PAGE
                        + " from " + PAGE + " to " + (1 << 20) + "; got " + txRingFrameSizeBytes);
            }
            range("txRingFrames", txRingFrames, 1, 65536);
            if (txMode == TxMode.TX_RING && (long) txRingFrameSizeBytes * txRingFrames > MAX_RING) {
                throw new IllegalArgumentException("txRingFrameSizeBytes * txRingFrames must be at most 1 GiB; got "
                        + txRingFrameSizeBytes + " * " + txRingFrames);
            }
        }

        /**
         * Virtio-net header on, 128 bytes reserve, outgoing frames ignored, qdisc kept; RX TPACKET_V2 with 256
         * frames of 68 KiB (270 in 18 blocks of 1 MiB); if V3 is chosen: 16 blocks of 1 MiB, 1 ms retire
         * timeout; no fanout, sendmmsg in batches of 64 (TX ring if chosen: 128 slots of 68 KiB).
         */
        public static Options defaults() {
            return new Options(true, 128, true, false, RxVersion.V2, 17 * PAGE, 256, 1 << 20, 16, 1, -1,
                    FanoutMode.HASH, TxMode.SENDMMSG, 64, 17 * PAGE, 128);
        }

        public Options withVnetHdr(boolean v) {
            return new Options(v, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withReserveBytes(int v) {
            return new Options(vnetHdr, v, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withIgnoreOutgoing(boolean v) {
            return new Options(vnetHdr, reserveBytes, v, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withQdiscBypass(boolean v) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, v, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        /** Receive with TPACKET_V2 (per-frame hand-over, the default) or TPACKET_V3 (blocks). */
        public Options withRxVersion(RxVersion v) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, v, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        /** V2 frame slots: {@code count} slots of {@code sizeBytes}. */
        public Options withRxFrames(int sizeBytes, int count) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, sizeBytes,
                    count, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        /** V3 blocks: {@code count} blocks of {@code sizeBytes}. */
        public Options withBlocks(int sizeBytes, int count) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, sizeBytes, count, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withRetireTimeoutMs(int v) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, v, fanoutGroup, fanoutMode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withFanout(int group, FanoutMode mode) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, group, mode, txMode,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withTxMode(TxMode v) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, v,
                    txBatch, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withTxBatch(int v) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    v, txRingFrameSizeBytes, txRingFrames);
        }

        public Options withTxRing(int frameSizeBytes, int frames) {
            return new Options(vnetHdr, reserveBytes, ignoreOutgoing, qdiscBypass, rxVersion, rxFrameSizeBytes,
                    rxFrameCount, blockSizeBytes, blockCount, retireTimeoutMs, fanoutGroup, fanoutMode, txMode,
                    txBatch, frameSizeBytes, frames);
        }

        /** Bytes of the virtio-net header before each frame: 10 or 0. */
        public int vnetHdrBytes() {
            return vnetHdr ? VirtioNet.HDR_SIZE : 0;
        }

        /**
         * Headroom before every received Ethernet header that a handler may write into (the kernel's alignment
         * slack, the reserve and the already parsed virtio-net header): 152 with the defaults (V2 and V3 alike).
         */
        public int rxHeadroomBytes() {
            long hdrLen = rxVersion == RxVersion.V2 ? IfPacket.TPACKET2_HDRLEN : IfPacket.TPACKET3_HDRLEN;
            return (int) (IfPacket.rxMacOffset(hdrLen, 14, reserveBytes, vnetHdrBytes()) - hdrLen);
        }

        /**
         * The smallest V2 frame slot that holds a 64 KiB GSO super-frame ({@link #MAX_RX_FRAME_BYTES}) after the
         * slot header and the headroom the kernel leaves with this reserve and virtio-net header.
         */
        public static int minRxFrameSizeBytes(int reserveBytes, boolean vnetHdr) {
            long mac = IfPacket.rxMacOffset(IfPacket.TPACKET2_HDRLEN, 14, reserveBytes,
                    vnetHdr ? VirtioNet.HDR_SIZE : 0);
            return (int) IfPacket.tpacketAlign(mac + MAX_RX_FRAME_BYTES);
        }

        /**
         * V2 block size (tp_block_size): a power of two (the kernel allocates every block as 2^order pages, so a
         * block of 68 KiB would cost 128 KiB) holding whole frames with at most 1/16 of it unused, up to 4 MiB:
         * 1 MiB (15 frames) for 68 KiB frames.
         */
        public int rxFrameBlockSizeBytes() {
            return frameBlockSize(rxFrameSizeBytes);
        }

        /** V2 blocks (tp_block_nr): enough for {@link #rxFrameCount()} frames. */
        public int rxFrameBlocks() {
            return frameBlocks(rxFrameSizeBytes, rxFrameCount);
        }

        /** V2 frames in the ring (tp_frame_nr): {@link #rxFrameCount()} rounded up to whole blocks. */
        public int rxRingFrames() {
            return rxFrameBlocks() * (rxFrameBlockSizeBytes() / rxFrameSizeBytes);
        }

        /** Bytes of the RX ring mapping for the chosen version. */
        public long rxRingBytes() {
            return rxVersion == RxVersion.V2 ? (long) rxFrameBlockSizeBytes() * rxFrameBlocks()
                    : (long) blockSizeBytes * blockCount;
        }

        static int frameBlockSize(int frameSize) {
            int b = Math.max(PAGE, Integer.highestOneBit(frameSize - 1) << 1);
            while (b < MAX_FRAME_BLOCK && b % frameSize > b / 16) {
                b <<= 1;
            }
            return b;
        }

        static int frameBlocks(int frameSize, int frames) {
            int perBlock = frameBlockSize(frameSize) / frameSize;
            return (frames + perBlock - 1) / perBlock;
        }

        private static void range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + "; got " + v);
            }
        }
    }

    private static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long POLL_EVENTS = Poll.POLLFD.byteOffset(PathElement.groupElement("events"));
    private static final long POLL_REVENTS = Poll.POLLFD.byteOffset(PathElement.groupElement("revents"));
    private static final Optional<String> CAUSE = probe();

    private final int fd;
    private final int ifIndex;
    private final Options options;
    private final Arena arena;
    private final MemorySegment map;
    private final Rx rx;
    private final Tx tx;
    private final RingCounters counters;
    private final MemorySegment pollfd;
    private final MemorySegment stats;
    private final MemorySegment statsLen;
    private boolean closed;

    private PacketRing(int fd, int ifIndex, Options options, Arena arena, MemorySegment map, long rxBytes) {
        this.fd = fd;
        this.ifIndex = ifIndex;
        this.options = options;
        this.arena = arena;
        this.map = map;
        this.counters = new RingCounters();
        this.rx = options.rxVersion() == RxVersion.V2
                ? new RxFrameRing(map, 0, options.rxFrameBlockSizeBytes(), options.rxFrameBlocks(),
                        options.rxFrameSizeBytes(), options.vnetHdrBytes(), new RxMeta(), counters)
                : new RxRing(map, 0, options.blockSizeBytes(), options.blockCount(), options.vnetHdrBytes(),
                        new RxMeta(), counters);
        this.tx = options.txMode() == TxMode.TX_RING
                ? new TxRing(fd, map, rxBytes, options.txRingFrameSizeBytes(), options.txRingFrames(),
                        options.vnetHdrBytes(), options.rxVersion().code, counters)
                : new TxBatch(fd, arena, options.txBatch(), options.vnetHdrBytes(), counters);
        this.pollfd = arena.allocate(Poll.POLLFD);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, POLL_EVENTS, Poll.POLLIN);
        this.stats = arena.allocate(IfPacket.TPACKET_STATS_V3);
        this.statsLen = arena.allocate(ValueLayout.JAVA_INT);
    }

    /** Whether AF_PACKET rings can be opened here (probed once: netio available, AF_PACKET, CAP_NET_RAW). */
    public static boolean isAvailable() {
        return CAUSE.isEmpty();
    }

    /** Why not, with what to do about it; empty when available. */
    public static Optional<String> unavailabilityCause() {
        return CAUSE;
    }

    /**
     * Opens a ring on interface {@code ifIndex} of the calling thread's network namespace.
     *
     * @throws ErrnoException naming the refused call or option (ENODEV: no such interface here; EPERM: no
     *                        CAP_NET_RAW; ENOMEM: ring too large)
     */
    public static PacketRing open(int ifIndex, Options o) throws IOException {
        NetioAvailability.ensureAvailable();
        if (ifIndex <= 0) {
            throw new IllegalArgumentException("ifIndex must be positive; got " + ifIndex);
        }
        int fd = Libc.socket(IfPacket.AF_PACKET, IfPacket.SOCK_RAW | Socket.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = -fd;
            if (errno == Errno.EPERM || errno == Errno.EACCES) {
                throw new ErrnoException("socket(AF_PACKET)", errno,
                        "packet sockets need root or CAP_NET_RAW");
            }
            throw new ErrnoException("socket(AF_PACKET)", errno);
        }
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try (Arena setup = Arena.ofConfined()) {
            String on = "(ifindex " + ifIndex + ")";
            boolean v2 = o.rxVersion() == RxVersion.V2;
            setInt(setup, fd, IfPacket.PACKET_VERSION, o.rxVersion().code,
                    "PACKET_VERSION=TPACKET_" + o.rxVersion() + on);
            if (o.vnetHdr()) {
                setInt(setup, fd, IfPacket.PACKET_VNET_HDR, 1, "PACKET_VNET_HDR" + on);
            }
            setInt(setup, fd, IfPacket.PACKET_RESERVE, o.reserveBytes(), "PACKET_RESERVE" + on);
            if (o.ignoreOutgoing()) {
                setInt(setup, fd, IfPacket.PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING" + on);
            }
            if (o.qdiscBypass()) {
                setInt(setup, fd, IfPacket.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS" + on);
            }
            boolean txRing = o.txMode() == TxMode.TX_RING;
            if (txRing) {
                setInt(setup, fd, IfPacket.PACKET_LOSS, 1, "PACKET_LOSS" + on);
            }
            long rxBytes = o.rxRingBytes();
            if (v2) {
                setRing2(setup, fd, IfPacket.PACKET_RX_RING, o.rxFrameBlockSizeBytes(), o.rxFrameBlocks(),
                        o.rxFrameSizeBytes(), o.rxRingFrames(), "PACKET_RX_RING" + on);
            } else {
                setRing(setup, fd, IfPacket.PACKET_RX_RING, o.blockSizeBytes(), o.blockCount(), o.retireTimeoutMs(),
                        "PACKET_RX_RING" + on);
            }
            long txBytes = 0;
            if (txRing) {
                txBytes = (long) o.txRingFrameSizeBytes() * o.txRingFrames();
                if (v2) {
                    setRing2(setup, fd, IfPacket.PACKET_TX_RING, o.txRingFrameSizeBytes(), o.txRingFrames(),
                            o.txRingFrameSizeBytes(), o.txRingFrames(), "PACKET_TX_RING" + on);
                } else {
                    setRing(setup, fd, IfPacket.PACKET_TX_RING, o.txRingFrameSizeBytes(), o.txRingFrames(), 0,
                            "PACKET_TX_RING" + on);
                }
            }
            long size = rxBytes + txBytes;
            long addr = PacketSyscalls.mmap(size, PacketSyscalls.PROT_READ | PacketSyscalls.PROT_WRITE,
                    PacketSyscalls.MAP_SHARED, fd, 0);
            Libc.check("mmap(" + size + " bytes of ring)" + on, addr);
            MemorySegment map = MemorySegment.ofAddress(addr)
                    .reinterpret(size, arena, s -> PacketSyscalls.munmap(s.address(), size));
            bind(setup, fd, ifIndex);
            if (o.fanoutGroup() >= 0) {
                int arg = o.fanoutGroup() | (o.fanoutMode().code << 16);
                setInt(setup, fd, IfPacket.PACKET_FANOUT, arg, "PACKET_FANOUT(group " + o.fanoutGroup() + ", "
                        + o.fanoutMode() + ")" + on);
            }
            PacketRing ring = new PacketRing(fd, ifIndex, o, arena, map, rxBytes);
            ok = true;
            return ring;
        } finally {
            if (!ok) {
                arena.close();
                Libc.close(fd);
            }
        }
    }

    private static void setInt(Arena arena, int fd, int option, int value, String what) throws ErrnoException {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        Libc.check("setsockopt(" + what + ")", Libc.setsockopt(fd, SOL_PACKET, option, v, 4));
    }

    private static void setRing(Arena arena, int fd, int option, int blockSize, int blocks, int retireMs,
                                String what) throws ErrnoException {
        MemorySegment req = arena.allocate(IfPacket.TPACKET_REQ3);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_BLOCK_SIZE, blockSize);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_BLOCK_NR, blocks);
        // one "frame" per block: V3 RX frames are variable-sized, TX slots are a block each
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_FRAME_SIZE, blockSize);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_FRAME_NR, blocks);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_RETIRE_BLK_TOV, retireMs);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_SIZEOF_PRIV, 0);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ3_FEATURE_REQ_WORD, 0);
        int res = Libc.setsockopt(fd, SOL_PACKET, option, req, (int) IfPacket.TPACKET_REQ3.byteSize());
        if (res == -Errno.ENOMEM) {
            throw new ErrnoException("setsockopt(" + what + ")", Errno.ENOMEM,
                    "the kernel could not allocate " + blocks + " blocks of " + blockSize + " bytes");
        }
        Libc.check("setsockopt(" + what + ")", res);
    }

    /** A TPACKET_V2 ring: {@code blocks} blocks of {@code blockSize}, {@code frames} slots of {@code frameSize}. */
    private static void setRing2(Arena arena, int fd, int option, int blockSize, int blocks, int frameSize, int frames,
                                 String what) throws ErrnoException {
        MemorySegment req = arena.allocate(IfPacket.TPACKET_REQ);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ_BLOCK_SIZE, blockSize);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ_BLOCK_NR, blocks);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ_FRAME_SIZE, frameSize);
        req.set(ValueLayout.JAVA_INT, IfPacket.REQ_FRAME_NR, frames);
        int res = Libc.setsockopt(fd, SOL_PACKET, option, req, (int) IfPacket.TPACKET_REQ.byteSize());
        if (res == -Errno.ENOMEM) {
            throw new ErrnoException("setsockopt(" + what + ")", Errno.ENOMEM,
                    "the kernel could not allocate " + blocks + " blocks of " + blockSize + " bytes");
        }
        Libc.check("setsockopt(" + what + ", " + frames + " frames of " + frameSize + " bytes in " + blocks
                + " blocks of " + blockSize + ")", res);
    }

    private static void bind(Arena arena, int fd, int ifIndex) throws ErrnoException {
        MemorySegment sll = arena.allocate(IfPacket.SOCKADDR_LL);
        sll.set(ValueLayout.JAVA_SHORT, IfPacket.SLL_FAMILY, (short) IfPacket.AF_PACKET);
        sll.set(U16_BE, IfPacket.SLL_PROTOCOL, (short) IfPacket.ETH_P_ALL);
        sll.set(ValueLayout.JAVA_INT, IfPacket.SLL_IFINDEX, ifIndex);
        int res = Libc.bind(fd, sll, (int) IfPacket.SOCKADDR_LL.byteSize());
        if (res == -Errno.ENODEV) {
            throw new ErrnoException("bind(AF_PACKET, ifindex " + ifIndex + ")", Errno.ENODEV,
                    "no interface with index " + ifIndex + " in this thread's network namespace");
        }
        Libc.check("bind(AF_PACKET, ifindex " + ifIndex + ")", res);
    }

    /**
     * Hands up to {@code budget} received frames to {@code h}, then flushes the transmit queue, then gives the
     * walked frames (V2) or blocks (V3) back to the kernel (also when {@code h} throws). Returns the frames handed
     * over (0: nothing was ready). What the budget cut off is resumed by the next call.
     */
    public int receive(RxHandler h, int budget) {
        try {
            return rx.walk(h, budget);
        } finally {
            tx.flush();
            rx.releaseHeld();
        }
    }

    /**
     * The first half of {@link #receive}, for a thread that transmits on other rings too: hands up to
     * {@code budget} frames to {@code h} and keeps their frame slots (V2) or blocks (V3), and so the frames'
     * bytes, out of the kernel's hands until {@link #release()}. Flush every ring that queued frames from them
     * (with SENDMMSG the kernel reads the bytes at flush time), then call {@link #release()}; a ring whose slots
     * or blocks are all held receives nothing more (the kernel drops and counts), and {@link #pollIn} may return
     * at once while frames are held: release before parking.
     */
    public int walk(RxHandler h, int budget) {
        return rx.walk(h, budget);
    }

    /**
     * Hands the frame slots (V2, each set to TP_STATUS_KERNEL in ring order) or blocks (V3) {@link #walk} went
     * through back to the kernel (after the flushes; see there).
     */
    public void release() {
        rx.releaseHeld();
    }

    /**
     * Queues the {@code len} bytes at {@code off} of {@code seg} (an Ethernet frame in native memory) for
     * transmission on this ring's interface, with offload header {@code hdr} ({@code null}: none; ignored when
     * the ring has no virtio-net header). With SENDMMSG the bytes are read at {@link #flush()} time; a full batch
     * flushes first. Returns false (and counts it) when the frame is refused: empty, over 256 KiB or the TX ring
     * slot size, outside {@code seg}, or (TX ring) no free slot.
     */
    public boolean send(MemorySegment seg, long off, int len, VnetHdr hdr) {
        return tx.send(seg, off, len, hdr);
    }

    /** {@link #send(MemorySegment, long, int, VnetHdr)} without an offload header. */
    public boolean send(MemorySegment seg, long off, int len) {
        return tx.send(seg, off, len, null);
    }

    /**
     * Sends what is queued, without blocking; returns the frames the kernel took. A full device queue
     * (EAGAIN/ENOBUFS) drops the rest of the batch; another errno drops the frame the kernel refused; both are
     * counted ({@link RingCounters#txDroppedFull()}, {@link RingCounters#txDroppedError()}), never thrown.
     */
    public int flush() {
        return tx.flush();
    }

    /** Frames queued since the last flush. */
    public int txPending() {
        return tx.pending();
    }

    /**
     * Waits up to {@code timeoutMs} (-1: forever, 0: don't) for a received frame (V2) or block (V3); returns 1
     * when one is ready, 0 on timeout or signal, or the negated errno. For an idle duty cycle to park on, after
     * {@link #release()}: the kernel reports POLLIN while the slot or block it filled last is not back in its
     * hands.
     */
    /** Whether a received frame (V2) or block (V3) waits to be walked: no system call. */
    public boolean rxReady() {
        return rx.ready();
    }

    public int pollIn(int timeoutMs) {
        if (rx.ready()) {
            return 1;
        }
        pollfd.set(ValueLayout.JAVA_SHORT, POLL_REVENTS, (short) 0);
        int r = Libc.poll(pollfd, 1, timeoutMs);
        if (r == -Errno.EINTR) {
            return 0;
        }
        return r > 0 ? 1 : r;
    }

    /**
     * Reads PACKET_STATISTICS (which the kernel clears on read; {@code tpacket_stats} under V2, without a freeze
     * count, {@code tpacket_stats_v3} under V3) into the counters' kernel totals. A system call:
     * call it from the duty cycle now and then (e.g. once a second), not per frame.
     */
    public void pollStatistics() {
        statsLen.set(ValueLayout.JAVA_INT, 0, (int) IfPacket.TPACKET_STATS_V3.byteSize());
        if (Libc.getsockopt(fd, SOL_PACKET, IfPacket.PACKET_STATISTICS, stats, statsLen) == 0) {
            counters.kernelPackets += stats.get(ValueLayout.JAVA_INT, IfPacket.STATS_TP_PACKETS) & 0xFFFFFFFFL;
            counters.kernelDrops += stats.get(ValueLayout.JAVA_INT, IfPacket.STATS_TP_DROPS) & 0xFFFFFFFFL;
            counters.kernelFreezes += stats.get(ValueLayout.JAVA_INT, IfPacket.STATS_TP_FREEZE_Q_CNT) & 0xFFFFFFFFL;
        }
    }

    public RingCounters counters() {
        return counters;
    }

    public int ifIndex() {
        return ifIndex;
    }

    public Options options() {
        return options;
    }

    /** The socket descriptor (for an epoll set); owned by the ring. */
    public int fd() {
        return fd;
    }

    /** Unmaps the rings and closes the socket; idempotent. Call when no thread is inside the ring. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            arena.close();
        } finally {
            Libc.close(fd);
        }
    }

    private static Optional<String> probe() {
        Optional<String> netio = NetioAvailability.unavailabilityCause();
        if (netio.isPresent()) {
            return netio;
        }
        try {
            int fd = Libc.socket(IfPacket.AF_PACKET, IfPacket.SOCK_RAW | Socket.SOCK_CLOEXEC, 0);
            if (fd >= 0) {
                Libc.close(fd);
                return Optional.empty();
            }
            int errno = -fd;
            if (errno == Errno.EPERM || errno == Errno.EACCES) {
                return Optional.of("AF_PACKET sockets need root or CAP_NET_RAW (uid " + Libc.geteuid()
                        + " has neither): run jlvsd as root or grant it cap_net_raw");
            }
            if (errno == Errno.EAFNOSUPPORT) {
                return Optional.of("this kernel has no AF_PACKET sockets (CONFIG_PACKET)");
            }
            return Optional.of("socket(AF_PACKET) failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        } catch (Throwable t) {
            return Optional.of("AF_PACKET probe failed: " + t);
        }
    }
}
