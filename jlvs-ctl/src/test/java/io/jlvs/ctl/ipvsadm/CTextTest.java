package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CTextTest {

    @Test
    void inetAtonAcceptsTheClassicShortForms() {
        assertThat(CText.inetAton("192.0.2.1")).isEqualTo(IpAddr.parse("192.0.2.1"));
        assertThat(CText.inetAton("10.1")).isEqualTo(IpAddr.parse("10.0.0.1"));              // a.b: b is 24 bits
        assertThat(CText.inetAton("10.1.2")).isEqualTo(IpAddr.parse("10.1.0.2"));            // a.b.c: c is 16 bits
        assertThat(CText.inetAton("3232235521")).isEqualTo(IpAddr.parse("192.168.0.1"));     // one 32-bit number
        assertThat(CText.inetAton("0x0a000001")).isEqualTo(IpAddr.parse("10.0.0.1"));        // hex
        assertThat(CText.inetAton("012.0.0.1")).isEqualTo(IpAddr.parse("10.0.0.1"));         // octal
        assertThat(CText.inetAton("24")).isEqualTo(IpAddr.parse("0.0.0.24"));                // -M 24 on IPv4
        assertThat(CText.inetAton("1.2.3.4 trailing")).isEqualTo(IpAddr.parse("1.2.3.4"));   // stops at a blank
    }

    @Test
    void inetAtonRefusesWhatGlibcRefuses() {
        assertThat(CText.inetAton("256.0.0.1")).isNull();
        assertThat(CText.inetAton("1.2.3.256")).isNull();
        assertThat(CText.inetAton("1.2.65536")).isNull();
        assertThat(CText.inetAton("1.2.3.4.5")).isNull();
        assertThat(CText.inetAton("08.0.0.1")).isNull();                                      // 8 is not octal
        assertThat(CText.inetAton("0x")).isNull();
        assertThat(CText.inetAton("")).isNull();
        assertThat(CText.inetAton("1.2.3.")).isNull();
        assertThat(CText.inetAton("4294967296")).isNull();
        assertThat(CText.inetAton("web")).isNull();
    }

    @Test
    void stringToNumberIsStrtolWithRange() {
        assertThat(CText.stringToNumber("65535", 0, 65535)).isEqualTo(65535);
        assertThat(CText.stringToNumber("+5", 0, 65535)).isEqualTo(5);
        assertThat(CText.stringToNumber(" 7", 0, 65535)).isEqualTo(7);
        assertThat(CText.stringToNumber("-0", 0, 65535)).isEqualTo(0);
        assertThat(CText.stringToNumber("65536", 0, 65535)).isEqualTo(CText.NONE);
        assertThat(CText.stringToNumber("-1", 0, 65535)).isEqualTo(CText.NONE);
        assertThat(CText.stringToNumber("5 ", 0, 65535)).isEqualTo(CText.NONE);
        assertThat(CText.stringToNumber("", 0, 65535)).isEqualTo(CText.NONE);
        assertThat(CText.stringToNumber("0x10", 0, 65535)).isEqualTo(CText.NONE);
        assertThat(CText.stringToNumber("99999999999999999999", 0, Long.MAX_VALUE - 1)).isEqualTo(CText.NONE);
    }

    @Test
    void allDigitsIncludesTheEmptyString() {
        assertThat(CText.isAllDigits("80")).isTrue();
        assertThat(CText.isAllDigits("")).isTrue();
        assertThat(CText.isAllDigits("1.2")).isFalse();
    }
}
