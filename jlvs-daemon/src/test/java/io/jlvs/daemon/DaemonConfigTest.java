package io.jlvs.daemon;

import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonConfigTest {
    @Test
    void readsEveryKey() {
        DaemonConfig c = DaemonConfig.parse(List.of(
                "# production director",
                "interface d0",
                "interface d1   # inside",
                "address 198.51.100.1",
                "address 2001:db8:1::1",
                "threads 2",
                "socket jlvsd-prod",
                "metrics 127.0.0.1:9116",
                "conn-table 4194304",
                "admin-group 27",
                "keepalived /etc/keepalived/keepalived.conf"), "jlvsd.conf");
        assertThat(c.interfaces()).containsExactly("d0", "d1");
        assertThat(c.addresses()).containsExactly(IpAddr.parse("198.51.100.1"), IpAddr.parse("2001:db8:1::1"));
        assertThat(c.threads()).isEqualTo(2);
        assertThat(c.socket()).isEqualTo("jlvsd-prod");
        assertThat(c.connTable()).isEqualTo(4194304);
        assertThat(c.adminGroup()).isEqualTo(27);
        assertThat(c.keepalived()).hasToString("/etc/keepalived/keepalived.conf");
    }

    @Test
    void emptyFileMeansDefaults() {
        assertThat(DaemonConfig.parse(List.of("", "  # nothing"), "f")).isEqualTo(DaemonConfig.defaults());
    }

    @Test
    void errorsNameFileLineAndToken() {
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("interface d0", "threds 2"), "j.conf"))
                .hasMessageStartingWith("j.conf:2: unknown key 'threds'");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("threads 0"), "j.conf")).hasMessage("j.conf:1: 'threads' must be 1..64, not 0");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("threads two"), "j.conf")).hasMessage("j.conf:1: 'threads' wants a number, not 'two'");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("address 192.0.2.300"), "j.conf")).hasMessage("j.conf:1: bad address '192.0.2.300'");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("interface a;b"), "j.conf")).hasMessage("j.conf:1: bad interface name 'a;b'");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("interface d0 d1"), "j.conf")).hasMessage("j.conf:1: 'interface' takes exactly one value");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("threads 1", "threads 2"), "j.conf")).hasMessage("j.conf:2: 'threads' given twice");
        assertThatThrownBy(() -> DaemonConfig.parse(List.of("interface d0", "interface d0"), "j.conf")).hasMessage("j.conf:2: interface 'd0' given twice");
    }
}
