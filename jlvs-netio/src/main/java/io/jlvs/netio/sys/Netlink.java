package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;

/**
 * {@code <linux/netlink.h>}: the netlink socket address, the message header every netlink message starts with,
 * the error/ack message, and the flag and type constants, with their C names. All header fields are in host
 * byte order; every message and attribute is padded to 4 bytes ({@link #align(int)}).
 *
 * <pre>
 *  0               1               2               3
 * +-------------------------------+---------------+---------------+
 * |                       nlmsg_len (whole message)               |
 * +-------------------------------+-------------------------------+
 * |         nlmsg_type            |         nlmsg_flags           |
 * +-------------------------------+-------------------------------+
 * |                           nlmsg_seq                           |
 * +---------------------------------------------------------------+
 * |                  nlmsg_pid (port id of the sender; 0: kernel) |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class Netlink {

    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOCK_RAW = 3;

    // socket options at level SOL_NETLINK
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_NO_ENOBUFS = 5;
    /** Errors echo only the failed request's header, not the whole request. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Errors carry a text message ({@link #NLMSGERR_ATTR_MSG}) saying what the kernel disliked. */
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    /** {@code SOL_SOCKET} option to exceed rmem_max (needs CAP_NET_ADMIN). */
    public static final int SO_RCVBUFFORCE = 33;

    // recv flags
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;

    // nlmsg_type values below NLMSG_MIN_TYPE are control messages
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLMSG_MIN_TYPE = 0x10;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    /** The dump was interrupted by a change: its contents are inconsistent, dump again. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    // modifiers to GET requests
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    // modifiers to NEW requests
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    // flags of an NLMSG_ERROR ack
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    // enum nlmsgerr_attrs
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    // attribute type bits (struct nlattr / struct rtattr share them)
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;

    /** {@code struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }}. */
    public static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("nl_family"),
            JAVA_SHORT.withName("nl_pad"),
            JAVA_INT.withName("nl_pid"),
            JAVA_INT.withName("nl_groups")).withName("sockaddr_nl");

    /** {@code struct nlmsghdr}: 16 bytes. */
    public static final StructLayout NLMSGHDR = MemoryLayout.structLayout(
            JAVA_INT.withName("nlmsg_len"),
            JAVA_SHORT.withName("nlmsg_type"),
            JAVA_SHORT.withName("nlmsg_flags"),
            JAVA_INT.withName("nlmsg_seq"),
            JAVA_INT.withName("nlmsg_pid")).withName("nlmsghdr");

    /** {@code struct nlmsgerr { int error; struct nlmsghdr msg; }}: the payload of NLMSG_ERROR, 20 bytes. */
    public static final StructLayout NLMSGERR = MemoryLayout.structLayout(
            JAVA_INT.withName("error"),
            NLMSGHDR.withName("msg")).withName("nlmsgerr");

    public static final long NL_FAMILY = offset(SOCKADDR_NL, "nl_family");
    public static final long NL_PID = offset(SOCKADDR_NL, "nl_pid");
    public static final long NL_GROUPS = offset(SOCKADDR_NL, "nl_groups");

    public static final long NLMSG_LEN = offset(NLMSGHDR, "nlmsg_len");
    public static final long NLMSG_TYPE = offset(NLMSGHDR, "nlmsg_type");
    public static final long NLMSG_FLAGS = offset(NLMSGHDR, "nlmsg_flags");
    public static final long NLMSG_SEQ = offset(NLMSGHDR, "nlmsg_seq");
    public static final long NLMSG_PID = offset(NLMSGHDR, "nlmsg_pid");
    /** {@code NLMSG_HDRLEN}: where a message's payload starts. */
    public static final int NLMSG_HDRLEN = (int) NLMSGHDR.byteSize();

    public static final long NLMSGERR_ERROR = offset(NLMSGERR, "error");
    public static final long NLMSGERR_MSG = offset(NLMSGERR, "msg");

    private Netlink() {}

    /** {@code NLMSG_ALIGN} / {@code RTA_ALIGN}: rounds up to 4 bytes. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
