package io.jlvs.packet;

import io.jlvs.testkit.PacketBuilder;

import java.lang.foreign.MemorySegment;

/** Addresses and shorthands shared by the packet tests (documentation ranges: RFC 5737, RFC 3849). */
final class Frames {
    static final String CLIENT_MAC = "02:00:00:00:00:01";
    static final String DIRECTOR_MAC = "02:00:00:00:00:02";
    static final String CLIENT = "198.51.100.7";
    static final String VIP = "192.0.2.10";
    static final String CLIENT6 = "2001:db8:100::7";
    static final String VIP6 = "2001:db8::a";
    static final int ETH = 14;

    private Frames() {}

    static PacketBuilder eth() { return PacketBuilder.eth(CLIENT_MAC, DIRECTOR_MAC); }

    static PacketBuilder v4() { return eth().ipv4(CLIENT, VIP); }

    static PacketBuilder v6() { return eth().ipv6(CLIENT6, VIP6); }

    static MemorySegment seg(byte[] frame) { return MemorySegment.ofArray(frame); }
}
