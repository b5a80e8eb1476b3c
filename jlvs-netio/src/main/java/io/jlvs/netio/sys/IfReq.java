package io.jlvs.netio.sys;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code <net/if.h>}: {@code struct ifreq}, 40 bytes: the interface name, then a 24-byte union of which
 * SIOCGIFINDEX reads {@code ifr_ifindex}, SIOCGIFMTU {@code ifr_mtu} and SIOCGIFHWADDR {@code ifr_hwaddr}
 * (a {@code struct sockaddr}: family, then the MAC in {@code sa_data}).
 */
public final class IfReq {

    public static final int IFNAMSIZ = 16;

    public static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(IFNAMSIZ, JAVA_BYTE).withName("ifr_name"),
            MemoryLayout.unionLayout(
                    JAVA_INT.withName("ifr_ifindex"),
                    JAVA_INT.withName("ifr_mtu"),
                    MemoryLayout.structLayout(
                            MemoryLayout.sequenceLayout(2, JAVA_BYTE).withName("sa_family"),
                            MemoryLayout.sequenceLayout(14, JAVA_BYTE).withName("sa_data")).withName("ifr_hwaddr"),
                    MemoryLayout.sequenceLayout(24, JAVA_BYTE).withName("ifr_pad")).withName("ifr_ifru"))
            .withName("ifreq");

    public static final long IFR_NAME = IFREQ.byteOffset(groupElement("ifr_name"));
    public static final long IFR_IFINDEX = IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_ifindex"));
    public static final long IFR_MTU = IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_mtu"));
    /** The hardware address bytes: {@code ifr_hwaddr.sa_data}. */
    public static final long IFR_HWADDR_DATA =
            IFREQ.byteOffset(groupElement("ifr_ifru"), groupElement("ifr_hwaddr"), groupElement("sa_data"));

    private IfReq() {}
}
