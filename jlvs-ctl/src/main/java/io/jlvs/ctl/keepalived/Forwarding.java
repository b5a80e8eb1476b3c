package io.jlvs.ctl.keepalived;

import io.jlvs.service.FwdMethod;
import io.jlvs.service.TunnelType;

/**
 * {@code lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]}: the forwarding method and,
 * for TUN, the encapsulation ({@code --tun-type}, {@code --tun-port}, {@code --tun-*csum}).
 *
 * @param method   {@link FwdMethod#MASQ}, {@link FwdMethod#DROUTE} or {@link FwdMethod#TUNNEL}
 * @param tunType  IPIP unless TUN with another type
 * @param tunPort  the GUE destination port, else 0
 * @param tunFlags {@link TunnelType#FLAG_NOCSUM}, {@code FLAG_CSUM} or {@code FLAG_REMCSUM}
 */
public record Forwarding(FwdMethod method, TunnelType tunType, int tunPort, int tunFlags) {
    public static final Forwarding NAT = new Forwarding(FwdMethod.MASQ, TunnelType.IPIP, 0, 0);
    public static final Forwarding DR = new Forwarding(FwdMethod.DROUTE, TunnelType.IPIP, 0, 0);
    public static final Forwarding TUN = new Forwarding(FwdMethod.TUNNEL, TunnelType.IPIP, 0, 0);

    public boolean isNat() { return method == FwdMethod.MASQ; }

    @Override
    public String toString() {
        return switch (method) {
            case MASQ -> "NAT";
            case DROUTE -> "DR";
            case TUNNEL -> "TUN type " + tunType.optionName + (tunType == TunnelType.GUE ? " port " + tunPort : "")
                    + (tunFlags == TunnelType.FLAG_CSUM ? " csum" : tunFlags == TunnelType.FLAG_REMCSUM ? " remcsum" : "");
            default -> method.name();
        };
    }
}
