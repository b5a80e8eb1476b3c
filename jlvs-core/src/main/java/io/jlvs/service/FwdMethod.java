package io.jlvs.service;

/**
 * Forwarding method of a real server: the {@code IP_VS_CONN_F_FWD_MASK} values of
 * {@code include/uapi/linux/ip_vs.h}, with the names ipvsadm prints and the option that selects each.
 */
public enum FwdMethod {
    MASQ(0, "Masq", "-m"),
    LOCALNODE(1, "Local", "-g"),
    TUNNEL(2, "Tunnel", "-i"),
    DROUTE(3, "Route", "-g"),
    BYPASS(4, "Bypass", "-g");

    public final int code;
    /** The word in ipvsadm's "Forward" column. */
    public final String listName;
    /** The option {@code ipvsadm -S} writes (LOCALNODE is saved as -g, as ipvsadm does). */
    public final String saveOption;

    FwdMethod(int code, String listName, String saveOption) {
        this.code = code;
        this.listName = listName;
        this.saveOption = saveOption;
    }

    private static final FwdMethod[] BY_CODE = values();

    public static FwdMethod ofCode(int code) { return BY_CODE[code]; }
}
