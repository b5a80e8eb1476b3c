package io.jlvs.netio.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/** Struct sizes and offsets pinned to the Linux headers (x86_64 and aarch64 agree on all of them). */
class LayoutsTest {

    @Test
    void sockaddrUnIs110BytesWithSunPathAtTwo() {
        assertThat(Un.SOCKADDR_UN.byteSize()).isEqualTo(110);
        assertThat(Un.SUN_PATH_OFFSET).isEqualTo(2);
        assertThat(Un.SOCKADDR_UN.byteOffset(PathElement.groupElement("sun_family"))).isZero();
        assertThat(Un.MAX_ABSTRACT_NAME).isEqualTo(107);
    }

    @Test
    void abstractAddressLengthIsFamilyPlusNulPlusName() {
        assertThat(Un.abstractAddressLength(5)).isEqualTo(2 + 1 + 5);
        assertThat(Un.abstractAddressLength(Un.MAX_ABSTRACT_NAME)).isEqualTo((int) Un.SOCKADDR_UN.byteSize());
    }

    @Test
    void ucredIs12BytesPidUidGid() {
        assertThat(Socket.UCRED.byteSize()).isEqualTo(12);
        assertThat(Socket.UCRED.byteOffset(PathElement.groupElement("pid"))).isZero();
        assertThat(Socket.UCRED.byteOffset(PathElement.groupElement("uid"))).isEqualTo(4);
        assertThat(Socket.UCRED.byteOffset(PathElement.groupElement("gid"))).isEqualTo(8);
    }

    @Test
    void pollfdIs8Bytes() {
        assertThat(Poll.POLLFD.byteSize()).isEqualTo(8);
        assertThat(Poll.POLLFD.byteOffset(PathElement.groupElement("events"))).isEqualTo(4);
        assertThat(Poll.POLLFD.byteOffset(PathElement.groupElement("revents"))).isEqualTo(6);
    }
}
