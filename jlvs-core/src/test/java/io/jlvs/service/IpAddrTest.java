package io.jlvs.service;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddrTest {

    @Test
    void parsesAndFormatsIpv4() {
        assertThat(IpAddr.parse("192.0.2.1").toString()).isEqualTo("192.0.2.1");
        assertThat(IpAddr.parse("192.0.2.1").v4()).isEqualTo(0xC0000201);
        assertThat(IpAddr.parse("256.0.0.1")).isNull();
        assertThat(IpAddr.parse("1.2.3")).isNull();
        assertThat(IpAddr.parse("1.2.3.4.5")).isNull();
        assertThat(IpAddr.parse("01.2.3.4")).isNull();
        assertThat(IpAddr.parse("1..3.4")).isNull();
    }

    @Test
    void formatsIpv6AsInetNtop() {
        assertThat(IpAddr.parse("2001:db8:0:0:0:0:0:1").toString()).isEqualTo("2001:db8::1");
        assertThat(IpAddr.parse("::").toString()).isEqualTo("::");
        assertThat(IpAddr.parse("::1").toString()).isEqualTo("::1");
        assertThat(IpAddr.parse("2001:db8:0:1:0:0:0:0").toString()).isEqualTo("2001:db8:0:1::");
        assertThat(IpAddr.parse("2001:0:0:1:0:0:0:1").toString()).isEqualTo("2001:0:0:1::1");
        assertThat(IpAddr.parse("2001:db8:1:2:3:4:5:6").toString()).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(IpAddr.parse("2001:db8:0:2:3:4:5:6").toString()).isEqualTo("2001:db8:0:2:3:4:5:6");
        assertThat(IpAddr.parse("::ffff:192.0.2.1").toString()).isEqualTo("::ffff:192.0.2.1");
        assertThat(IpAddr.parse("::192.0.2.1").toString()).isEqualTo("::192.0.2.1");
        assertThat(IpAddr.parse("2001:db8::1::2")).isNull();
        assertThat(IpAddr.parse("2001:db8:::1")).isNull();
        assertThat(IpAddr.parse(":1")).isNull();
        assertThat(IpAddr.parse("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(IpAddr.parse("12345::1")).isNull();
    }

    @Property
    void v6RoundTripsThroughJdkParser(@ForAll long hi, @ForAll long lo) throws Exception {
        IpAddr a = IpAddr.v6(hi, lo);
        String text = a.toString();
        assertThat(IpAddr.parse(text)).isEqualTo(a);
        assertThat(IpAddr.of(InetAddress.getByName(text).getAddress())).isEqualTo(a);
        assertThat(IpAddr.of(a.bytes())).isEqualTo(a);
    }

    @Property
    void v4RoundTrips(@ForAll int v) {
        IpAddr a = IpAddr.v4(v);
        assertThat(IpAddr.parse(a.toString())).isEqualTo(a);
        assertThat(IpAddr.of(a.bytes())).isEqualTo(a);
    }

    @Test
    void hexFormNeverUsesADottedTail() {
        assertThat(IpAddr.parse("::ffff:192.0.2.1").hexForm()).isEqualTo("::ffff:c000:201");
        assertThat(IpAddr.parse("::192.0.2.1").hexForm()).isEqualTo("::c000:201");
        assertThat(IpAddr.parse("2001:db8::1").hexForm()).isEqualTo("2001:db8::1");
        assertThat(IpAddr.parse("192.0.2.1").hexForm()).isEqualTo("192.0.2.1");
    }

    @Test
    void foldIsXorOfWordsForIpv6() {
        IpAddr a = IpAddr.parse("2001:db8::1:2");
        assertThat(a.fold()).isEqualTo(0x20010db8 ^ 0 ^ 0 ^ 0x00010002);
        assertThat(IpAddr.parse("192.0.2.1").fold()).isEqualTo(0xC0000201);
    }
}
