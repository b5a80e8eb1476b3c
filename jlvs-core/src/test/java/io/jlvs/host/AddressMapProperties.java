package io.jlvs.host;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-addressing map against a {@link HashMap} over random insert/remove sequences on a tiny table (keys from
 * a small domain, so probe chains wrap around the end and backward shifts cross it).
 */
class AddressMapProperties {
    record Key(long hi, long lo, long tag) {}

    record Op(boolean insert, int key, long value) {}

    static Key key(int k) { return new Key(k % 3, 0xC0000200L + k % 7, k / 21); }

    @Provide
    Arbitrary<List<Op>> ops() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 41),
                Arbitraries.longs()).as(Op::new).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void behavesAsAMap(@ForAll("ops") List<Op> ops, @ForAll long seed) {
        AddressMap m = new AddressMap(12, seed);
        Map<Key, Long> model = new HashMap<>();
        for (Op op : ops) {
            Key k = key(op.key());
            if (op.insert()) {
                int s = m.insert(k.hi(), k.lo(), k.tag());
                if (s == AddressMap.MISSING) {
                    assertThat(model).hasSize(12).doesNotContainKey(k);
                    continue;
                }
                assertThat(m.isNew()).isEqualTo(!model.containsKey(k));
                m.v0(s, op.value());
                model.put(k, op.value());
            } else {
                assertThat(m.remove(k.hi(), k.lo(), k.tag())).isEqualTo(model.remove(k) != null);
            }
            assertThat(m.size()).isEqualTo(model.size());
            for (int i = 0; i < 42; i++) {
                Key q = key(i);
                int s = m.find(q.hi(), q.lo(), q.tag());
                if (model.containsKey(q)) assertThat(m.v0(s)).isEqualTo(model.get(q));
                else assertThat(s).isEqualTo(AddressMap.MISSING);
            }
        }
    }
}
