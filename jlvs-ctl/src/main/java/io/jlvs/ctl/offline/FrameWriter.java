package io.jlvs.ctl.offline;

import io.jlvs.packet.Checksums;
import io.jlvs.packet.Crc32c;
import io.jlvs.service.IpAddr;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds the frames the simulator feeds its director: Ethernet, IPv4 (TTL 64, DF, no options) or IPv6 (hop limit
 * 64), then a TCP segment, a UDP datagram or an SCTP packet, every checksum computed (RFC 791, 9293, 768, 8200;
 * SCTP's CRC32c, RFC 9260 appendix A). The same wire layout as the test kit's packet builder, for main code.
 * Control path: each frame is a new array.
 *
 * <pre>
 *  0        6        12   14              14 + 20 (IPv4) or 14 + 40 (IPv6)
 *  | dst MAC | src MAC |type| IP header    | TCP 20 / UDP 8 / SCTP 12 + chunks | payload
 * </pre>
 */
public final class FrameWriter {
    public static final int ETH_P_IP = 0x0800, ETH_P_IPV6 = 0x86DD;
    public static final int TCP = 6, UDP = 17, SCTP = 132;
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
    // SCTP chunk types (RFC 9260 section 3.2)
    public static final int CHUNK_INIT = 1, CHUNK_INIT_ACK = 2, CHUNK_ABORT = 6, CHUNK_COOKIE_ECHO = 10,
            CHUNK_COOKIE_ACK = 11;
    private static final int ETH_HLEN = 14;

    /** Link-layer and IP ends of a frame. */
    public record Ends(long srcMac, long dstMac, IpAddr src, int srcPort, IpAddr dst, int dstPort) {
        public Ends {
            if (src.af() != dst.af()) throw new IllegalArgumentException("source and destination of different families");
        }

        /** The same ends the other way round (a reply), with {@code srcMac} and {@code dstMac} given. */
        public Ends reply(long newSrcMac, long newDstMac) {
            return new Ends(newSrcMac, newDstMac, dst, dstPort, src, srcPort);
        }
    }

    private FrameWriter() {}

    /** A TCP segment without options: data offset 5, window 65535, {@code flags} as in the header's flag byte. */
    public static byte[] tcp(Ends e, int flags, long seq, long ackSeq, byte[] payload) {
        ByteBuffer l4 = ByteBuffer.allocate(20 + payload.length).order(ByteOrder.BIG_ENDIAN);
        l4.putShort((short) e.srcPort()).putShort((short) e.dstPort()).putInt((int) seq).putInt((int) ackSeq)
          .put((byte) (5 << 4)).put((byte) flags).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0)
          .put(payload);
        return frame(e, TCP, l4.array(), 16);
    }

    /** A UDP datagram. */
    public static byte[] udp(Ends e, byte[] payload) {
        ByteBuffer l4 = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.BIG_ENDIAN);
        l4.putShort((short) e.srcPort()).putShort((short) e.dstPort()).putShort((short) (8 + payload.length))
          .putShort((short) 0).put(payload);
        return frame(e, UDP, l4.array(), 6);
    }

    /** An SCTP packet: common header with {@code verificationTag}, then {@code chunks} (each 4-aligned). */
    public static byte[] sctp(Ends e, int verificationTag, byte[] chunks) {
        ByteBuffer l4 = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.BIG_ENDIAN);
        l4.putShort((short) e.srcPort()).putShort((short) e.dstPort()).putInt(verificationTag).putInt(0).put(chunks);
        byte[] b = l4.array();
        int crc = Crc32c.sctp(MemorySegment.ofArray(b), 0, b.length);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, crc);      // stored as the CRC's octets
        return frame(e, SCTP, b, -1);
    }

    /** An INIT or INIT ACK chunk: initiate tag, a_rwnd 65536, 10 streams each way, initial TSN; no parameters. */
    public static byte[] sctpInitChunk(int type, int initiateTag, int initialTsn) {
        return ByteBuffer.allocate(20).order(ByteOrder.BIG_ENDIAN)
                .put((byte) type).put((byte) 0).putShort((short) 20)
                .putInt(initiateTag).putInt(65536).putShort((short) 10).putShort((short) 10).putInt(initialTsn)
                .array();
    }

    /** A chunk of {@code type} with {@code value}, padded to 4 octets. */
    public static byte[] sctpChunk(int type, int flags, byte[] value) {
        int len = 4 + value.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) type).put((byte) flags).putShort((short) len).put(value);
        return b.array();
    }

    /**
     * Ethernet and IP headers around {@code l4}; the internet checksum of the transport header is written at
     * {@code checksumOffset} of {@code l4} (-1: none to compute; UDP's 0 is sent as 0xFFFF).
     */
    private static byte[] frame(Ends e, int protocol, byte[] l4, int checksumOffset) {
        boolean v6 = e.src().isV6();
        int ipHeader = v6 ? 40 : 20;
        byte[] f = new byte[ETH_HLEN + ipHeader + l4.length];
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
        putMac(b, e.dstMac());
        putMac(b, e.srcMac());
        b.putShort((short) (v6 ? ETH_P_IPV6 : ETH_P_IP));
        if (v6) {
            b.putInt(6 << 28).putShort((short) l4.length).put((byte) protocol).put((byte) 64)
             .putLong(e.src().hi()).putLong(e.src().lo()).putLong(e.dst().hi()).putLong(e.dst().lo());
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 0)
             .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
             .putInt(e.src().v4()).putInt(e.dst().v4());
            int sum = Checksums.internet(MemorySegment.ofArray(f), ETH_HLEN, 20);
            b.putShort(ETH_HLEN + 10, (short) sum);
        }
        b.put(l4);
        if (checksumOffset >= 0) {
            MemorySegment seg = MemorySegment.ofArray(f);
            int off = ETH_HLEN + ipHeader;
            int sum = v6
                    ? Checksums.transport6(seg, off, l4.length, e.src().hi(), e.src().lo(), e.dst().hi(), e.dst().lo(), protocol)
                    : Checksums.transport4(seg, off, l4.length, e.src().v4(), e.dst().v4(), protocol);
            if (protocol == UDP) sum = Checksums.udpWire(sum);
            b.putShort(off + checksumOffset, (short) sum);
        }
        return f;
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int i = 5; i >= 0; i--) b.put((byte) (mac >>> (8 * i)));
    }
}
