package io.jlvs.host;

import io.jlvs.service.IpAddr;

/**
 * An address jlvs owns itself, without the kernel's help (issue 6 point 4): a virtual service's address, or a
 * NAT-gateway address (the real servers' default gateway). jlvs answers ARP and NDP for it
 * ({@link ArpResponder}, {@link NdpResponder}) and announces it when it takes it ({@link NeighbourFrames}).
 * Published by the control side ({@link HostTables#publishOwned}).
 *
 * @param ifIndex the interface it is answered on, or {@link #ANY_INTERFACE}
 */
public record OwnedAddress(int ifIndex, IpAddr addr, Kind kind) {
    /** {@link #ifIndex} of an address answered on every interface. */
    public static final int ANY_INTERFACE = 0;

    public enum Kind {
        /** A virtual service address. */
        VIP,
        /** A gateway address: jlvs routes for it, so its neighbour advertisements carry the router flag. */
        NAT_GATEWAY
    }

    public OwnedAddress {
        if (ifIndex < 0) throw new IllegalArgumentException("interface index " + ifIndex + " is negative");
        if (kind == null) throw new IllegalArgumentException("no kind for " + addr);
    }
}
