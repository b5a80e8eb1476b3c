package io.jlvs.ctl.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** expfmt's rules: escaping, empty families left out, values as Go's FormatFloat(f, 'g', -1, 64). */
class TextFormatTest {

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        StringBuilder sb = new StringBuilder();
        new TextFormat(sb).family("x_total", "a \\ help\nwith \"quotes\"", "counter")
                .sample(3, "a", "back\\slash", "b", "say \"hi\"\nbye");
        assertThat(sb.toString()).isEqualTo(
                "# HELP x_total a \\\\ help\\nwith \"quotes\"\n"
                        + "# TYPE x_total counter\n"
                        + "x_total{a=\"back\\\\slash\",b=\"say \\\"hi\\\"\\nbye\"} 3\n");
    }

    @Test
    void familyWithoutSamplesIsLeftOut() {
        StringBuilder sb = new StringBuilder();
        new TextFormat(sb).family("empty", "nothing", "gauge").family("one", "h", "gauge").sample(0);
        assertThat(sb.toString()).isEqualTo("# HELP one h\n# TYPE one gauge\none 0\n");
    }

    @Test
    void valuesAsGoPrintsAFloat64() {
        assertThat(TextFormat.value(0)).isEqualTo("0");
        assertThat(TextFormat.value(1)).isEqualTo("1");
        assertThat(TextFormat.value(-1)).isEqualTo("-1");
        assertThat(TextFormat.value(318)).isEqualTo("318");
        assertThat(TextFormat.value(999_999)).isEqualTo("999999");
        assertThat(TextFormat.value(1_000_000)).isEqualTo("1e+06");
        assertThat(TextFormat.value(1_234_567)).isEqualTo("1.234567e+06");
        assertThat(TextFormat.value(12_345_678_901L)).isEqualTo("1.2345678901e+10");
        assertThat(TextFormat.value(0.5)).isEqualTo("0.5");
        assertThat(TextFormat.value(0.0001)).isEqualTo("0.0001");
        assertThat(TextFormat.value(0.00001)).isEqualTo("1e-05");
        assertThat(TextFormat.value(-2.5)).isEqualTo("-2.5");
        assertThat(TextFormat.value(1e100)).isEqualTo("1e+100");
        assertThat(TextFormat.value(Double.NaN)).isEqualTo("NaN");
        assertThat(TextFormat.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(TextFormat.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void unsignedCountersPastLongMax() {
        assertThat(TextFormat.value(TextFormat.unsigned(-1L))).isEqualTo("1.8446744073709552e+19");
        assertThat(TextFormat.value(TextFormat.unsigned(Long.MIN_VALUE))).isEqualTo("9.223372036854776e+18");
        assertThat(TextFormat.unsigned(42)).isEqualTo(42.0);
    }
}
