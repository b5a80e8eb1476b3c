package io.jlvs.testkit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VectorTest {
    private static PacketBuilder frame() {
        return PacketBuilder.eth("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("198.51.100.7", "192.0.2.10").tcp(1, 2);
    }

    @Test
    void aMatchPasses() {
        Vector v = Vector.vector("same").in(frame()).expect(-1).out(frame());
        assertThat(v.check(-1, List.of(frame().build()), List.of(), Integer::toString)).isEmpty();
    }

    @Test
    void everyKindOfMismatchIsReported() {
        Vector v = Vector.vector("x").in(frame()).expect(-1).out(frame());
        byte[] other = frame().build();
        other[20] ^= 1;                                      // IPv4 ID: bytes differ and the checksum breaks
        assertThat(v.check(-2, List.of(other), List.of(frame().build()), Integer::toString))
                .anySatisfy(p -> assertThat(p).startsWith("verdict -2, expected -1"))
                .anySatisfy(p -> assertThat(p).startsWith("tx[0]: differs from octet 20"))
                .anySatisfy(p -> assertThat(p).startsWith("local: 1 frames, expected 0"))
                .anySatisfy(p -> assertThat(p).startsWith("tx[0]: IPv4 header checksum"));
    }
}
