package io.jlvs.conn;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jlvs.conn.ConnTable.AF_INET;
import static io.jlvs.conn.ConnTable.AF_INET6;
import static io.jlvs.conn.ConnTable.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table against plain Java models: a {@link HashMap} from key to connection for random create/remove
 * sequences (tiny tables, so clusters wrap around and backward shifts cross the end), and a map of deadlines for
 * random create/refresh/timeout/clock steps.
 */
class ConnTableProperties {
    static final long T0 = 123_456_789L, MS = 1_000_000L;
    static final long V6_HI = 0x20010DB800000000L;

    /** A key from a small domain, so different keys share clients, ports and hash clusters. */
    record Key(boolean v6, int proto, int ca, int cport, int va, int vport) {
        long hi() { return v6 ? V6_HI + ca : 0; }
        long caLo() { return 0xC6336400L + ca; }
        long vaLo() { return 0xC0000200L + va; }
        /** NAT dest: unique per (va, vport), so (client side + dest side) identifies the key for out-lookups. */
        long daLo() { return 0xCB007100L + va * 2 + (vport == 443 ? 1 : 0); }
        int dport() { return 8000 + vport; }
        int af() { return v6 ? AF_INET6 : AF_INET; }

        int create(ConnTable t, int timeoutMs, long nowNs) {
            return t.create(af(), proto, hi(), caLo(), cport, hi(), vaLo(), vport, af(), hi(), daLo(), dport(),
                    ConnFlags.MASQ, 0, timeoutMs, nowNs);
        }

        int in(ConnTable t) { return t.lookupIn(af(), proto, hi(), caLo(), cport, hi(), vaLo(), vport); }

        int out(ConnTable t) { return t.lookupOut(af(), proto, hi(), daLo(), dport(), hi(), caLo(), cport); }
    }

