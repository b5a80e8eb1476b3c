package io.jlvs.service;

/** {@code IP_VS_CONN_F_TUNNEL_TYPE_*} of {@code include/uapi/linux/ip_vs.h}, named as ipvsadm's --tun-type. */
public enum TunnelType {
    IPIP(0, "ipip"), GUE(1, "gue"), GRE(2, "gre");

    public final int code;
    public final String optionName;

    TunnelType(int code, String optionName) {
        this.code = code;
        this.optionName = optionName;
    }

    public static TunnelType byName(String name) {
        for (TunnelType t : values()) if (t.optionName.equals(name)) return t;
        return null;
    }

    /** {@code IP_VS_TUNNEL_ENCAP_FLAG_*}: 0 none, 1 checksum, 2 remote checksum offload. */
    public static final int FLAG_NOCSUM = 0, FLAG_CSUM = 1, FLAG_REMCSUM = 2;
}
