package io.jlvs.netio.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/** The structs of jlvs decap pinned to the Linux headers (x86_64 and aarch64 agree on all of them). */
class InetLayoutsTest {

    @Test
    void ifreqIs40BytesWithTheUnionAfterTheName() {
        assertThat(Ifreq.IFREQ.byteSize()).isEqualTo(40);
        assertThat(Ifreq.IFR_IFRU).isEqualTo(16);
        assertThat(Ifreq.IFNAMSIZ).isEqualTo(16);
    }

    @Test
    void timevalIs16Bytes() {
        assertThat(Inet.TIMEVAL.byteSize()).isEqualTo(16);
        assertThat(Inet.TIMEVAL.byteOffset(PathElement.groupElement("tv_usec"))).isEqualTo(8);
    }

    @Test
    void sockaddrInIs16AndSockaddrIn6Is28() {
        assertThat(Inet.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(Inet.SIN_PORT).isEqualTo(2);
        assertThat(Inet.SOCKADDR_IN.byteOffset(PathElement.groupElement("sin_addr"))).isEqualTo(4);
        assertThat(Inet.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(Inet.SIN6_PORT).isEqualTo(2);
        assertThat(Inet.SOCKADDR_IN6.byteOffset(PathElement.groupElement("sin6_addr"))).isEqualTo(8);
        assertThat(Inet.SOCKADDR_IN6.byteOffset(PathElement.groupElement("sin6_scope_id"))).isEqualTo(24);
    }

    @Test
    void tunsetiffIsIowT202Int() {
        long iow = (1L << 30) | (4L << 16) | ('T' << 8) | 202;          // _IOC(_IOC_WRITE, 'T', 202, sizeof(int))
        assertThat(IfTun.TUNSETIFF).isEqualTo(iow);
    }
}
