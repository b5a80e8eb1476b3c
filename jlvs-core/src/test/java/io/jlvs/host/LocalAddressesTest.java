package io.jlvs.host;

import io.jlvs.packet.Flow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jlvs.host.HostNet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalAddressesTest {
    final LocalAddresses a = HostNet.tables().addresses();

    @Test
    void hostAndOwnedAddresses() {
        assertThat(a.isLocal(Flow.AF_INET, 0, lo(DIRECTOR))).isTrue();
        assertThat(a.isHost(Flow.AF_INET, 0, lo(DIRECTOR))).isTrue();
        assertThat(a.isLocal(Flow.AF_INET, 0, lo(VIP))).isTrue();
        assertThat(a.isHost(Flow.AF_INET, 0, lo(VIP))).isFalse();
        assertThat(a.isLocal(Flow.AF_INET, 0, lo(RS1))).isFalse();
        assertThat(a.isLocal(Flow.AF_INET6, hi(VIP6), lo(VIP6))).isTrue();
        assertThat(a.isLocal(Flow.AF_INET6, 0, lo(VIP))).as("the family is part of the key").isFalse();
    }

    @Test
    void ownedOnAnInterfaceOrOnAll() {
        assertThat(a.ownedOn(Flow.AF_INET, 0, lo(VIP), ETH0)).isEqualTo(LocalAddresses.VIP);
        assertThat(a.ownedOn(Flow.AF_INET, 0, lo(VIP), ETH1)).isEqualTo(LocalAddresses.VIP);
        assertThat(a.ownedOn(Flow.AF_INET, 0, lo(NATGW), ETH1)).isEqualTo(LocalAddresses.NAT_GATEWAY);
        assertThat(a.ownedOn(Flow.AF_INET, 0, lo(NATGW), ETH0)).isEqualTo(LocalAddresses.NOT_OWNED);
        assertThat(a.ownedOn(Flow.AF_INET6, hi(VIP6), lo(VIP6), ETH1)).isEqualTo(LocalAddresses.NOT_OWNED);
        assertThat(a.ownedOn(Flow.AF_INET, 0, lo(DIRECTOR), ETH0)).as("the kernel answers for its own").isEqualTo(LocalAddresses.NOT_OWNED);
    }

    @Test
    void sourceAddresses() {
        int s = a.source(ETH1, Flow.AF_INET);
        assertThat(a.slotLo(s)).isEqualTo(lo(DIRECTOR_IN));
        s = a.source(ETH0, Flow.AF_INET6);
        assertThat(a.slotHi(s)).as("global before link-local").isEqualTo(hi(DIRECTOR6));
        s = a.source(ETH2, Flow.AF_INET);
        assertThat(a.slotLo(s)).as("an interface without addresses: the first of the host").isEqualTo(lo("127.0.0.1"));
        s = a.linkLocal(ETH1);
        assertThat(a.slotLo(s)).isEqualTo(lo(LL1));
        assertThat(a.linkLocal(ETH2)).isNegative();
        assertThat(LocalAddresses.EMPTY.source(ETH0, Flow.AF_INET)).isNegative();

        LocalAddresses onlyLinkLocal = LocalAddresses.of(List.of(new HostAddress(ETH1, ip(LL1), 64)), List.of());
        assertThat(onlyLinkLocal.slotLo(onlyLinkLocal.source(ETH1, Flow.AF_INET6))).isEqualTo(lo(LL1));
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> new HostAddress(0, ip(DIRECTOR), 24)).hasMessageContaining("interface index 0");
        assertThatThrownBy(() -> new HostAddress(1, ip(DIRECTOR), 33)).hasMessageContaining("prefix length 33");
        assertThatThrownBy(() -> new OwnedAddress(-1, ip(VIP), OwnedAddress.Kind.VIP)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Link(1, "x", 1L << 48, 1500, true)).hasMessageContaining("wider than 48 bits");
        assertThatThrownBy(() -> Links.of(new Link(1, "a", 0, 1500, true), new Link(1, "b", 0, 1500, true))).hasMessageContaining("twice");
    }
}
