package io.jlvs.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One packet-in / packet-out case of the data path (Katran's {@code PacketAttributes} in
 * {@code katran/lib/testing/tools/PacketAttributes.h}): a description, the input frame, the verdict expected,
 * and the frames expected on the transmit port and on the local-stack port, each built from scratch with
 * {@link PacketBuilder}. A runner (in the module that owns the code under test) feeds the input and hands what
 * came out to {@link #check}, which compares octet for octet and re-verifies every checksum of every output
 * frame with {@link Checksum#verify(byte[], int...)}.
 *
 * <pre>{@code
 * vector("TCP SYN to VIP: DNAT to rs1, IP and TCP checksums fixed")
 *     .in(eth(CLIENT_MAC, DIRECTOR_MAC).ipv4("198.51.100.7", "192.0.2.10").tcp(40000, 80).syn())
 *     .expect(Verdict.TX)
 *     .out(eth(DIRECTOR_MAC, RS1_MAC).ipv4("198.51.100.7", "203.0.113.11").ttl(63).tcp(40000, 8080).syn());
 * }</pre>
 *
 * The verdict is an int with the code under test's meaning, named by the runner.
 */
public final class Vector {
    private final String description;
    private byte[] input;
    private int csumStart = -1, csumOffset;
    private boolean csumCrc32c;
    private int[] vnet;
    private boolean txOffload;
    private int verdict;
    private final List<byte[]> tx = new ArrayList<>();
    private final List<int[]> txOffloads = new ArrayList<>();
    private final List<byte[]> local = new ArrayList<>();
    private int[] guePorts = new int[0];

    private Vector(String description) { this.description = description; }

    public static Vector vector(String description) { return new Vector(description); }

    public Vector in(PacketBuilder frame) { return in(frame.build()); }

    public Vector in(byte[] frame) { input = frame.clone(); return this; }

    /**
     * Marks the input's L4 checksum partial ({@code CHECKSUM_PARTIAL}), as a receive ring reports it:
     * checksumming starts {@code csumStart} octets into the frame, the field is {@code csumOffset} past that.
     */
    public Vector partial(int csumStart, int csumOffset, boolean crc32c) {
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
        this.csumCrc32c = crc32c;
        return this;
    }

    /**
     * The virtio-net header the input came with ({@code PACKET_VNET_HDR}), its fields as the kernel writes them:
     * {@code flags} (1 NEEDS_CSUM, 2 DATA_VALID), {@code gsoType} (0 none, 1 TCPv4, 4 TCPv6, 5 UDP_L4, | 0x80
     * ECN), {@code gsoSize}, {@code csumStart} (from the Ethernet header), {@code csumOffset}.
     */
    public Vector vnet(int flags, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        vnet = new int[] {flags, gsoType, gsoSize, csumStart, csumOffset};
        return this;
    }

    /** The transmit port takes virtio-net headers: offloads may leave as they are. */
    public Vector txOffload() { txOffload = true; return this; }

    public Vector expect(int verdict) { this.verdict = verdict; return this; }

    /** Frames expected on the transmit port, in order. */
    public Vector out(PacketBuilder... frames) {
        for (PacketBuilder b : frames) out(b.build());
        return this;
    }

    public Vector out(byte[] frame) {
        tx.add(frame.clone());
        txOffloads.add(null);
        return this;
    }

    /** Frames expected on the transmit port, in order, each sent without a virtio-net header (or a zeroed one). */
    public Vector out(List<byte[]> frames) {
        for (byte[] f : frames) out(f);
        return this;
    }

    /**
     * A frame expected on the transmit port with a virtio-net header: {@code flags}, {@code gsoType},
     * {@code hdrLen}, {@code gsoSize}, {@code csumStart}, {@code csumOffset} as the port is to send them. Its
     * checksums are verified as the receiver of the header would see them: the partial one completed, a
     * super-frame cut into its segments ({@link Gso#segment}).
     */
    public Vector outOffload(PacketBuilder frame, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        tx.add(frame.build());
        txOffloads.add(new int[] {flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset});
        return this;
    }

    /** A frame expected on the local-stack port. */
    public Vector local(PacketBuilder frame) { local.add(frame.build()); return this; }

    public Vector local(byte[] frame) { local.add(frame.clone()); return this; }

    /** Frames expected on the local-stack port, in order. */
    public Vector local(List<byte[]> frames) {
        for (byte[] f : frames) local(f);
        return this;
    }

    /** UDP ports the checksum oracle should follow into GUE. */
    public Vector gue(int... ports) { guePorts = ports.clone(); return this; }

    public String description() { return description; }

    public byte[] input() { return input.clone(); }

    public int csumStart() { return csumStart; }

    public int csumOffset() { return csumOffset; }

    public boolean csumCrc32c() { return csumCrc32c; }

    /** The input's virtio-net header {@code {flags, gsoType, gsoSize, csumStart, csumOffset}}, or null. */
    public int[] vnet() { return vnet == null ? null : vnet.clone(); }

    public boolean isTxOffload() { return txOffload; }

    public int verdict() { return verdict; }

    public List<byte[]> tx() { return tx; }

    public List<byte[]> local() { return local; }

    @Override
    public String toString() { return description; }

    /**
     * Compares what the code under test did with what this vector expects: the verdict, the number of frames
     * on each port, every frame octet for octet; and verifies every checksum of every frame that came out.
     *
     * @param verdictName names a verdict for the messages
     * @return one line per problem; empty when the vector passes
     */
    public List<String> check(int actualVerdict, List<byte[]> actualTx, List<byte[]> actualLocal,
                              java.util.function.IntFunction<String> verdictName) {
        return check(actualVerdict, actualTx, null, actualLocal, verdictName);
    }

    /**
     * {@link #check(int, List, List, java.util.function.IntFunction)} with the virtio-net header each transmitted
     * frame was sent with ({@code {flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset}}, null for none; a
     * null list for a port that sends none): compared with the expected ones, and the frames' checksums verified
     * as the receiver of the header sees them ({@link Gso#verify}).
     */
    public List<String> check(int actualVerdict, List<byte[]> actualTx, List<int[]> actualTxOffloads, List<byte[]> actualLocal,
                              java.util.function.IntFunction<String> verdictName) {
        List<String> problems = new ArrayList<>();
        if (actualVerdict != verdict) {
            problems.add("verdict " + verdictName.apply(actualVerdict) + ", expected " + verdictName.apply(verdict));
        }
        compare("tx", tx, actualTx, problems);
        compare("local", local, actualLocal, problems);
        for (int i = 0; i < Math.min(tx.size(), actualTx.size()); i++) {
            int[] e = txOffloads.get(i), a = actualTxOffloads == null ? null : actualTxOffloads.get(i);
            if (!Arrays.equals(e, a)) {
                problems.add("tx[" + i + "]: virtio-net header " + Gso.describe(a) + ", expected " + Gso.describe(e));
            }
        }
        for (int i = 0; i < actualTx.size(); i++) {
            int[] meta = actualTxOffloads == null ? null : actualTxOffloads.get(i);
            List<String> found = meta == null ? Checksum.verify(actualTx.get(i), guePorts) : Gso.verify(actualTx.get(i), meta);
            for (String p : found) problems.add("tx[" + i + "]: " + p);
        }
        for (int i = 0; i < actualLocal.size(); i++) {
            for (String p : Checksum.verify(actualLocal.get(i), guePorts)) problems.add("local[" + i + "]: " + p);
        }
        return problems;
    }

    private static void compare(String port, List<byte[]> expected, List<byte[]> actual, List<String> problems) {
        if (expected.size() != actual.size()) {
            problems.add(port + ": " + actual.size() + " frames, expected " + expected.size());
        }
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            byte[] e = expected.get(i), a = actual.get(i);
            if (Arrays.equals(e, a)) continue;
            int at = Arrays.mismatch(e, a);
            problems.add(String.format("%s[%d]: differs from octet %d (%d octets, expected %d)%n  expected %s%n  actual   %s",
                    port, i, at, a.length, e.length, hex(e), hex(a)));
        }
    }

    /** Lowercase hex, an octet at a time, a space every 16 octets. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2 + b.length / 16);
        for (int i = 0; i < b.length; i++) {
            if (i > 0 && i % 16 == 0) sb.append(' ');
            sb.append(Character.forDigit((b[i] >>> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
