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
    private int verdict;
    private final List<byte[]> tx = new ArrayList<>();
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

    public Vector expect(int verdict) { this.verdict = verdict; return this; }

    /** Frames expected on the transmit port, in order. */
    public Vector out(PacketBuilder... frames) {
        for (PacketBuilder b : frames) tx.add(b.build());
        return this;
    }

    public Vector out(byte[] frame) { tx.add(frame.clone()); return this; }

    /** A frame expected on the local-stack port. */
    public Vector local(PacketBuilder frame) { local.add(frame.build()); return this; }

    public Vector local(byte[] frame) { local.add(frame.clone()); return this; }

    /** UDP ports the checksum oracle should follow into GUE. */
    public Vector gue(int... ports) { guePorts = ports.clone(); return this; }

    public String description() { return description; }

    public byte[] input() { return input.clone(); }

    public int csumStart() { return csumStart; }

    public int csumOffset() { return csumOffset; }

    public boolean csumCrc32c() { return csumCrc32c; }

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
        List<String> problems = new ArrayList<>();
        if (actualVerdict != verdict) {
            problems.add("verdict " + verdictName.apply(actualVerdict) + ", expected " + verdictName.apply(verdict));
        }
        compare("tx", tx, actualTx, problems);
        compare("local", local, actualLocal, problems);
        for (List<byte[]> frames : List.of(actualTx, actualLocal)) {
            for (int i = 0; i < frames.size(); i++) {
                for (String p : Checksum.verify(frames.get(i), guePorts)) problems.add((frames == actualTx ? "tx[" : "local[") + i + "]: " + p);
            }
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
