package io.jlvs.packet;

import io.jlvs.testkit.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cTest {

    @Test
    void rfc3720AppendixB4Vectors() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] ascending = new byte[32];
        byte[] descending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ascending[i] = (byte) i;
            descending[i] = (byte) (31 - i);
        }
        assertThat(crc(zeros)).isEqualTo(0x8A9136AA);
        assertThat(crc(ones)).isEqualTo(0x62A8AB43);
        assertThat(crc(ascending)).isEqualTo(0x46DD794E);
        assertThat(crc(descending)).isEqualTo(0x113FDB5C);
    }

    @Test
    void catalogueCheckValue() {
        assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
        assertThat(crc(new byte[0])).isZero();
    }

    @Test
    void storedLittleEndianAsRfc3720Shows() {
        // RFC 3720 B.4 lists the CRC of 32 zero octets as the octets aa 36 91 8a
        MemorySegment s = MemorySegment.ofArray(new byte[12]);
        new SctpView().wrap(s, 0).checksum(0x8A9136AA);
        assertThat(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).startsWith(new byte[] {0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a});
    }

    @Test
    void sctpChecksumTreatsTheFieldAsZeroAndMatchesTheBuilder() {
        byte[] f = PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10")
                .sctp(5000, 80, 0).init(0x11223344, 65536, 10, 10, 42).build();
        MemorySegment s = MemorySegment.ofArray(f);
        long l4 = 14 + 20;
        long len = f.length - l4;
        SctpView sctp = new SctpView().wrap(s, l4);
        int stored = sctp.checksum();
        assertThat(Crc32c.sctp(s, l4, len)).isEqualTo(stored);
        assertThat(sctp.checksumOk(len)).isTrue();
        sctp.checksum(0);
        assertThat(Crc32c.crc32c(s, l4, len)).isEqualTo(stored);
        assertThat(sctp.checksumOk(len)).isFalse();
        sctp.fillChecksum(len);
        assertThat(sctp.checksum()).isEqualTo(stored);
    }

    private static int crc(byte[] b) {
        return Crc32c.crc32c(MemorySegment.ofArray(b), 0, b.length);
    }
}