    static Arbitrary<Key> keys() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(6, 17), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(0, 1), Arbitraries.of(80, 443))
                .as(Key::new);
    }

    static List<Key> domain() {
        List<Key> all = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true})
            for (int proto : new int[] {6, 17})
                for (int ca = 0; ca < 4; ca++)
                    for (int cport = 1; cport <= 6; cport++)
                        for (int va = 0; va < 2; va++)
                            for (int vport : new int[] {80, 443}) all.add(new Key(v6, proto, ca, cport, va, vport));
        return all;
    }

    /** An operation: create {@code key}, or remove the {@code pick}-th connection of the model. */
    record Op(boolean create, Key key, int pick) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 99), keys(), Arbitraries.integers().between(0, 1000))
                .as((r, k, pick) -> new Op(r < 60, k, pick));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void createAndRemoveAgreeWithAHashMap(@ForAll @IntRange(min = 1, max = 24) int capV4,
                                          @ForAll @IntRange(min = 0, max = 12) int capV6,
                                          @ForAll long key0, @ForAll long key1,
                                          @ForAll("ops") List<Op> ops) {
        try (ConnTable t = new ConnTable(capV4, capV6, T0, 4, key0, key1)) {
            Map<Key, Integer> model = new LinkedHashMap<>();
            long refused = 0;
            for (Op op : ops) {
                if (op.create()) {
                    if (model.containsKey(op.key())) continue;         // the caller looks up before it creates
                    int c = op.key().create(t, 1000, T0);
                    if (c == NONE) {
                        refused++;
                        long wideUsed = model.values().stream().filter(x -> x >= capV4).count();
                        if (op.key().v6()) assertThat(wideUsed).as("IPv6 refused with wide records free").isEqualTo(capV6);
                        else assertThat(model.size()).as("IPv4 refused with records free").isEqualTo(capV4 + capV6);
                    } else {
                        assertThat(model.values()).doesNotContain(c);
                        if (op.key().v6()) assertThat(c).isGreaterThanOrEqualTo(capV4);
                        model.put(op.key(), c);
                    }
                } else if (!model.isEmpty()) {
                    Key k = new ArrayList<>(model.keySet()).get(op.pick() % model.size());
                    t.remove(model.remove(k));
                }
                for (Map.Entry<Key, Integer> e : model.entrySet()) {
                    assertThat(e.getKey().in(t)).as("in %s", e.getKey()).isEqualTo(e.getValue());
                    assertThat(e.getKey().out(t)).as("out %s", e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(t.size()).isEqualTo(model.size());
            }
            assertThat(t.fullDrops()).isEqualTo(refused);
            for (Key k : domain()) {
                int expect = model.getOrDefault(k, NONE);
                assertThat(k.in(t)).as("in %s", k).isEqualTo(expect);
                assertThat(k.out(t)).as("out %s", k).isEqualTo(expect);
            }
            List<Integer> listed = new ArrayList<>();
            t.forEach(listed::add);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(model.values());
        }
    }

    /** A step of the expiry model. */
    record Step(int kind, int pick, int ms) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 3000)).as(Step::new).list().ofMinSize(1).ofMaxSize(150);
    }

    @Property(tries = 300)
    void expiryRemovesExactlyWhatIsDue(@ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 4, max = 12) int wheelBits,
                                       @ForAll @IntRange(min = 1, max = 50) int limit) {
        try (ConnTable t = new ConnTable(64, 0, T0, wheelBits, 1, 2)) {
            Map<Integer, Integer> deadline = new HashMap<>();        // conn -> expiresAt in ms since T0
            Map<Integer, Integer> timeout = new HashMap<>();
            long[] clock = {0};                                       // ms since T0
            int port = 1;
            Set<Integer> seen = new HashSet<>();
            ExpiryHandler handler = c -> {
                assertThat(deadline.get(c)).as("conn %d expired early", c).isLessThanOrEqualTo((int) clock[0]);
                seen.add(c);
                return true;
            };
            for (Step s : steps) {
                long now = clock[0];
                List<Integer> live = new ArrayList<>(deadline.keySet());
                switch (s.kind()) {
                    case 0 -> {                                       // create with a timeout of 0..3000 ms
                        int c = t.create(AF_INET, 6, 0, 0xC6336400L, port++, 0, 0xC0000201L, 80, AF_INET, 0, 1, 80, 0, 0, s.ms(), T0 + now * MS);
                        if (c != NONE) {
                            deadline.put(c, (int) now + s.ms());
                            timeout.put(c, s.ms());
                        }
                    }
                    case 1 -> {                                       // a packet
                        if (live.isEmpty()) break;
                        int c = live.get(s.pick() % live.size());
                        t.refresh(c, T0 + now * MS);
                        deadline.put(c, (int) now + timeout.get(c));
                    }
                    case 2 -> {                                       // a state change: new timeout, then the packet
                        if (live.isEmpty()) break;
                        int c = live.get(s.pick() % live.size());
                        t.timeout(c, s.ms());
                        timeout.put(c, s.ms());
                        t.refresh(c, T0 + now * MS);
                        deadline.put(c, (int) now + s.ms());
                    }
                    case 3 -> clock[0] += s.ms() % 700;                    // time passes
                    default -> {                                      // the duty cycle polls, limit by limit
                        seen.clear();
                        int n;
                        do {
                            n = t.expire(T0 + now * MS, limit, handler);
                            assertThat(n).isLessThanOrEqualTo(limit);
                        } while (n == limit);
                        Set<Integer> due = new HashSet<>();
                        for (Map.Entry<Integer, Integer> e : deadline.entrySet()) if (e.getValue() <= now) due.add(e.getKey());
                        assertThat(seen).isEqualTo(due);
                        due.forEach(deadline::remove);
                        assertThat(t.size()).isEqualTo(deadline.size());
                        for (int c : deadline.keySet()) assertThat(t.expiresInMs(c, T0 + now * MS)).isEqualTo(deadline.get(c) - (int) now);
                    }
                }
            }
        }
    }
}
