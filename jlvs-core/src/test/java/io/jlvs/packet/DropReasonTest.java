package io.jlvs.packet;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class DropReasonTest {

    @Test
    void codesIndexACounterArray() {
        long[] counters = new long[DropReason.COUNT];
        for (DropReason r : DropReason.values()) {
            assertThat(DropReason.of(r.code())).isSameAs(r);
            counters[r.code()]++;
        }
        assertThat(counters).containsOnly(1L);
        assertThat(DropReason.of(-1)).isNull();
        assertThat(DropReason.of(DropReason.COUNT)).isNull();
    }

    @Test
    void resultCodesNeverCollideWithReasons() {
        assertThat(PacketParser.OK).isNegative();
        assertThat(PacketParser.ARP).isNegative().isNotEqualTo(PacketParser.OK);
    }

    @Test
    void firstCodesArePinned() {
        // codes are exported in counters: appending is fine, renumbering is not
        assertThat(DropReason.TRUNCATED_ETHERNET.code()).isZero();
        assertThat(DropReason.TRUNCATED_IPV4.code()).isEqualTo(6);
        assertThat(DropReason.TRUNCATED_TCP.code()).isEqualTo(19);
    }

    @Test
    void everyReasonSaysWhatWasWrong() {
        assertThat(Arrays.stream(DropReason.values()).map(DropReason::description))
                .allSatisfy(d -> assertThat(d).isNotBlank().doesNotEndWith("."))
                .doesNotHaveDuplicates();
    }
}
