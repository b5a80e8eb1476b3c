package io.jlvs.service;

/** What a user asks for a real server ({@code ip_vs_dest_user_kern}): the -a/-e arguments, validated. */
public record RealServerSpec(IpAddr addr, int port, FwdMethod fwdMethod, int weight, int uThreshold, int lThreshold,
                             TunnelType tunType, int tunPort, int tunFlags) {

    public static RealServerSpec dr(IpAddr addr, int port, int weight) {
        return new RealServerSpec(addr, port, FwdMethod.DROUTE, weight, 0, 0, TunnelType.IPIP, 0, 0);
    }

    public static RealServerSpec nat(IpAddr addr, int port, int weight) {
        return new RealServerSpec(addr, port, FwdMethod.MASQ, weight, 0, 0, TunnelType.IPIP, 0, 0);
    }
}
