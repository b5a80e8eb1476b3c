package io.jlvs.packet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cProperties {

    @Property
    void matchesTheJdkCrc32c(@ForAll @Size(max = 200) byte[] data, @ForAll @IntRange(max = 200) int offSeed,
                             @ForAll @IntRange(max = 200) int lenSeed) {
        int off = offSeed % (data.length + 1);
        int len = lenSeed % (data.length - off + 1);
        CRC32C jdk = new CRC32C();
        jdk.update(data, off, len);
        assertThat(Crc32c.crc32c(MemorySegment.ofArray(data), off, len)).isEqualTo((int) jdk.getValue());
    }

    @Property
    void continuesAcrossASplit(@ForAll @Size(max = 100) byte[] data, @ForAll @IntRange(max = 100) int splitSeed) {
        int split = splitSeed % (data.length + 1);
        MemorySegment s = MemorySegment.ofArray(data);
        int first = Crc32c.crc32c(s, 0, split);
        assertThat(Crc32c.update(first, s, split, data.length - split)).isEqualTo(Crc32c.crc32c(s, 0, data.length));
    }

    @Property
    void sctpIgnoresWhatTheChecksumFieldHolds(@ForAll @Size(min = 12, max = 100) byte[] packet) {
        MemorySegment s = MemorySegment.ofArray(packet);
        int crc = Crc32c.sctp(s, 0, packet.length);
        byte[] zeroed = packet.clone();
        java.util.Arrays.fill(zeroed, 8, 12, (byte) 0);
        CRC32C jdk = new CRC32C();
        jdk.update(zeroed);
        assertThat(crc).isEqualTo((int) jdk.getValue());
    }
}
