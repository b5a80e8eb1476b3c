package io.jlvs.netio.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The IP socket constants and structs {@code jlvs decap} uses, from {@code <sys/socket.h>},
 * {@code <netinet/in.h>} and {@code <sys/time.h>} (Linux, asm-generic values: x86_64 and aarch64).
 */
public final class Inet {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;

    /** {@code SO_RCVTIMEO} ({@code SO_RCVTIMEO_OLD}, a {@code struct timeval}): a blocked recv returns EAGAIN. */
    public static final int SO_RCVTIMEO = 20;

    /** Socket option level of IPv6 options ({@code SOL_IPV6} = {@code IPPROTO_IPV6}). */
    public static final int SOL_IPV6 = 41;
    /** 0: an AF_INET6 socket also receives IPv4 (as v4-mapped addresses). */
    public static final int IPV6_V6ONLY = 26;

    /** Socket option level of UDP options ({@code SOL_UDP} = {@code IPPROTO_UDP}). */
    public static final int SOL_UDP = 17;
    /**
     * {@code <linux/udp.h>}: accept IPv6 UDP datagrams with a zero checksum (RFC 6935, tunnels): a director sends
     * GUE over IPv6 without a UDP checksum unless {@code --tun-csum} or {@code --tun-remcsum}.
     */
    public static final int UDP_NO_CHECK6_RX = 102;

    /** {@code struct timeval { time_t tv_sec; suseconds_t tv_usec; }}: 16 bytes. */
    public static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_usec")).withName("timeval");

    /** {@code struct sockaddr_in}: family, port (network order), address, 8 bytes of zero; 16 bytes. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            JAVA_INT.withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    /** {@code struct sockaddr_in6}: family, port, flow info, address, scope id; 28 bytes. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id")).withName("sockaddr_in6");

    /** Offsets of the (network-order) ports: 2 in both. */
    public static final long SIN_PORT = offset(SOCKADDR_IN, "sin_port");
    public static final long SIN6_PORT = offset(SOCKADDR_IN6, "sin6_port");

    /** recv flag: return the datagram's real length even when it was longer than the buffer. */
    public static final int MSG_TRUNC = 0x20;

    private Inet() {}

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
