package io.jlvs.xmit;

/** Fresh transmitters over the test network for one vector run: every ID and hash starts from the same state. */
final class XmitEnv {
    /** The flow hash the tunnel vectors pin: their GUE source port is {@code TunnelXmit.sourcePort(FLOW_HASH, ...)}. */
    static final int FLOW_HASH = 0x1234_5678;

    final FakeNextHops hops = Net.hops();
    final IpIdent ident = new IpIdent(Net.IDENT);
    final IcmpErrors icmp = new IcmpErrors(hops).ident(ident);
    final RecordingTxPort tx = new RecordingTxPort();
    final RecordingTxPort local = new RecordingTxPort();

    NatXmit nat() { return new NatXmit(hops, icmp, ident, local); }

    DirectRouteXmit dr() { return new DirectRouteXmit(hops, icmp, ident, local); }

    TunnelXmit tunnel() { return new TunnelXmit(hops, icmp, ident, local).flowHash(f -> FLOW_HASH); }

    BypassXmit bypass() { return new BypassXmit(hops, icmp, ident); }

    LocalNodeXmit localNode() { return new LocalNodeXmit(local); }

    IcmpNat icmpNat() { return new IcmpNat(hops, icmp, ident, local); }
}
