package io.jlvs.xmit;

import io.jlvs.decap.DecapDrop;
import io.jlvs.decap.Decapsulator;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the director emits is exactly what {@code jlvs decap} accepts: every case of {@link TunnelXmitVectors}
 * that transmits (IPIP 4in4/6in6/4in6/6in4 for TCP, UDP and SCTP; GUE with --tun-nocsum, --tun-csum and
 * --tun-remcsum; GRE with and without checksum; outer header rules; VLANs; partial checksums; outer fragments)
 * is run through the real {@link TunnelXmit}, each frame it sends is turned into what the real server's socket
 * would receive (outer IPv4: the whole packet, reassembled, on a raw socket; outer IPv6: the payload after the
 * header on the raw socket of its next header; GUE: the UDP payload), and {@link Decapsulator} must hand back
 * the client's packet with only its TTL or hop limit decremented and every checksum complete and right.
 */
class TunnelDecapVectors {
    private static final int IPV4 = 0x0800, IPV6 = 0x86DD, UDP = 17, FRAGMENT = 44;

    record Delivery(int source, byte[] bytes) {}

    @TestFactory
    Stream<DynamicTest> everyTransmittedTunnelPacketDecapsulatesToTheClientPacket() {
        List<DynamicTest> tests = new ArrayList<>();
        for (XmitCase c : TunnelXmitVectors.cases()) {
            if (c.vector().verdict() != Verdict.TX) continue;
            tests.add(DynamicTest.dynamicTest("decap of: " + c.vector().description(), () -> roundTrip(c)));
        }
        return tests.stream();
    }

    @Test
    void theRoundTripCoversEveryTunnelKindAndBothOuterFamilies() {
        List<Integer> sources = new ArrayList<>();
        for (XmitCase c : TunnelXmitVectors.cases()) {
            if (c.vector().verdict() != Verdict.TX) continue;
            for (Delivery d : deliveries(transmit(c))) sources.add(d.source);
        }
        assertThat(sources).contains(Decapsulator.IPV4_RAW, Decapsulator.IPV6_RAW_IPIP, Decapsulator.IPV6_RAW_IPV6,
                Decapsulator.IPV6_RAW_GRE, Decapsulator.GUE);
    }

    static void roundTrip(XmitCase c) {
        List<byte[]> frames = transmit(c);
        List<Delivery> deliveries = deliveries(frames);
        assertThat(deliveries).as("one tunnel packet (fragments reassembled)").hasSize(1);
        Delivery d = deliveries.get(0);
        MemorySegment seg = MemorySegment.ofArray(d.bytes.clone());
        Decapsulator decap = new Decapsulator();
        int r = decap.decap(d.source, seg, 0, d.bytes.length);
        assertThat(r).as("decap verdict: %s", r >= 0 ? DecapDrop.of(r) : "DELIVER").isEqualTo(Decapsulator.DELIVER);
        byte[] inner = seg.asSlice(decap.innerOffset(), decap.innerLength()).toArray(ValueLayout.JAVA_BYTE);
        byte[] expected = expectedInner(c.vector());
        assertThat(HexFormat.of().formatHex(inner)).as("inner packet").isEqualTo(HexFormat.of().formatHex(expected));
        byte[] framed = new byte[14 + inner.length];
        framed[12] = (byte) (inner[0] >>> 4 == 4 ? 0x08 : 0x86);
        framed[13] = (byte) (inner[0] >>> 4 == 4 ? 0x00 : 0xDD);
        System.arraycopy(inner, 0, framed, 14, inner.length);
        assertThat(Checksum.verify(framed)).as("checksums of the inner packet").isEmpty();
    }

    /** Runs the transmitter as {@link XmitVectorRunner} does; the frames it sent. */
    static List<byte[]> transmit(XmitCase c) {
        Vector v = c.vector();
        byte[] in = v.input();
        int headroom = c.headroom();
        MemorySegment seg = MemorySegment.ofArray(new byte[headroom + in.length + c.tailroom()]);
        MemorySegment.copy(in, 0, seg, ValueLayout.JAVA_BYTE, headroom, in.length);
        Frame f = new Frame().wrap(seg, 0, seg.byteSize(), headroom, in.length);
        assertThat(f.parse(new PacketParser(), new Flow())).isEqualTo(PacketParser.OK);
        if (v.csumStart() >= 0) f.partialChecksum(headroom + v.csumStart(), v.csumOffset(), v.csumCrc32c());
        XmitEnv env = new XmitEnv();
        assertThat(c.call().run(env, f, env.tx)).isEqualTo(Verdict.TX);
        return env.tx.frames;
    }

