package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.TcpView;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.app.SeqAdjust.after;
import static io.jlvs.app.SeqAdjust.fixAck;
import static io.jlvs.app.SeqAdjust.fixSeq;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code ip_vs_app.c} rules: {@code vs_fix_seq}, {@code vs_fix_ack_seq}, {@code vs_seq_update}; the side table. */
class SeqAdjustTest {
    final ConnTable conns = new ConnTable(64, 16, 0);
    final SeqAdjust seq = new SeqAdjust(conns);

    @AfterEach
    void close() { conns.close(); }

    int conn(int cport) {
        return conns.create(ConnTable.AF_INET, 6, 0, 0x0A000001, cport, 0, 0xC000020A, 21, ConnTable.AF_INET, 0,
                0xCB00710B, 21, ConnFlags.MASQ, ConnTable.NONE, 60_000, 0);
    }

    @Test
    void afterIsModulo2To32() {
        assertThat(after(2, 1)).isTrue();
        assertThat(after(1, 1)).isFalse();
        assertThat(after(0, 0xFFFF_FFFF)).as("wraps").isTrue();
        assertThat(after(0xFFFF_FFFF, 0)).isFalse();
        assertThat(after(0x7FFF_FFFF, 0)).isTrue();
        assertThat(after(0x8000_0000, 0)).as("half way round counts as before, as (s32)(b - a) < 0").isTrue();
        assertThat(after(0x8000_0001, 0)).isFalse();
    }

    @Test
    void fixSeqAddsDeltaAfterInitSeqAndPreviousDeltaUpToIt() {
        assertThat(fixSeq(100, 50, 0, 0)).as("no deltas: untouched").isEqualTo(100);
        assertThat(fixSeq(51, 50, -3, 0)).isEqualTo(48);
        assertThat(fixSeq(50, 50, -3, 0)).as("the resized packet itself, retransmitted").isEqualTo(50);
        assertThat(fixSeq(49, 50, 4, 2)).isEqualTo(51);
        assertThat(fixSeq(3, 0xFFFF_FFF0, 5, 0)).as("across the wrap").isEqualTo(8);
        assertThat(fixSeq(0xFFFF_FFFE, 0xFFFF_FFF0, 5, 0)).isEqualTo(3);
    }

    @Test
    void fixAckComparesWithInitSeqPlusDelta() {
        assertThat(fixAck(100, 50, 0, 0)).isEqualTo(100);
        assertThat(fixAck(60, 50, 3, 0)).isEqualTo(57);
        assertThat(fixAck(53, 50, 3, 0)).as("at init_seq + delta: previous_delta").isEqualTo(53);
        assertThat(fixAck(48, 50, -3, 0)).as("after init_seq - 3").isEqualTo(51);
        assertThat(fixAck(47, 50, -3, 0)).isEqualTo(47);
        assertThat(fixAck(52, 50, 4, 2)).isEqualTo(50);
        assertThat(fixAck(5, 0xFFFF_FFF0, 3, 0)).as("across the wrap").isEqualTo(2);
    }

    @Test
    void updateCountsEachResizedPacketOnceAndKeepsThePreviousDelta() {
        seq.enable();
        int c = conn(1);
        seq.attach(c, 0);
        seq.update(c, false, 1000, -2);
        assertThat(conns.flags(c) & ConnFlags.SEQ_MASK).isEqualTo(ConnFlags.OUT_SEQ);
        assertThat(new int[] {seq.initSeq(c, false), seq.delta(c, false), seq.previousDelta(c, false)}).containsExactly(1000, -2, 0);
        seq.update(c, false, 1000, -2);                              // the same packet again
        seq.update(c, false, 900, 7);                                // an older one
        assertThat(new int[] {seq.initSeq(c, false), seq.delta(c, false), seq.previousDelta(c, false)}).containsExactly(1000, -2, 0);
        seq.update(c, false, 2000, 5);
        assertThat(new int[] {seq.initSeq(c, false), seq.delta(c, false), seq.previousDelta(c, false)}).containsExactly(2000, 3, -2);
        assertThat(seq.delta(c, true)).as("the other direction untouched").isZero();
        seq.update(c, true, 77, 1);
        assertThat(conns.flags(c) & ConnFlags.SEQ_MASK).isEqualTo(ConnFlags.SEQ_MASK);
        // with no flag yet, the first update applies whatever the sequence number
        int d = conn(2);
        seq.attach(d, 0);
        seq.update(d, true, 0, 4);
        assertThat(seq.delta(d, true)).isEqualTo(4);
    }

