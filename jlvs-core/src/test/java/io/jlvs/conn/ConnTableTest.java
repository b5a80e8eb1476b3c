package io.jlvs.conn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.jlvs.conn.ConnTable.AF_INET;
import static io.jlvs.conn.ConnTable.AF_INET6;
import static io.jlvs.conn.ConnTable.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class ConnTableTest {
    static final int TCP = 6, UDP = 17;
    static final long MS = 1_000_000L;
    static final long T0 = 5_000_000_000L;           // the fake clock starts anywhere

    static final long CLIENT = 0xC6336407L;          // 198.51.100.7
    static final long CLIENT2 = 0xC6336408L;
    static final long VIP = 0xC000020AL;             // 192.0.2.10
    static final long RS1 = 0xCB00710BL;             // 203.0.113.11
    static final long RS2 = 0xCB00710CL;
    // 2001:db8::7, 2001:db8::10, 2001:db8:1::11
    static final long V6_HI = 0x20010DB800000000L, V6_RS_HI = 0x20010DB800010000L;

    private final List<ConnTable> tables = new ArrayList<>();

    @AfterEach
    void close() { tables.forEach(ConnTable::close); }

    ConnTable table(int v4, int v6) {
        ConnTable t = new ConnTable(v4, v6, T0);
        tables.add(t);
        return t;
    }

    ConnTable table(int v4, int v6, int wheelBits) {
        ConnTable t = new ConnTable(v4, v6, T0, wheelBits, 0x0123456789ABCDEFL, 0xFEDCBA9876543210L);
        tables.add(t);
        return t;
    }

    static int v4(ConnTable t, int proto, long ca, int cport, long va, int vport, long da, int dport, int flags, long nowNs) {
        return t.create(AF_INET, proto, 0, ca, cport, 0, va, vport, AF_INET, 0, da, dport, flags, 7, 3000, nowNs);
    }

    static int in4(ConnTable t, int proto, long ca, int cport, long va, int vport) {
        return t.lookupIn(AF_INET, proto, 0, ca, cport, 0, va, vport);
    }

    // ---------------------------------------------------------------------------------------------- lookups

    @Test
    void inLookupMatchesTheWholeKey() {
        ConnTable t = table(16, 0);
        int c = v4(t, TCP, CLIENT, 40000, VIP, 80, RS1, 8080, ConnFlags.MASQ, T0);
        assertThat(c).isNotEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 40000, VIP, 80)).isEqualTo(c);
        assertThat(in4(t, UDP, CLIENT, 40000, VIP, 80)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 40001, VIP, 80)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT2, 40000, VIP, 80)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 40000, VIP, 443)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 40000, VIP + 1, 80)).isEqualTo(NONE);
        assertThat(t.lookupIn(AF_INET6, TCP, 0, CLIENT, 40000, 0, VIP, 80)).isEqualTo(NONE);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 40000, 0, VIP, 80)).as("not a template").isEqualTo(NONE);

        assertThat(t.af(c)).isEqualTo(AF_INET);
        assertThat(t.daf(c)).isEqualTo(AF_INET);
        assertThat(t.protocol(c)).isEqualTo(TCP);
        assertThat(t.caddrLo(c)).isEqualTo(CLIENT);
        assertThat(t.caddrHi(c)).isZero();
        assertThat(t.cport(c)).isEqualTo(40000);
        assertThat(t.vaddrLo(c)).isEqualTo(VIP);
        assertThat(t.vport(c)).isEqualTo(80);
        assertThat(t.daddrLo(c)).isEqualTo(RS1);
        assertThat(t.dport(c)).isEqualTo(8080);
        assertThat(t.flags(c)).isEqualTo(ConnFlags.MASQ | ConnFlags.HASHED);
        assertThat(t.state(c)).isZero();
        assertThat(t.destId(c)).isEqualTo(7);
        assertThat(t.control(c)).isEqualTo(NONE);
        assertThat(t.nControl(c)).isZero();
        assertThat(t.timeoutMs(c)).isEqualTo(3000);
        assertThat(t.expiresInMs(c, T0)).isEqualTo(3000);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void outLookupFindsNatRepliesFromTheRealServer() {
        ConnTable t = table(16, 0);
        int nat = v4(t, TCP, CLIENT, 40000, VIP, 80, RS1, 8080, ConnFlags.MASQ, T0);
        // reply RS1:8080 -> CLIENT:40000
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS1, 8080, 0, CLIENT, 40000)).isEqualTo(nat);
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS1, 8081, 0, CLIENT, 40000)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS2, 8080, 0, CLIENT, 40000)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS1, 8080, 0, CLIENT, 40001)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET, UDP, 0, RS1, 8080, 0, CLIENT, 40000)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET, TCP, 0, VIP, 80, 0, CLIENT, 40000)).as("NAT: not from the VIP").isEqualTo(NONE);
    }

    @Test
    void outLookupOfDirectRoutingMatchesTheVirtualAddressAsTheCurrentKernel() {
        ConnTable t = table(16, 0);
        int dr = v4(t, TCP, CLIENT, 40000, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        assertThat(t.lookupOut(AF_INET, TCP, 0, VIP, 80, 0, CLIENT, 40000)).isEqualTo(dr);
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS1, 80, 0, CLIENT, 40000)).isEqualTo(NONE);
    }

    @Test
    void manyConnectionsOfOneClientAreEachFoundInBothDirections() {
        ConnTable t = table(4096, 0);
        int[] c = new int[2000];
        for (int i = 0; i < c.length; i++) c[i] = v4(t, TCP, CLIENT, 1024 + i, VIP, 80, RS1 + (i & 3), 8080, ConnFlags.MASQ, T0);
        for (int i = 0; i < c.length; i++) {
            assertThat(in4(t, TCP, CLIENT, 1024 + i, VIP, 80)).isEqualTo(c[i]);
            assertThat(t.lookupOut(AF_INET, TCP, 0, RS1 + (i & 3), 8080, 0, CLIENT, 1024 + i)).isEqualTo(c[i]);
        }
    }

    @Test
    void ipv6ConnectionsAndTemplates() {
        ConnTable t = table(4, 4);
        long ca = 7, va = 0x10, da = 0x11;
        int c = t.create(AF_INET6, TCP, V6_HI, ca, 40000, V6_HI, va, 443, AF_INET6, V6_RS_HI, da, 8443, ConnFlags.MASQ, 1, 3000, T0);
        int tpl = t.create(AF_INET6, TCP, V6_HI, ca, 0, V6_HI, va, 443, AF_INET6, V6_RS_HI, da, 8443,
                ConnFlags.TEMPLATE | ConnFlags.MASQ, 1, 360_000, T0);
        assertThat(c).isGreaterThanOrEqualTo(4);            // wide records follow the narrow ones
        assertThat(t.lookupIn(AF_INET6, TCP, V6_HI, ca, 40000, V6_HI, va, 443)).isEqualTo(c);
        assertThat(t.lookupIn(AF_INET6, TCP, V6_HI + 1, ca, 40000, V6_HI, va, 443)).isEqualTo(NONE);
        assertThat(t.lookupIn(AF_INET6, TCP, V6_HI, ca, 40000, V6_HI + 1, va, 443)).isEqualTo(NONE);
        assertThat(t.lookupIn(AF_INET, TCP, 0, ca, 40000, 0, va, 443)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET6, TCP, V6_RS_HI, da, 8443, V6_HI, ca, 40000)).isEqualTo(c);
        assertThat(t.lookupOut(AF_INET6, TCP, V6_HI, da, 8443, V6_HI, ca, 40000)).isEqualTo(NONE);
        assertThat(t.lookupTemplate(AF_INET6, TCP, V6_HI, ca, 0, V6_HI, va, 443)).isEqualTo(tpl);
        assertThat(t.lookupTemplate(AF_INET6, TCP, V6_HI, ca, 0, V6_HI, va, 80)).isEqualTo(NONE);
        assertThat(t.lookupIn(AF_INET6, TCP, V6_HI, ca, 0, V6_HI, va, 443)).as("a template is no connection").isEqualTo(NONE);
        assertThat(t.af(c)).isEqualTo(AF_INET6);
        assertThat(t.caddrHi(c)).isEqualTo(V6_HI);
        assertThat(t.caddrLo(c)).isEqualTo(ca);
        assertThat(t.vaddrHi(c)).isEqualTo(V6_HI);
        assertThat(t.daddrHi(c)).isEqualTo(V6_RS_HI);
        assertThat(t.daddrLo(c)).isEqualTo(da);
        assertThat(t.dport(c)).isEqualTo(8443);
    }

    @Test
    void ipv4ConnectionWithAnIpv6TunnelDestinationTakesAWideRecord() {
        ConnTable t = table(4, 2);
        int c = t.create(AF_INET, UDP, 0, CLIENT, 5353, 0, VIP, 53, AF_INET6, V6_RS_HI, 0x11, 53, ConnFlags.TUNNEL, 2, 3000, T0);
        assertThat(c).isEqualTo(4);
        assertThat(t.af(c)).isEqualTo(AF_INET);
        assertThat(t.daf(c)).isEqualTo(AF_INET6);
        assertThat(t.daddrHi(c)).isEqualTo(V6_RS_HI);
        assertThat(t.caddrLo(c)).isEqualTo(CLIENT);
        assertThat(in4(t, UDP, CLIENT, 5353, VIP, 53)).isEqualTo(c);
        assertThat(t.lookupOut(AF_INET, UDP, 0, VIP, 53, 0, CLIENT, 5353)).isEqualTo(c);
    }

    @Test
    void templatesMatchWithoutTheDestAndFwmarkTemplatesOnTheMark() {
        ConnTable t = table(16, 0);
        int tpl = v4(t, TCP, CLIENT, 0, VIP, 80, RS1, 8080, ConnFlags.TEMPLATE | ConnFlags.MASQ, T0);
        int conn = v4(t, TCP, CLIENT, 40000, VIP, 80, RS1, 8080, ConnFlags.MASQ, T0);
        int fw = t.create(AF_INET, ConnTable.IPPROTO_IP, 0, CLIENT, 0, 0, 42, 0, AF_INET, 0, RS2, 0,
                ConnFlags.TEMPLATE | ConnFlags.DROUTE, 3, 360_000, T0);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(tpl);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 0, 0, VIP, 81)).isEqualTo(NONE);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT2, 0, 0, VIP, 80)).isEqualTo(NONE);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 40000, 0, VIP, 80)).as("conns are no templates").isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 40000, VIP, 80)).isEqualTo(conn);
        assertThat(t.lookupFwmarkTemplate(AF_INET, 0, CLIENT, 42, 0)).isEqualTo(fw);
        assertThat(t.lookupFwmarkTemplate(AF_INET, 0, CLIENT, 43, 0)).isEqualTo(NONE);
        assertThat(t.vaddrLo(fw)).isEqualTo(42);
        assertThat(t.protocol(fw)).isZero();
    }

    @Test
    void invalidatedTemplateIsNoLongerFound() {
        ConnTable t = table(16, 0);
        int tpl = v4(t, TCP, CLIENT, 0, VIP, 80, RS1, 8080, ConnFlags.TEMPLATE, T0);
        t.invalidateTemplate(tpl);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(NONE);
        assertThat(t.vport(tpl)).isEqualTo(0xFFFF);
        assertThat(t.dport(tpl)).isEqualTo(0xFFFF);
        assertThat(t.isLive(tpl)).isTrue();
        t.remove(tpl);
        assertThat(t.size()).isZero();
    }

    @Test
    void noCportConnectionMatchesAnyClientPortUntilFilled() {
        ConnTable t = table(16, 0);
        // FTP passive data: the client will connect from a port we do not know yet
        int data = v4(t, TCP, CLIENT, 0, VIP, 30000, RS1, 30000, ConnFlags.MASQ | ConnFlags.NO_CPORT, T0);
        assertThat(in4(t, TCP, CLIENT, 50123, VIP, 30000)).isEqualTo(data);
        assertThat(in4(t, TCP, CLIENT, 50999, VIP, 30000)).isEqualTo(data);
        assertThat(in4(t, TCP, CLIENT, 50123, VIP, 30001)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT2, 50123, VIP, 30000)).isEqualTo(NONE);
        // an exact connection wins over the wildcard
        int exact = v4(t, TCP, CLIENT, 50555, VIP, 30000, RS2, 30000, ConnFlags.MASQ, T0);
        assertThat(in4(t, TCP, CLIENT, 50555, VIP, 30000)).isEqualTo(exact);

        t.fillCport(data, 50123);
        assertThat(t.flags(data) & ConnFlags.NO_CPORT).isZero();
        assertThat(t.cport(data)).isEqualTo(50123);
        assertThat(in4(t, TCP, CLIENT, 50123, VIP, 30000)).isEqualTo(data);
        assertThat(in4(t, TCP, CLIENT, 50999, VIP, 30000)).isEqualTo(NONE);
        assertThat(t.lookupOut(AF_INET, TCP, 0, RS1, 30000, 0, CLIENT, 50123)).isEqualTo(data);
    }

    @Test
    void oneShotConnectionsAreNotHashed() {
        ConnTable t = table(16, 0);
        int c = t.create(AF_INET, UDP, 0, CLIENT, 5000, 0, VIP, 53, AF_INET, 0, RS1, 53, ConnFlags.ONE_PACKET, 1, 0, T0);
        assertThat(c).isNotEqualTo(NONE);
        assertThat(in4(t, UDP, CLIENT, 5000, VIP, 53)).isEqualTo(NONE);
        assertThat(t.flags(c) & ConnFlags.HASHED).isZero();
        assertThat(t.size()).isEqualTo(1);
        List<Integer> expired = new ArrayList<>();
        t.expire(T0, 100, x -> expired.add(x));
        assertThat(expired).containsExactly(c);
        assertThat(t.size()).isZero();
    }

    // --------------------------------------------------------------------------------------------- capacity

    @Test
    void fullTableRefusesAndCountsAndKeepsWhatItHas() {
        ConnTable t = table(4, 0);
        int[] c = new int[4];
        for (int i = 0; i < 4; i++) c[i] = v4(t, TCP, CLIENT, 1000 + i, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        assertThat(v4(t, TCP, CLIENT, 2000, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0)).isEqualTo(NONE);
        assertThat(v4(t, TCP, CLIENT, 2001, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0)).isEqualTo(NONE);
        assertThat(t.fullDrops()).isEqualTo(2);
        assertThat(t.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) assertThat(in4(t, TCP, CLIENT, 1000 + i, VIP, 80)).isEqualTo(c[i]);
        assertThat(in4(t, TCP, CLIENT, 2000, VIP, 80)).isEqualTo(NONE);
        t.remove(c[2]);
        int again = v4(t, TCP, CLIENT, 2000, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        assertThat(again).isEqualTo(c[2]);
        assertThat(in4(t, TCP, CLIENT, 2000, VIP, 80)).isEqualTo(again);
        assertThat(in4(t, TCP, CLIENT, 1002, VIP, 80)).isEqualTo(NONE);
    }

    @Test
    void ipv4SpillsIntoWideRecordsButIpv6NeverTakesNarrowOnes() {
        ConnTable t = table(2, 2);
        int[] c = new int[4];
        for (int i = 0; i < 4; i++) c[i] = v4(t, TCP, CLIENT, 1000 + i, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        assertThat(c).containsExactly(0, 1, 2, 3);
        for (int i = 0; i < 4; i++) assertThat(in4(t, TCP, CLIENT, 1000 + i, VIP, 80)).isEqualTo(c[i]);
        assertThat(t.caddrLo(c[3])).isEqualTo(CLIENT);
        assertThat(t.af(c[3])).isEqualTo(AF_INET);
        t.remove(c[0]);
        assertThat(t.create(AF_INET6, TCP, V6_HI, 1, 1, V6_HI, 2, 80, AF_INET6, V6_HI, 3, 80, 0, 0, 1000, T0)).isEqualTo(NONE);
        assertThat(t.fullDrops()).isEqualTo(1);
        t.remove(c[3]);
        assertThat(t.create(AF_INET6, TCP, V6_HI, 1, 1, V6_HI, 2, 80, AF_INET6, V6_HI, 3, 80, 0, 0, 1000, T0)).isEqualTo(3);
    }

    @Test
    void removalKeepsEveryOtherEntryFindable() {
        ConnTable t = table(64, 0);
        int n = 64;
        int[] c = new int[n];
        for (int i = 0; i < n; i++) c[i] = v4(t, UDP, CLIENT + (i % 5), 2000 + i, VIP, 53, RS1, 53, ConnFlags.MASQ, T0);
        for (int i = 0; i < n; i += 3) t.remove(c[i]);
        for (int i = 0; i < n; i++) {
            int expect = i % 3 == 0 ? NONE : c[i];
            assertThat(in4(t, UDP, CLIENT + (i % 5), 2000 + i, VIP, 53)).as("conn %d", i).isEqualTo(expect);
        }
        t.remove(c[1]);
        t.remove(c[1]);                                   // twice: the second does nothing
        assertThat(t.size()).isEqualTo(n - (n + 2) / 3 - 1);
    }

    @Test
    void tablesDrawTheirOwnHashKeys() {
        ConnTable a = table(1, 0), b = table(1, 0);
        assertThat(a.hashKey0() != b.hashKey0() || a.hashKey1() != b.hashKey1()).isTrue();
        assertThat(a.hashKey0() | a.hashKey1()).isNotZero();
    }

    @Test
    void hashIsSipHash13OfTheDocumentedMessage() {
        // the kernel's hsiphash on 64-bit is SipHash-1-3 folded to 32 bits; checked against its vectors in HalfSipHashTest
        long k0 = 0x0706050403020100L, k1 = 0x0f0e0d0c0b0a0908L;
        byte[] m4 = le(0xC6336407L | 40000L << 32 | (long) TCP << 48 | (long) AF_INET << 56);
        assertThat((int) ConnHash.hash(k0, k1, AF_INET, TCP, 0, 0xC6336407L, 40000))
                .isEqualTo(io.jlvs.sched.HalfSipHash.hsiphash(m4, 8, k0, k1));
        byte[] m6 = new byte[24];
        System.arraycopy(le(V6_HI), 0, m6, 0, 8);
        System.arraycopy(le(7L), 0, m6, 8, 8);
        System.arraycopy(le(443L | (long) TCP << 16 | (long) AF_INET6 << 24), 0, m6, 16, 8);
        assertThat((int) ConnHash.hash(k0, k1, AF_INET6, TCP, V6_HI, 7, 443))
                .isEqualTo(io.jlvs.sched.HalfSipHash.hsiphash(m6, 24, k0, k1));
    }

    static byte[] le(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }

    // ------------------------------------------------------------------------------------------ control

    @Test
    void removedControllerStaysAZombieUntilItsConnectionsLetGo() {
        ConnTable t = table(4, 0);
        int tpl = v4(t, TCP, CLIENT, 0, VIP, 80, RS1, 80, ConnFlags.TEMPLATE | ConnFlags.DROUTE, T0);
        int a = v4(t, TCP, CLIENT, 1000, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        int b = v4(t, TCP, CLIENT, 1001, VIP, 80, RS1, 80, ConnFlags.DROUTE, T0);
        t.controlAdd(a, tpl);
        t.controlAdd(b, tpl);
        assertThat(t.nControl(tpl)).isEqualTo(2);
        assertThat(t.control(a)).isEqualTo(tpl);

        t.remove(tpl);
        assertThat(t.lookupTemplate(AF_INET, TCP, 0, CLIENT, 0, 0, VIP, 80)).isEqualTo(NONE);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.zombies()).isEqualTo(1);
        int other = v4(t, TCP, CLIENT2, 0, VIP, 80, RS1, 80, ConnFlags.TEMPLATE, T0);
        assertThat(other).isNotEqualTo(tpl);               // the zombie's record is not reused
        assertThat(v4(t, TCP, CLIENT2, 1, VIP, 80, RS1, 80, 0, T0)).isEqualTo(NONE);

        t.remove(a);
        assertThat(t.nControl(tpl)).isEqualTo(1);
        assertThat(t.zombies()).isEqualTo(1);
        t.remove(b);
        assertThat(t.zombies()).isZero();
        assertThat(v4(t, TCP, CLIENT2, 1, VIP, 80, RS1, 80, 0, T0)).isNotEqualTo(NONE);
    }

    @Test
    void controlAddMovesAConnectionBetweenControllers() {
        ConnTable t = table(4, 0);
        int t1 = v4(t, TCP, CLIENT, 0, VIP, 80, RS1, 80, ConnFlags.TEMPLATE, T0);
        int t2 = v4(t, TCP, CLIENT2, 0, VIP, 80, RS1, 80, ConnFlags.TEMPLATE, T0);
        int c = v4(t, TCP, CLIENT, 1000, VIP, 80, RS1, 80, 0, T0);
        t.controlAdd(c, t1);
        t.controlAdd(c, t2);
        assertThat(t.nControl(t1)).isZero();
        assertThat(t.nControl(t2)).isEqualTo(1);
        t.controlDel(c);
        assertThat(t.nControl(t2)).isZero();
        assertThat(t.control(c)).isEqualTo(NONE);
    }

    @Test
    void unhashedConnectionLeavesTheKeyToANewOneAndStillExpires() {
        ConnTable t = table(8, 0);
        int old = v4(t, TCP, CLIENT, 21, VIP, 21, RS1, 21, ConnFlags.MASQ, T0);
        int data = v4(t, TCP, CLIENT, 1025, VIP, 20, RS1, 20, ConnFlags.MASQ, T0);
        t.controlAdd(data, old);                                  // old controls a data connection
        t.unhash(old);
        assertThat(in4(t, TCP, CLIENT, 21, VIP, 21)).isEqualTo(NONE);
        assertThat(t.isLive(old)).isTrue();
        assertThat(t.nControl(old)).isEqualTo(1);
        int fresh = v4(t, TCP, CLIENT, 21, VIP, 21, RS2, 21, ConnFlags.MASQ, T0);
        assertThat(in4(t, TCP, CLIENT, 21, VIP, 21)).isEqualTo(fresh);
        t.unhash(old);                                            // twice: no effect
        Recorder r = new Recorder();
        t.remove(data);
        t.expire(T0 + 4000 * MS, 100, r);                         // both 3 s connections time out
        assertThat(r.seen).containsExactlyInAnyOrder(old, fresh);
        assertThat(t.size()).isZero();
    }

    // ---------------------------------------------------------------------------------------------- expiry

    /** Records what expired and expires everything it is offered. */
    static final class Recorder implements ExpiryHandler {
        final List<Integer> seen = new ArrayList<>();
        @Override public boolean onExpire(int conn) { seen.add(conn); return true; }
    }

    @Test
    void exactlyWhatTimedOutIsRemoved() {
        ConnTable t = table(64, 0);
        int[] c = new int[20];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.create(AF_INET, TCP, 0, CLIENT, 1000 + i, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000 * (i + 1), T0);
        }
        Recorder r = new Recorder();
        assertThat(t.expire(T0 + 999 * MS, 1000, r)).isZero();
        assertThat(r.seen).isEmpty();
        t.expire(T0 + 1000 * MS, 1000, r);
        assertThat(r.seen).containsExactly(c[0]);
        t.expire(T0 + 5500 * MS, 1000, r);
        assertThat(r.seen).containsExactlyInAnyOrder(c[0], c[1], c[2], c[3], c[4]);
        assertThat(in4(t, TCP, CLIENT, 1004, VIP, 80)).isEqualTo(NONE);
        assertThat(in4(t, TCP, CLIENT, 1005, VIP, 80)).isEqualTo(c[5]);
        assertThat(t.size()).isEqualTo(15);
        t.expire(T0 + 20_000 * MS, 1000, r);
        assertThat(t.size()).isZero();
        assertThat(r.seen).hasSize(20);
    }

    @Test
    void refreshedConnectionsSurviveAndExpireAfterTheirLastPacket() {
        ConnTable t = table(8, 0);
        int busy = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 10_000, T0);
        int idle = t.create(AF_INET, TCP, 0, CLIENT, 2, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 10_000, T0);
        Recorder r = new Recorder();
        for (long ms = 1000; ms <= 30_000; ms += 1000) {
            t.refresh(busy, T0 + ms * MS);
            t.expire(T0 + ms * MS, 100, r);
        }
        assertThat(r.seen).containsExactly(idle);
        assertThat(t.isLive(busy)).isTrue();
        t.expire(T0 + 39_999 * MS, 100, r);
        assertThat(r.seen).containsExactly(idle);
        t.expire(T0 + 40_000 * MS, 100, r);
        assertThat(r.seen).containsExactly(idle, busy);
    }

    @Test
    void shorterTimeoutMovesTheTimerEarlier() {
        ConnTable t = table(8, 0);
        int c = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 900_000, T0);
        t.timeout(c, 10_000);                              // e.g. the connection moved to CLOSE
        t.refresh(c, T0 + 5_000 * MS);
        Recorder r = new Recorder();
        t.expire(T0 + 14_999 * MS, 100, r);
        assertThat(r.seen).isEmpty();
        t.expire(T0 + 15_000 * MS, 100, r);
        assertThat(r.seen).containsExactly(c);
    }

    @Test
    void expireRespectsItsLimit() {
        ConnTable t = table(100, 0);
        for (int i = 0; i < 100; i++) t.create(AF_INET, UDP, 0, CLIENT, i, 0, VIP, 53, AF_INET, 0, RS1, 53, 0, 0, 1000, T0);
        Recorder r = new Recorder();
        assertThat(t.expire(T0 + 2000 * MS, 30, r)).isEqualTo(30);
        assertThat(r.seen).hasSize(30);
        assertThat(t.size()).isEqualTo(70);
        assertThat(t.expire(T0 + 2000 * MS, 30, r)).isEqualTo(30);
        assertThat(t.expire(T0 + 2000 * MS, 30, r)).isEqualTo(30);
        assertThat(t.expire(T0 + 2000 * MS, 30, r)).isEqualTo(10);
        assertThat(t.expire(T0 + 2000 * MS, 30, r)).isZero();
        assertThat(r.seen).hasSize(100).doesNotHaveDuplicates();
        assertThat(t.size()).isZero();
    }

    @Test
    void aReusedRecordIsNotExpiredByItsFormerTimer() {
        ConnTable t = table(1, 0);
        int a = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000, T0);
        t.remove(a);
        int b = t.create(AF_INET, TCP, 0, CLIENT, 2, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 5000, T0 + 100 * MS);
        assertThat(b).isEqualTo(a);                        // same record
        Recorder r = new Recorder();
        t.expire(T0 + 1500 * MS, 100, r);
        assertThat(r.seen).isEmpty();
        assertThat(in4(t, TCP, CLIENT, 2, VIP, 80)).isEqualTo(b);
        t.expire(T0 + 5100 * MS, 100, r);
        assertThat(r.seen).containsExactly(b);
    }

    @Test
    void handlerKeepsATemplateWhileItControlsConnectionsAsIpvsDoes() {
        ConnTable t = table(8, 0);
        int tpl = t.create(AF_INET, TCP, 0, CLIENT, 0, 0, VIP, 80, AF_INET, 0, RS1, 80, ConnFlags.TEMPLATE, 0, 360_000, T0);
        int conn = t.create(AF_INET, TCP, 0, CLIENT, 1000, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 900_000, T0);
        t.controlAdd(conn, tpl);
        List<Integer> seen = new ArrayList<>();
        ExpiryHandler ipvs = c -> {                        // ip_vs_conn_expire: "do I control anybody?"
            seen.add(c);
            if (t.nControl(c) > 0) {
                t.timeout(c, 60_000);
                return false;
            }
            return true;
        };
        t.expire(T0 + 360_000 * MS, 100, ipvs);
        assertThat(seen).containsExactly(tpl);
        assertThat(t.isLive(tpl)).isTrue();
        assertThat(t.expiresInMs(tpl, T0 + 360_000 * MS)).isEqualTo(60_000);
        t.expire(T0 + 419_999 * MS, 100, ipvs);
        assertThat(seen).containsExactly(tpl);
        t.expire(T0 + 420_000 * MS, 100, ipvs);
        assertThat(seen).containsExactly(tpl, tpl);
        for (long ms = 480_000; ms <= 900_000; ms += 60_000) t.expire(T0 + ms * MS, 100, ipvs);
        // retried every 60 s until the connection expired at 900 s (after the template's retry of that tick)
        assertThat(seen).hasSize(11).endsWith(tpl, conn);
        assertThat(seen.subList(0, 10)).containsOnly(tpl);
        assertThat(t.nControl(tpl)).isZero();
        t.expire(T0 + 960_000 * MS, 100, ipvs);
        assertThat(seen).hasSize(12).endsWith(tpl);
        assertThat(t.size()).isZero();
    }

    @Test
    void handlerMayRemoveConnectionsItself() {
        ConnTable t = table(8, 0);
        int[] c = new int[4];
        for (int i = 0; i < 4; i++) c[i] = t.create(AF_INET, TCP, 0, CLIENT, i, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000, T0);
        List<Integer> seen = new ArrayList<>();
        ExpiryHandler h = x -> {                           // the first one offered takes every other one with it
            seen.add(x);
            for (int y : c) t.remove(y);
            return true;
        };
        assertThat(t.expire(T0 + 1000 * MS, 100, h)).isEqualTo(1);
        assertThat(seen).hasSize(1);
        assertThat(t.size()).isZero();
        int reused = t.create(AF_INET, TCP, 0, CLIENT, 9, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000, T0 + 1000 * MS);
        t.expire(T0 + 1999 * MS, 100, h);
        assertThat(seen).hasSize(1);
        assertThat(t.isLive(reused)).isTrue();
    }

    @Test
    void deadlinesMoreThanATurnAwayWaitForTheirTurn() {
        ConnTable t = table(8, 0, 4);                      // 16 buckets of 1 ms: a turn is 16 ms
        int c = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000, T0);
        Recorder r = new Recorder();
        for (long ms = 1; ms < 1000; ms++) t.expire(T0 + ms * MS, 10, r);
        assertThat(r.seen).isEmpty();
        t.expire(T0 + 1000 * MS, 10, r);
        assertThat(r.seen).containsExactly(c);
    }

    @Test
    void aLongPauseIsCaughtUpInOneSweep() {
        ConnTable t = table(64, 0, 4);
        for (int i = 0; i < 50; i++) t.create(AF_INET, TCP, 0, CLIENT, i, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 100 + 37 * i, T0);
        Recorder r = new Recorder();
        t.expire(T0 + 1_000_000 * MS, 1000, r);
        assertThat(r.seen).hasSize(50);
    }

    @Test
    void expireNowIsHandledByTheNextPoll() {
        ConnTable t = table(8, 0);
        int c = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 900_000, T0);
        Recorder r = new Recorder();
        t.expire(T0 + 10 * MS, 10, r);
        t.expireNow(c, T0 + 10 * MS);
        t.expire(T0 + 10 * MS, 10, r);
        assertThat(r.seen).containsExactly(c);
    }

    @Test
    void clockWrapsAfter24Days() {
        ConnTable t = table(8, 0);
        long late = T0 + (1L << 31) * MS - 500 * MS;       // just before the millisecond clock wraps
        Recorder r = new Recorder();
        t.expire(late, 10, r);
        int c = t.create(AF_INET, TCP, 0, CLIENT, 1, 0, VIP, 80, AF_INET, 0, RS1, 80, 0, 0, 1000, late);
        t.expire(late + 999 * MS, 10, r);
        assertThat(r.seen).isEmpty();
        t.expire(late + 1000 * MS, 10, r);
        assertThat(r.seen).containsExactly(c);
    }

    // --------------------------------------------------------------------------------------- whole table

    @Test
    void forEachListsAndFlushEmpties() {
        ConnTable t = table(8, 2);
        for (int i = 0; i < 5; i++) v4(t, TCP, CLIENT, i, VIP, 80, RS1, 80, 0, T0);
        t.create(AF_INET6, TCP, V6_HI, 1, 1, V6_HI, 2, 80, AF_INET6, V6_HI, 3, 80, 0, 0, 1000, T0);
        List<Integer> all = new ArrayList<>();
        t.forEach(all::add);
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 8);
        List<Integer> told = new ArrayList<>();
        t.flush(c -> told.add(c) && false);
        assertThat(told).containsExactly(0, 1, 2, 3, 4, 8);
        assertThat(t.size()).isZero();
        assertThat(in4(t, TCP, CLIENT, 1, VIP, 80)).isEqualTo(NONE);
        Recorder r = new Recorder();
        t.expire(T0 + 10_000 * MS, 100, r);
        assertThat(r.seen).isEmpty();
        assertThat(v4(t, TCP, CLIENT, 1, VIP, 80, RS1, 80, 0, T0)).isEqualTo(0);
    }

    @Test
    void flagsKeepWhatTheTableManages() {
        ConnTable t = table(8, 0);
        int c = v4(t, TCP, CLIENT, 0, VIP, 80, RS1, 80, ConnFlags.NO_CPORT | ConnFlags.INACTIVE, T0);
        t.flags(c, ConnFlags.DROUTE);
        assertThat(t.flags(c)).isEqualTo(ConnFlags.DROUTE | ConnFlags.HASHED | ConnFlags.NO_CPORT);
        t.state(c, 11);
        assertThat(t.state(c)).isEqualTo(11);
        t.destId(c, 99);
        assertThat(t.destId(c)).isEqualTo(99);
        for (int i = 0; i < 65_537; i++) t.incInPkts(c);
        assertThat(t.inPkts(c)).isEqualTo(1);
    }

    @Test
    void badCapacityIsRefusedWithTheNumbers() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConnTable(0, 0, 0))
                .hasMessageContaining("capacity 0 + 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConnTable(1 << 30, 0, 0))
                .hasMessageContaining("out of range");
    }

    // ----------------------------------------------------------------------------------------- allocation

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void theDataPathDoesNotAllocate() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        ConnTable t = table(8192, 8192);
        ExpiryHandler all = c -> true;
        long now = T0;
        int hits = 0;
        for (int round = 0; round < 30; round++) {
            if (round == 10) allocatedBytes();                         // warm the MXBean path too
            long before = allocatedBytes();
            for (int i = 0; i < 4096; i++) {
                int c = v4(t, TCP, CLIENT + i, 1000 + i, VIP, 80, RS1, 8080, ConnFlags.MASQ, now);
                t.create(AF_INET6, TCP, V6_HI, i, 1000 + i, V6_HI, 0x10, 443, AF_INET6, V6_RS_HI, 0x11, 443, 0, 1, 500, now);
                if (in4(t, TCP, CLIENT + i, 1000 + i, VIP, 80) == c) hits++;
                if (t.lookupOut(AF_INET, TCP, 0, RS1, 8080, 0, CLIENT + i, 1000 + i) == c) hits++;
                if (t.lookupIn(AF_INET6, TCP, V6_HI, i, 1000 + i, V6_HI, 0x10, 443) != NONE) hits++;
                t.lookupTemplate(AF_INET, TCP, 0, CLIENT + i, 0, 0, VIP, 80);
                t.refresh(c, now);
                if ((i & 1) == 0) t.remove(c);
            }
            now += 10_000 * MS;
            while (t.expire(now, 1000, all) > 0) { /* drain */ }
            long bytes = allocatedBytes() - before;
            if (round >= 20) assertThat(bytes).as("round %d: bytes allocated", round).isLessThan(1024);
        }
        assertThat(hits).isEqualTo(30 * 4096 * 3);
        assertThat(t.size()).isZero();
    }
}
