package io.jlvs.xmit;

import io.jlvs.packet.Checksums;

/**
 * Updates of a <em>partial</em> TCP/UDP checksum field, which holds the folded pseudo-header sum itself, not
 * its complement ({@code tcp_partial_csum_update} / {@code udp_partial_csum_update} in IPVS: {@code
 * ~csum_fold(diff(old, new, csum_unfold(check)))}). Ports are not in it: the octets after the pseudo-header
 * are summed in later ({@link Frame#completeChecksum()}).
 */
final class PartialChecksum {
    private PartialChecksum() {}

    static int update32(int sum, int oldValue, int newValue) {
        return ~Checksums.update32(~sum & 0xFFFF, oldValue, newValue) & 0xFFFF;
    }

    static int update128(int sum, long oldHi, long oldLo, long newHi, long newLo) {
        return ~Checksums.update128(~sum & 0xFFFF, oldHi, oldLo, newHi, newLo) & 0xFFFF;
    }
}
