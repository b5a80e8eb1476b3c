package io.jlvs.netio.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.Test;

/**
 * The netlink and rtnetlink structs pinned to {@code <linux/netlink.h>}, {@code <linux/rtnetlink.h>},
 * {@code <linux/if_link.h>}, {@code <linux/if_addr.h>} and {@code <linux/neighbour.h>} (same on every Linux ABI).
 */
class NetlinkLayoutsTest {

    private static long at(StructLayout l, String field) {
        return l.byteOffset(PathElement.groupElement(field));
    }

    @Test
    void sockaddrNl() {
        assertThat(Netlink.SOCKADDR_NL.byteSize()).isEqualTo(12);
        assertThat(at(Netlink.SOCKADDR_NL, "nl_family")).isZero();
        assertThat(at(Netlink.SOCKADDR_NL, "nl_pad")).isEqualTo(2);
        assertThat(Netlink.NL_PID).isEqualTo(4);
        assertThat(Netlink.NL_GROUPS).isEqualTo(8);
    }

    @Test
    void nlmsghdrAndNlmsgerr() {
        assertThat(Netlink.NLMSGHDR.byteSize()).isEqualTo(16);
        assertThat(Netlink.NLMSG_HDRLEN).isEqualTo(16);
        assertThat(Netlink.NLMSG_LEN).isZero();
        assertThat(Netlink.NLMSG_TYPE).isEqualTo(4);
        assertThat(Netlink.NLMSG_FLAGS).isEqualTo(6);
        assertThat(Netlink.NLMSG_SEQ).isEqualTo(8);
        assertThat(Netlink.NLMSG_PID).isEqualTo(12);
        assertThat(Netlink.NLMSGERR.byteSize()).isEqualTo(20);
        assertThat(Netlink.NLMSGERR_ERROR).isZero();
        assertThat(Netlink.NLMSGERR_MSG).isEqualTo(4);
    }

    @Test
    void rtattr() {
        assertThat(RouteNetlink.RTATTR.byteSize()).isEqualTo(4);
        assertThat(RouteNetlink.RTA_LEN).isZero();
        assertThat(RouteNetlink.RTA_TYPE).isEqualTo(2);
        assertThat(RouteNetlink.RTA_HDRLEN).isEqualTo(4);
    }

    @Test
    void ifinfomsg() {
        assertThat(RouteNetlink.IFINFOMSG.byteSize()).isEqualTo(16);
        assertThat(RouteNetlink.IFI_FAMILY).isZero();
        assertThat(at(RouteNetlink.IFINFOMSG, "__ifi_pad")).isEqualTo(1);
        assertThat(RouteNetlink.IFI_TYPE).isEqualTo(2);
        assertThat(RouteNetlink.IFI_INDEX).isEqualTo(4);
        assertThat(RouteNetlink.IFI_FLAGS).isEqualTo(8);
        assertThat(RouteNetlink.IFI_CHANGE).isEqualTo(12);
    }

    @Test
    void ifaddrmsg() {
        assertThat(RouteNetlink.IFADDRMSG.byteSize()).isEqualTo(8);
        assertThat(RouteNetlink.IFA_FAMILY).isZero();
        assertThat(RouteNetlink.IFA_PREFIXLEN).isEqualTo(1);
        assertThat(RouteNetlink.IFA_FLAGS_OFFSET).isEqualTo(2);
        assertThat(RouteNetlink.IFA_SCOPE).isEqualTo(3);
        assertThat(RouteNetlink.IFA_INDEX).isEqualTo(4);
    }

    @Test
    void rtmsg() {
        assertThat(RouteNetlink.RTMSG.byteSize()).isEqualTo(12);
        assertThat(RouteNetlink.RTM_FAMILY).isZero();
        assertThat(RouteNetlink.RTM_DST_LEN).isEqualTo(1);
        assertThat(RouteNetlink.RTM_SRC_LEN).isEqualTo(2);
        assertThat(RouteNetlink.RTM_TOS).isEqualTo(3);
        assertThat(RouteNetlink.RTM_TABLE).isEqualTo(4);
        assertThat(RouteNetlink.RTM_PROTOCOL).isEqualTo(5);
        assertThat(RouteNetlink.RTM_SCOPE).isEqualTo(6);
        assertThat(RouteNetlink.RTM_TYPE).isEqualTo(7);
        assertThat(RouteNetlink.RTM_FLAGS).isEqualTo(8);
    }

    @Test
    void ndmsg() {
        assertThat(RouteNetlink.NDMSG.byteSize()).isEqualTo(12);
        assertThat(RouteNetlink.NDM_FAMILY).isZero();
        assertThat(at(RouteNetlink.NDMSG, "ndm_pad1")).isEqualTo(1);
        assertThat(at(RouteNetlink.NDMSG, "ndm_pad2")).isEqualTo(2);
        assertThat(RouteNetlink.NDM_IFINDEX).isEqualTo(4);
        assertThat(RouteNetlink.NDM_STATE).isEqualTo(8);
        assertThat(RouteNetlink.NDM_FLAGS).isEqualTo(10);
        assertThat(RouteNetlink.NDM_TYPE).isEqualTo(11);
    }

    @Test
    void rtnexthopAndRtvia() {
        assertThat(RouteNetlink.RTNEXTHOP.byteSize()).isEqualTo(8);
        assertThat(RouteNetlink.RTNH_LEN).isZero();
        assertThat(RouteNetlink.RTNH_FLAGS).isEqualTo(2);
        assertThat(RouteNetlink.RTNH_HOPS).isEqualTo(3);
        assertThat(RouteNetlink.RTNH_IFINDEX).isEqualTo(4);
        assertThat(RouteNetlink.RTVIA_FAMILY).isZero();
        assertThat(RouteNetlink.RTVIA_ADDR).isEqualTo(2);
    }

    @Test
    void constantsMatchTheHeaders() {
        assertThat(Netlink.NLM_F_DUMP).isEqualTo(0x300);
        assertThat(Netlink.NLA_TYPE_MASK).isEqualTo(0x3FFF);
        assertThat(Netlink.align(1)).isEqualTo(4);
        assertThat(Netlink.align(4)).isEqualTo(4);
        assertThat(Netlink.align(13)).isEqualTo(16);
        assertThat(io.jlvs.netio.rtnl.RtMonitor.DEFAULT_GROUPS).isEqualTo(0x1 | 0x4 | 0x10 | 0x40 | 0x100 | 0x400);
    }
}
