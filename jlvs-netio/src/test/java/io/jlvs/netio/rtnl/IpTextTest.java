package io.jlvs.netio.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpTextTest {

    private static String f(String literal) {
        return IpText.format(InetAddress.ofLiteral(literal));
    }

    @Test
    void rfc5952() {
        assertThat(f("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(f("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(f("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThat(f("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(f("1:0:0:2:0:0:3:4")).isEqualTo("1::2:0:0:3:4");
        assertThat(f("1:2:3:4:5:6:7:0")).isEqualTo("1:2:3:4:5:6:7:0");
        assertThat(f("1:0:2:3:4:5:6:7")).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(f("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(f("2001:DB8:1:0:0:0:0:ABCD")).isEqualTo("2001:db8:1::abcd");
        assertThat(f("192.0.2.1")).isEqualTo("192.0.2.1");
    }
}
