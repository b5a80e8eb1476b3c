package io.jlvs.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

class SctpViewTest {
    private static final int L4 = ETH + 20;
    private final SctpView sctp = new SctpView();

    @Test
    void initChunkReadsBack() {
        byte[] f = Frames.v4().sctp(5000, 80, 0).init(0x11223344, 65536, 10, 20, 42).build();
        sctp.wrap(seg(f), L4);
        assertThat(sctp.srcPort()).isEqualTo(5000);
        assertThat(sctp.dstPort()).isEqualTo(80);
        assertThat(sctp.verificationTag()).isZero();
        assertThat(sctp.chunkType()).isEqualTo(SctpView.INIT);
        assertThat(sctp.chunkFlags()).isZero();
        assertThat(sctp.chunkLength()).isEqualTo(SctpView.INIT_LENGTH);
        assertThat(sctp.initiateTag(sctp.firstChunk())).isEqualTo(0x11223344);
        assertThat(NetworkOrder.i32(seg(f), sctp.firstChunk() + SctpView.INIT_A_RWND)).isEqualTo(65536);
        assertThat(NetworkOrder.u16(seg(f), sctp.firstChunk() + SctpView.INIT_OUT_STREAMS)).isEqualTo(10);
        assertThat(NetworkOrder.u16(seg(f), sctp.firstChunk() + SctpView.INIT_IN_STREAMS)).isEqualTo(20);
        assertThat(NetworkOrder.i32(seg(f), sctp.firstChunk() + SctpView.INIT_TSN)).isEqualTo(42);
        assertThat(sctp.checksumOk(f.length - L4)).isTrue();
        assertThat(sctp.walkChunks(f.length)).isEqualTo(1);
    }

    @Test
    void bundledChunksArePaddedAndWalked() {
        byte[] f = Frames.v4().sctp(5000, 80, 0x0A0B0C0D).chunk(SctpView.COOKIE_ECHO, 0, new byte[5])
                .chunk(SctpView.ABORT, 1).chunk(SctpView.DATA, 3, new byte[] {1, 2, 3}).build();
        MemorySegment s = seg(f);
        sctp.wrap(s, L4);
        assertThat(sctp.verificationTag()).isEqualTo(0x0A0B0C0D);
        long c1 = sctp.firstChunk();
        assertThat(sctp.chunkLength(c1)).isEqualTo(9);
        long c2 = sctp.nextChunk(c1);
        assertThat(c2).isEqualTo(c1 + 12);
        assertThat(sctp.chunkType(c2)).isEqualTo(SctpView.ABORT);
        assertThat(sctp.chunkFlags(c2)).isEqualTo(1);
        long c3 = sctp.nextChunk(c2);
        assertThat(c3).isEqualTo(c2 + 4);
        assertThat(sctp.chunkType(c3)).isEqualTo(SctpView.DATA);
        assertThat(sctp.chunkFlags(c3)).isEqualTo(3);
        assertThat(sctp.chunkLength(c3)).isEqualTo(7);
        assertThat(sctp.nextChunk(c3)).isEqualTo(f.length);
        assertThat(sctp.walkChunks(f.length)).isEqualTo(3);
        assertThat(sctp.walkChunks(f.length - 1)).as("last chunk's padding missing is fine").isEqualTo(3);
        assertThat(sctp.walkChunks(f.length - 2)).as("but not its value").isEqualTo(SctpView.CHUNK_BAD_LENGTH);
    }

    @Test
    void malformedChunks() {
        byte[] shortLength = Frames.v4().sctp(1, 2, 0).rawChunk((byte) 0, (byte) 0, (byte) 0, (byte) 3).build();
        assertThat(sctp.wrap(seg(shortLength), L4).walkChunks(shortLength.length)).isEqualTo(SctpView.CHUNK_BAD_LENGTH);
        byte[] pastEnd = Frames.v4().sctp(1, 2, 0).rawChunk((byte) 0, (byte) 0, (byte) 0, (byte) 20, (byte) 0, (byte) 0).build();
        assertThat(sctp.wrap(seg(pastEnd), L4).walkChunks(pastEnd.length)).isEqualTo(SctpView.CHUNK_BAD_LENGTH);
        byte[] partialHeader = Frames.v4().sctp(1, 2, 0).chunk(SctpView.ABORT, 0).rawChunk((byte) 1, (byte) 0).build();
        assertThat(sctp.wrap(seg(partialHeader), L4).walkChunks(partialHeader.length)).isEqualTo(SctpView.CHUNK_TRUNCATED);
        byte[] none = Frames.v4().sctp(1, 2, 0).build();
        assertThat(sctp.wrap(seg(none), L4).walkChunks(none.length)).isZero();
    }

    @Test
    void walkStopsAtTheBound() {
        var b = Frames.v4().sctp(1, 2, 0);
        for (int i = 0; i < SctpView.MAX_CHUNKS + 4; i++) b.chunk(SctpView.DATA, 0, new byte[4]);
        byte[] f = b.rawChunk((byte) 0, (byte) 0, (byte) 0, (byte) 1).build();     // malformed, but past the bound
        assertThat(sctp.wrap(seg(f), L4).walkChunks(f.length)).isEqualTo(SctpView.MAX_CHUNKS);
    }

    @Test
    void settersWriteTheBuildersBytes() {
        byte[] f = Frames.v4().sctp(5000, 80, 7).chunk(SctpView.HEARTBEAT, 0, new byte[8]).build();
        byte[] expected = Frames.v4().sctp(6000, 8080, 0x77777777).chunk(SctpView.HEARTBEAT, 0, new byte[8]).build();
        sctp.wrap(seg(f), L4).srcPort(6000).dstPort(8080).verificationTag(0x77777777).fillChecksum(f.length - L4);
        assertThat(f).isEqualTo(expected);
    }
}
