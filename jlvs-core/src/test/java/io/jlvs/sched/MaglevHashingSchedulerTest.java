package io.jlvs.sched;

import io.jlvs.packet.Flow;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Map;

import static io.jlvs.sched.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class MaglevHashingSchedulerTest {

    static final long K1 = 2654435761L, K2 = 2654446892L;

    /**
     * The Maglev populate of the paper (section 3.4, pseudo-code 1), written out plainly from the ip_vs_mh.c rules:
     * full permutation lists, offset/skip from the byte form of hsiphash, turns from last_weight / gcd >> rshift.
     */
    static RealServer[] reference(RealServer[] dests, int svcAf, int m, int tabBits, boolean bits64) {
        RealServer[] entry = new RealServer[m];
        BigInteger g = BigInteger.ZERO;
        int max = 0;
        for (RealServer d : dests) {
            if (d.lastWeight() > 0) g = g.gcd(BigInteger.valueOf(d.lastWeight()));
            max = Math.max(max, d.lastWeight());
        }
        if (g.signum() == 0) return entry;
        int gcd = g.intValue();
        int rshift = Math.max(0, BigInteger.valueOf(max / gcd).bitLength() - tabBits);
        int n = dests.length;
        long[][] perm = new long[n][m];
        int[] turns = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            long v = (dests[i].port() + (long) foldOf(svcAf, dests[i].addr())) & 0xFFFF_FFFFL;
            long offset = Integer.toUnsignedLong(hsip(v, K1, bits64)) % m;
            long skip = Integer.toUnsignedLong(hsip(v, K2, bits64)) % (m - 1) + 1;
            for (int j = 0; j < m; j++) perm[i][j] = (offset + (long) j * skip) % m;
            int lw = dests[i].lastWeight();
            turns[i] = (lw / gcd) >> rshift;
            if (turns[i] == 0 && lw != 0) turns[i] = 1;
        }
        int filled = 0;
        while (filled < m) {
            for (int i = 0; i < n && filled < m; i++) {
                for (int k = 0; k < turns[i] && filled < m; k++) {
                    long c = perm[i][next[i]];
                    while (entry[(int) c] != null) c = perm[i][++next[i]];
                    entry[(int) c] = dests[i];
                    next[i]++;
                    filled++;
                }
            }
        }
        return entry;
    }

    static int foldOf(int svcAf, IpAddr a) {
        byte[] b = a.bytes();
        if (b.length == 4 || svcAf == IpAddr.AF_INET) return new BigInteger(1, java.util.Arrays.copyOf(b, 4)).intValue();
        int x = 0;
        for (int w = 0; w < 4; w++) x ^= new BigInteger(1, java.util.Arrays.copyOfRange(b, 4 * w, 4 * w + 4)).intValue();
        return x;
    }

    /** hsiphash(&v, 4, {key, key}) on a little-endian host, through the byte-oriented form. */
    static int hsip(long v, long key, boolean bits64) {
        byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        return bits64 ? HalfSipHash.hsiphash(le, 4, key, key) : HalfSipHash.halfSipHash(le, 4, (int) key, (int) key);
    }

    static Map<RealServer, Integer> counts(RealServer[] t) {
        Map<RealServer, Integer> c = new IdentityHashMap<>();
        for (RealServer d : t) if (d != null) c.merge(d, 1, Integer::sum);
        return c;
    }

    @Test
    void tableMatchesThePlainMaglevPopulate() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        add(svc, "10.0.0.1", 80, 3);
        add(svc, "10.0.0.2", 8080, 1);
        add(svc, "10.0.0.3", 80, 2);
        add(svc, "198.51.100.77", 443, 5);
        assertThat(mh.tableSize()).isEqualTo(4093);
        assertThat(mh.table()).containsExactly(reference(svc.dests(), svc.af(), 4093, 6, true));
    }

    @Test
    void tableMatchesForIpv6AndOtherTableSizesAndThe32BitHash() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler(8, HalfSipHash.Variant.HALFSIPHASH_1_3);
        VirtualService svc = v6Service(mh, 0);
        add(svc, "2001:db8::1", 80, 1);
        add(svc, "2001:db8:1::2", 80, 1);
        add(svc, "2001:db8:ffff::3", 81, 4);
        assertThat(mh.tableSize()).isEqualTo(251);
        assertThat(mh.table()).containsExactly(reference(svc.dests(), svc.af(), 251, 4, false));

        MaglevHashingScheduler big = new MaglevHashingScheduler(17, HalfSipHash.Variant.SIPHASH_1_3);
        VirtualService svc2 = tcpService(big, 0);
        add(svc2, "10.1.0.1", 80, 1);
        add(svc2, "10.1.0.2", 80, 1);
        assertThat(big.tableSize()).isEqualTo(131071);
        assertThat(big.table()).containsExactly(reference(svc2.dests(), svc2.af(), 131071, 8, true));
    }

    @Test
    void weightsTwoToOneClaimTwoAndOneSlotsPerRound() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 2);            // list a(2), b(1)
        // 4093 = 3 * 1364 + 1: 1364 full rounds, then a takes the last slot
        assertThat(counts(mh.table())).containsEntry(a, 2729).containsEntry(b, 1364);
    }

    @Test
    void equalWeightsDifferByAtMostOneSlotFirstInListTakesTheRemainder() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        RealServer c = add(svc, "10.0.0.3", 80, 5);
        RealServer b = add(svc, "10.0.0.2", 80, 5);
        RealServer a = add(svc, "10.0.0.1", 80, 5);            // gcd 5: one turn each
        assertThat(counts(mh.table())).containsEntry(a, 1365).containsEntry(b, 1364).containsEntry(c, 1364);
    }

    @Test
    void largeWeightRatiosAreShiftedIntoSixBits() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1000);
        // gcd 1, fls(1000) = 10, rshift 4: turns a = 1000 >> 4 = 62, b = (1 >> 4) ?: 1 = 1; rounds of 63 slots.
        // 4093 = 64 * 63 + 61: a gets 64 * 62 + 61, b gets 64
        assertThat(counts(mh.table())).containsEntry(a, 4029).containsEntry(b, 64);
    }

    @Test
    void quiescedDestKeepsItsSlotsButIsNotPicked() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        RealServer b = add(svc, "10.0.0.2", 80, 1);
        RealServer a = add(svc, "10.0.0.1", 80, 1);
        RealServer[] before = mh.table();
        edit(svc, a, 0);                                        // last_weight stays 1
        assertThat(a.lastWeight()).isEqualTo(1);
        assertThat(mh.table()).containsExactly(before);
        int onA = 0;
        for (int src = 1; src <= 500; src++) {
            Flow f = from(TCP, src, 1000);
            RealServer was = before[slotOf(src, 0)];
            RealServer got = mh.schedule(svc, f);
            if (was == a) { onA++; assertThat(got).isNull(); } else assertThat(got).isSameAs(b);
        }
        assertThat(onA).isGreaterThan(100);
    }

    @Test
    void destAddedWithWeightZeroGetsNoSlotAndNoDestsMeansNull() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, 0);
        assertThat(mh.schedule(svc, from(TCP, 1, 1))).isNull();
        RealServer z = add(svc, "10.0.0.9", 80, 0);
        assertThat(mh.table()).containsOnlyNulls();           // gcd 0: nothing to populate
        assertThat(mh.schedule(svc, from(TCP, 1, 1))).isNull();
        RealServer a = add(svc, "10.0.0.1", 80, 4);
        assertThat(counts(mh.table())).containsOnlyKeys(a).containsEntry(a, 4093);
        edit(svc, z, 2);                                        // now it counts: gcd 2, turns z 1, a 2
        assertThat(counts(mh.table())).containsOnlyKeys(a, z);
        assertThat(mh.table()).containsExactly(reference(svc.dests(), svc.af(), 4093, 6, true));
    }

    /** The slot of a flow from {@code src} with hashed port {@code port}, computed in the test. */
    static int slotOf(int src, int port) {
        return (int) (Integer.toUnsignedLong(hsip((src + port) & 0xFFFF_FFFFL, K1, true)) % 4093);
    }

    @Test
    void lookupHashesSourceAddressPlusPortWithKey1() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, SchedFlags.PORT);
        for (int i = 1; i <= 7; i++) add(svc, "10.0.0." + i, 80, 1);
        RealServer[] t = mh.table();
        for (int src : new int[] {1, 0xC6336407, 0x0A0A0A0A}) {
            assertThat(mh.schedule(svc, from(TCP, src, 4242))).isSameAs(t[slotOf(src, 4242)]);
            assertThat(mh.schedule(svc, from(SCTP, src, 4242))).isSameAs(t[slotOf(src, 4242)]);
            assertThat(mh.schedule(svc, from(ICMP, src, 4242))).isSameAs(t[slotOf(src, 0)]);
        }
        VirtualService noPort = tcpService(new MaglevHashingScheduler(), 0);
        for (int i = 1; i <= 7; i++) add(noPort, "10.0.0." + i, 80, 1);
        assertThat(noPort.scheduler().schedule(noPort, from(TCP, 1, 4242)).addr())
                .isEqualTo(t[slotOf(1, 0)].addr());
    }

    @Test
    void fallbackProbesHashOfOffsetFromTheOriginalSlot() {
        MaglevHashingScheduler mh = new MaglevHashingScheduler();
        VirtualService svc = tcpService(mh, SchedFlags.FALLBACK);
        for (int i = 1; i <= 5; i++) add(svc, "10.0.0." + i, 80, 1);
        RealServer[] t = mh.table();
        int src = 0xC6336407;
        int ihash = slotOf(src, 0);
        RealServer first = t[ihash];
        first.overloaded(true);
        // expected: first available among t[hash(src + (k + ihash) % M) % M], k = 0, 1, ...
        RealServer expected = null;
        for (int k = 0; k < 4093 && expected == null; k++) {
            RealServer d = t[slotOf(src, (k + ihash) % 4093)];
            if (d.weight() > 0 && !d.isOverloaded()) expected = d;
        }
        assertThat(mh.schedule(svc, from(TCP, src, 1))).isNotNull().isSameAs(expected);
        for (RealServer d : svc.dests()) d.overloaded(true);
        assertThat(mh.schedule(svc, from(TCP, src, 1))).isNull();
    }

    @Test
    void twoDirectorsBuildTheSameTable() {
        MaglevHashingScheduler one = new MaglevHashingScheduler(), two = new MaglevHashingScheduler();
        VirtualService s1 = tcpService(one, 0), s2 = tcpService(two, 0);
        for (int i = 1; i <= 9; i++) {
            add(s1, "203.0.113." + i, 80, i);
            add(s2, "203.0.113." + i, 80, i);
        }
        RealServer[] t1 = one.table(), t2 = two.table();
        for (int i = 0; i < t1.length; i++) assertThat(t1[i].addr()).isEqualTo(t2[i].addr());
    }
}