    /** What the real server's sockets receive from these frames: the kernel reassembles outer fragments first. */
    static List<Delivery> deliveries(List<byte[]> frames) {
        List<byte[]> packets = new ArrayList<>();
        for (byte[] f : frames) packets.add(Arrays.copyOfRange(f, l3(f), f.length));
        List<byte[]> whole = new ArrayList<>();
        List<byte[]> fragments = new ArrayList<>();
        for (byte[] p : packets) (isFragment(p) ? fragments : whole).add(p);
        if (!fragments.isEmpty()) whole.add(reassemble(fragments));
        List<Delivery> out = new ArrayList<>();
        for (byte[] p : whole) out.add(socketView(p));
        return out;
    }

    static Delivery socketView(byte[] p) {
        if (p[0] >>> 4 == 4) {
            int hl = (p[0] & 0x0F) * 4;
            if ((p[9] & 0xFF) == UDP) return new Delivery(Decapsulator.GUE, Arrays.copyOfRange(p, hl + 8, u16(p, hl + 4) + hl));
            return new Delivery(Decapsulator.IPV4_RAW, p);
        }
        int next = p[6] & 0xFF;
        byte[] payload = Arrays.copyOfRange(p, 40, 40 + u16(p, 4));
        return switch (next) {
            case 4 -> new Delivery(Decapsulator.IPV6_RAW_IPIP, payload);
            case 41 -> new Delivery(Decapsulator.IPV6_RAW_IPV6, payload);
            case 47 -> new Delivery(Decapsulator.IPV6_RAW_GRE, payload);
            case UDP -> new Delivery(Decapsulator.GUE, Arrays.copyOfRange(payload, 8, u16(payload, 4)));
            default -> throw new AssertionError("outer next header " + next);
        };
    }

    static boolean isFragment(byte[] p) {
        if (p[0] >>> 4 == 4) return (u16(p, 6) & 0x3FFF) != 0;
        return (p[6] & 0xFF) == FRAGMENT;
    }

    /** Fragments of one packet, in any order, to the packet: IPv4 (RFC 791) or IPv6 with one fragment header. */
    static byte[] reassemble(List<byte[]> fragments) {
        boolean v4 = fragments.get(0)[0] >>> 4 == 4;
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(p -> v4 ? (u16(p, 6) & 0x1FFF) * 8 : u16(p, 42) & 0xFFF8));
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] p : sorted) {
            int from = v4 ? (p[0] & 0x0F) * 4 : 48;
            int to = v4 ? u16(p, 2) : 40 + u16(p, 4);
            payload.write(p, from, to - from);
        }
        byte[] first = sorted.get(0);
        byte[] body = payload.toByteArray();
        if (v4) {
            int hl = (first[0] & 0x0F) * 4;
            byte[] p = new byte[hl + body.length];
            System.arraycopy(first, 0, p, 0, hl);
            System.arraycopy(body, 0, p, hl, body.length);
            put16(p, 2, p.length);
            put16(p, 6, u16(first, 6) & 0x4000);
            put16(p, 10, 0);
            put16(p, 10, Checksum.internet(p, 0, hl));
            return p;
        }
        byte[] p = new byte[40 + body.length];
        System.arraycopy(first, 0, p, 0, 40);
        p[6] = first[40];                                          // the fragment header's next header
        put16(p, 4, body.length);
        System.arraycopy(body, 0, p, 40, body.length);
        return p;
    }

    /** The vector's input packet as the client sent it, TTL or hop limit less one, a partial checksum completed. */
    static byte[] expectedInner(Vector v) {
        byte[] in = v.input();
        int l3 = l3(in);
        byte[] p = Arrays.copyOfRange(in, l3, in.length);
        if (v.csumStart() >= 0) {
            int start = v.csumStart() - l3, field = start + v.csumOffset();
            int c = ~Checksum.sum(p, start, p.length - start, 0) & 0xFFFF;
            put16(p, field, c == 0 ? 0xFFFF : c);
        }
        if (p[0] >>> 4 == 4) {
            int hl = (p[0] & 0x0F) * 4;
            p[8]--;
            put16(p, 10, 0);
            put16(p, 10, Checksum.internet(p, 0, hl));
        } else {
            p[7]--;
        }
        return p;
    }

    /** The offset of the IP header of an Ethernet frame, past any VLAN tags. */
    static int l3(byte[] f) {
        int p = 12;
        while (u16(f, p) == 0x8100 || u16(f, p) == 0x88A8) p += 4;
        int type = u16(f, p);
        assertThat(type).isIn(IPV4, IPV6);
        return p + 2;
    }

    static int u16(byte[] b, int off) { return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF); }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
