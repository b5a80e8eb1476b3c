package io.jlvs.netio.rtnl;

import io.jlvs.netio.sys.RouteNetlink;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One neighbour (ARP or NDP) entry as RTM_NEWNEIGH describes it ({@code ip neigh show}).
 *
 * @param ifIndex {@code ndm_ifindex}
 * @param family  2 (AF_INET, ARP) or 10 (AF_INET6, NDP)
 * @param dst     {@code NDA_DST}: the neighbour's IP address
 * @param lladdr  {@code NDA_LLADDR} when it is 6 bytes, as 48 bits (see {@link LinkInfo#mac()}); {@link #NO_LLADDR}
 *                when absent (INCOMPLETE, FAILED) or not 6 bytes
 * @param state   {@code ndm_state}: NUD_* bits ({@link #NUD_REACHABLE}, {@link #NUD_PERMANENT}...)
 * @param flags   {@code ndm_flags}: NTF_* bits (0x08 proxy, 0x80 router)
 * @param type    {@code ndm_type}: RTN_* (usually unicast)
 */
public record NeighInfo(int ifIndex, int family, InetAddress dst, long lladdr, int state, int flags, int type) {

    public static final long NO_LLADDR = -1L;

    public static final int NUD_INCOMPLETE = RouteNetlink.NUD_INCOMPLETE;
    public static final int NUD_REACHABLE = RouteNetlink.NUD_REACHABLE;
    public static final int NUD_STALE = RouteNetlink.NUD_STALE;
    public static final int NUD_DELAY = RouteNetlink.NUD_DELAY;
    public static final int NUD_PROBE = RouteNetlink.NUD_PROBE;
    public static final int NUD_FAILED = RouteNetlink.NUD_FAILED;
    public static final int NUD_NOARP = RouteNetlink.NUD_NOARP;
    public static final int NUD_PERMANENT = RouteNetlink.NUD_PERMANENT;
    /** The states in which {@link #lladdr()} may be used to send (the kernel's NUD_VALID). */
    public static final int NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;

    private static final String[] STATE_NAMES = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
        "NOARP", "PERMANENT"};

    public NeighInfo {
        Objects.requireNonNull(dst, "dst");
    }

    public boolean hasLladdr() {
        return lladdr != NO_LLADDR;
    }

    /** A link-layer address usable for sending: present and in a NUD_VALID state. */
    public boolean isValid() {
        return hasLladdr() && (state & NUD_VALID) != 0;
    }

    /** As {@code ip neigh} prints the state: "REACHABLE", "PERMANENT", "STALE|..."; "NONE" for 0. */
    public String stateName() {
        if (state == 0) {
            return "NONE";
        }
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < STATE_NAMES.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(STATE_NAMES[bit]);
            }
        }
        int unknown = state & ~0xFF;
        if (unknown != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.toString();
    }
}
