package io.jlvs.proto;

/**
 * UDP as {@code net/netfilter/ipvs/ip_vs_proto_udp.c}: one state, {@code IP_VS_UDP_S_NORMAL}, printed "UDP",
 * with a 5 minute timeout. Packets never change the state: {@code udp_state_transition} only reloads the
 * timeout, so a UDP conn stays where {@code ip_vs_bind_dest} counted it (inactconns, as every new conn starts
 * INACTIVE). Any UDP packet may create a connection.
 */
public final class UdpProtocol implements L4Protocol {
    public static final int IPPROTO_UDP = 17;

    /** {@code IP_VS_UDP_S_NORMAL}. */
    public static final int S_NORMAL = 0;
    public static final int S_LAST = 1;

    UdpProtocol() {}

    @Override public int protocol() { return IPPROTO_UDP; }
    @Override public String name() { return "UDP"; }
    @Override public int stateCount() { return S_LAST; }
    @Override public String stateName(int state) { return state == S_NORMAL ? "UDP" : "ERR!"; }
    @Override public int[] defaultTimeoutsSeconds() { return new int[] {300}; }
    @Override public int transition(int state, int direction, int eventBits, boolean dosTable) { return state; }
    @Override public boolean schedulesNew(int eventBits, boolean sloppy) { return true; }
    @Override public boolean opensConnection(int eventBits) { return false; }
    @Override public boolean isActive(int state) { return false; }
    @Override public boolean hasStates() { return false; }
}