    @Test
    void fixRewritesSeqAckAndSackBlocksAndKeepsTheChecksumValid() {
        seq.enable();
        int c = conn(1);
        seq.attach(c, 0);
        seq.update(c, false, 5000, -2);                              // out_seq: the server's 227 shrank by 2
        seq.update(c, true, 1000, 3);                                // in_seq: a client's command grew by 3

        // a client's packet: seq by in_seq, ack and SACK by out_seq
        byte[] frame = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .tcp(40000, 21).ack().seq(1100).ackSeq(5100).tcpOption(1, 1, 5, 18, 0, 0, 0x13, 0x88, 0, 0, 0x13, 0xEC,
                        0, 0, 0x14, 0x50, 0, 0, 0x14, 0xB4).payload("NOOP\r\n").build();   // SACK 5000-5100, 5200-5300
        MemorySegment seg = MemorySegment.ofArray(frame);
        TcpView tcp = new TcpView().wrap(seg, 34);
        seq.fix(c, true, tcp, false);
        assertThat(tcp.seq()).isEqualTo(1103);
        assertThat(tcp.ackSeq()).isEqualTo(5102);
        long sack = 34 + 20 + 4;
        assertThat(new int[] {i32(seg, sack), i32(seg, sack + 4), i32(seg, sack + 8), i32(seg, sack + 12)})
                .as("edges as acknowledgment numbers (5000 is after init_seq + delta = 4998)").containsExactly(5002, 5102, 5202, 5302);
        assertThat(Checksum.verify(frame)).isEmpty();

        // a server's packet: seq by out_seq, ack by in_seq; a partial checksum is left alone
        frame = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("203.0.113.11", "198.51.100.7")
                .tcp(21, 40000).ack().seq(5100).ackSeq(1200).partialChecksum().payload("200 ok\r\n").build();
        seg = MemorySegment.ofArray(frame);
        tcp.wrap(seg, 34);
        int partial = tcp.checksum();
        seq.fix(c, false, tcp, true);
        assertThat(tcp.seq()).isEqualTo(5098);
        assertThat(tcp.ackSeq()).isEqualTo(1197);
        assertThat(tcp.checksum()).isEqualTo(partial);
    }

    @Test
    void slotsAreReusedAndGrow() {
        seq.enable();
        int[] cs = new int[40];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = conn(100 + i);
            seq.attach(cs[i], 0);
            seq.appData(cs[i], i);
        }
        assertThat(seq.bound()).isEqualTo(40);
        for (int i = 0; i < cs.length; i++) assertThat(seq.appData(cs[i])).isEqualTo(i);
        seq.detach(cs[3]);
        assertThat(seq.isBound(cs[3])).isFalse();
        seq.detach(cs[3]);
        assertThat(seq.bound()).isEqualTo(39);
        seq.attach(cs[3], 1);
        assertThat(seq.appData(cs[3])).as("a fresh slot is zeroed").isZero();
        assertThat(seq.helper(cs[3])).isEqualTo(1);
        assertThat(seq.appData(cs[4])).isEqualTo(4);
        assertThat(new SeqAdjust(conns).isBound(0)).as("nothing before enable()").isFalse();
    }

    static int i32(MemorySegment seg, long off) {
        return seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), off);
    }
}
