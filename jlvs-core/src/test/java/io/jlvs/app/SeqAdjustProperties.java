package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.TcpView;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bookkeeping promises: a segment sent after a resized one reaches the other end in the other end's
 * numbering and its acknowledgment comes back in the sender's (modulo 2^32, whatever the deltas); every fix
 * leaves a TCP checksum the testkit oracle accepts.
 */
class SeqAdjustProperties {

    @Property
    void segmentsAfterTheResizeRoundTrip(@ForAll int initSeq, @ForAll @IntRange(min = -2000, max = 2000) int delta,
                                         @ForAll @IntRange(min = -2000, max = 2000) int previousDelta,
                                         @ForAll @IntRange(min = 1, max = 1 << 30) int distance,
                                         @ForAll @IntRange(max = 65535) int length) {
        int seq = initSeq + distance;                                  // the sender's numbering, after init_seq
        int seen = SeqAdjust.fixSeq(seq, initSeq, delta, previousDelta);
        if (delta != 0 || previousDelta != 0) assertThat(seen).isEqualTo(seq + delta);
        assertThat(SeqAdjust.fixAck(seen + length, initSeq, delta, previousDelta)).isEqualTo(seq + length);
    }

    @Property
    void segmentsWellBeforeTheResizeUseThePreviousDelta(@ForAll int initSeq, @ForAll @IntRange(min = -2000, max = 2000) int delta,
                                                        @ForAll @IntRange(min = -2000, max = 2000) int previousDelta,
                                                        @ForAll @IntRange(min = 6001, max = 1 << 30) int distance,
                                                        @ForAll @IntRange(max = 2000) int length) {
        int seq = initSeq - distance;
        int seen = SeqAdjust.fixSeq(seq, initSeq, delta, previousDelta);
        assertThat(seen).isEqualTo(seq + previousDelta);
        assertThat(SeqAdjust.fixAck(seen + length, initSeq, delta, previousDelta)).isEqualTo(seq + length);
    }

    @Property(tries = 300)
    void everyFixLeavesAValidChecksum(@ForAll int seq, @ForAll int ack, @ForAll int inInit, @ForAll int outInit,
                                      @ForAll @IntRange(min = -50, max = 50) int inDiff,
                                      @ForAll @IntRange(min = -50, max = 50) int outDiff,
                                      @ForAll int sackLeft, @ForAll boolean fromClient, @ForAll boolean ipv6) {
        try (ConnTable conns = new ConnTable(4, 4, 0)) {
            SeqAdjust adj = new SeqAdjust(conns);
            adj.enable();
            int c = conns.create(ConnTable.AF_INET, 6, 0, 1, 1, 0, 2, 21, ConnTable.AF_INET, 0, 3, 21, ConnFlags.MASQ,
                    ConnTable.NONE, 1000, 0);
            adj.attach(c, 0);
            adj.update(c, true, inInit, inDiff);
            adj.update(c, false, outInit, outDiff);
            PacketBuilder b = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02");
            b = ipv6 ? b.ipv6("2001:db8::1", "2001:db8::2") : b.ipv4("192.0.2.1", "192.0.2.2");
            int right = sackLeft + 100;
            byte[] frame = b.tcp(1, 2).ack().seq(seq & 0xFFFF_FFFFL).ackSeq(ack & 0xFFFF_FFFFL)
                    .tcpOption(1, 1, 5, 10, sackLeft >>> 24, sackLeft >>> 16, sackLeft >>> 8, sackLeft,
                            right >>> 24, right >>> 16, right >>> 8, right)
                    .payload("hello").build();
            TcpView tcp = new TcpView().wrap(MemorySegment.ofArray(frame), 14 + (ipv6 ? 40 : 20));
            adj.fix(c, fromClient, tcp, false);
            assertThat(Checksum.verify(frame)).isEmpty();
        }
    }
}
