package io.jlvs.conn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConnTable#lookupTemplate(int, int, long, long, int, long, long, int, java.util.function.IntPredicate)}: ct_match. */
class ConnTableTemplateMatchTest {
    static final int AF = ConnTable.AF_INET, UDP = 17;
    static final long CLIENT = 0xC6336407L, VIP = 0xC000020AL, RS = 0xCB00710BL;

    @Test
    void theMatcherPicksAmongTemplatesWithTheSameKey() {
        try (ConnTable t = new ConnTable(16, 0, 0)) {
            int a = t.create(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, AF, 0, RS, 5060, ConnFlags.TEMPLATE, 1, 60_000, 0);
            int b = t.create(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, AF, 0, RS, 5060, ConnFlags.TEMPLATE, 2, 60_000, 0);
            int other = t.create(AF, UDP, 0, CLIENT, 78, 0, VIP, 5060, AF, 0, RS, 5060, ConnFlags.TEMPLATE, 3, 60_000, 0);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, c -> c == b)).isEqualTo(b);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, c -> c == a)).isEqualTo(a);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, c -> c == other)).isEqualTo(ConnTable.NONE);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, c -> false)).isEqualTo(ConnTable.NONE);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, null)).isIn(a, b);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 0, 0, VIP, 5060, c -> true)).isEqualTo(ConnTable.NONE);
            // a connection with the same addresses is never offered to the matcher
            int conn = t.create(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, AF, 0, RS, 5060, 0, 4, 60_000, 0);
            assertThat(t.lookupTemplate(AF, UDP, 0, CLIENT, 77, 0, VIP, 5060, c -> c == conn)).isEqualTo(ConnTable.NONE);
        }
    }

    @Test
    void fwmarkTemplatesAreFoundWithProtocolIpAndTheMarkAsAddress() {
        try (ConnTable t = new ConnTable(16, 0, 0)) {
            int tpl = t.create(AF, ConnTable.IPPROTO_IP, 0, CLIENT, 9, 0, 7, 0, AF, 0, RS, 0, ConnFlags.TEMPLATE, 1, 60_000, 0);
            assertThat(t.lookupTemplate(AF, ConnTable.IPPROTO_IP, 0, CLIENT, 9, 0, 7, 0, c -> true)).isEqualTo(tpl);
            assertThat(t.lookupFwmarkTemplate(AF, 0, CLIENT, 7, 0)).isEqualTo(ConnTable.NONE);   // cport 0 only
        }
    }
}
