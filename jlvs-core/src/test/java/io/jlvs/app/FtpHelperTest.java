package io.jlvs.app;

import io.jlvs.conn.ConnTable;
import io.jlvs.service.IpAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ip_vs_ftp_get_addrport} and the {@code in4_pton}/{@code in6_pton} rules it relies on, text by text:
 * what the kernel finds, what it refuses (-1: the pattern but no valid address and port; 0: not the pattern).
 */
class FtpHelperTest {
    static final int V4 = ConnTable.AF_INET, V6 = ConnTable.AF_INET6;
    static final byte[] PASV = ascii("227 "), EPSV = ascii("229 "), PORT = ascii("PORT"), EPRT = ascii("EPRT");

    final FtpHelper ftp = new FtpHelper();

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Parses {@code text} as the payload; returns the kernel's answer. */
    int parse(String text, byte[] pattern, int skip, boolean ext, int mode, int af) {
        MemorySegment seg = MemorySegment.ofArray(ascii(text));
        return ftp.getAddrPort(seg, 0, seg.byteSize(), pattern, skip, ext, mode, af);
    }

    String found(String text) {
        return IpAddr.v4((int) ftp.addrLo) + ":" + ftp.port + " [" + text.substring((int) ftp.start, (int) ftp.end) + "]";
    }

    // ------------------------------------------------------------------------------ 227 and PORT: old format

    /** Rewritten: the six numbers wrap as octets, an empty one is 0, a seventh is left after the text replaced. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "227 Entering Passive Mode (192,168,1,1,4,1).\\r\\n | 192.168.1.1:1025 [192,168,1,1,4,1]",
            "227 Entering Passive Mode 192,168,1,1,4,1\\r\\n    | 192.168.1.1:1025 [192,168,1,1,4,1]",
            "227 =10,0,0,7,195,80\\r\\n                         | 10.0.0.7:50000 [10,0,0,7,195,80]",
            "227 Entering Passive Mode ((10,0,0,7,0,21))\\r\\n  | 10.0.0.7:21 [10,0,0,7,0,21]",
            "227 Entering Passive Mode (300,0,0,1,4,1)\\r\\n    | 44.0.0.1:1025 [300,0,0,1,4,1]",
            "227 Entering Passive Mode (10,,0,7,1,1)\\r\\n      | 10.0.0.7:257 [10,,0,7,1,1]",
            "227 Entering Passive Mode (10,0,0,7,1,1,9)\\r\\n   | 10.0.0.7:257 [10,0,0,7,1,1]",
            "227 ENTERING PASSIVE MODE (10,0,0,7,1,1)\\r\\n     | 10.0.0.7:257 [10,0,0,7,1,1]",
    })
    void passiveRepliesTheKernelRewrites(String text, String expected) {
        text = crlf(text);
        assertThat(parse(text, PASV, '(', false, FtpHelper.PASV, V4)).isEqualTo(1);
        assertThat(found(text)).isEqualTo(expected);
    }

    /** Not rewritten: -1 when the pattern is there (or may be) without a valid address and port, 0 otherwise. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "227 Entering Passive Mode (192,168,1,1,4)\\r\\n    | -1",   // five numbers
            "227 Entering Passive Mode (192,168,1,1,4,1       | -1",   // no terminator in the segment
            "227 Entering Passive Mode (a,b,c,d,e,f)\\r\\n      | -1",
            "'227 Entering Passive Mode ( 192,168,1,1,4,1)'    | -1",   // after the parenthesis, a digit
            "227 Entering Passive Mode\\r\\n                    | -1",   // no numbers at all
            "227 (                                            | -1",   // the pattern, then the end
            "22                                               | -1",   // shorter than the pattern: cannot tell
            "228 Entering Passive Mode (192,168,1,1,4,1)\\r\\n  | 0",
            "1                                                | 0",
            "' 227 Entering Passive Mode (192,168,1,1,4,1)'   | 0",    // not at the start of the payload
    })
    void passiveRepliesTheKernelLeaves(String text, int expected) {
        assertThat(parse(crlf(text), PASV, '(', false, FtpHelper.PASV, V4)).isEqualTo(expected);
    }

    static String crlf(String s) { return s.replace("\\r\\n", "\r\n"); }

    @Test
    void portCommands() {
        String t = "PORT 198,51,100,7,195,80\r\n";
        assertThat(parse(t, PORT, ' ', false, FtpHelper.ACTIVE, V4)).isEqualTo(1);
        assertThat(found(t)).isEqualTo("198.51.100.7:50000 [198,51,100,7,195,80]");
        t = "port    198,51,100,7,195,80\r\n";                        // any case, any number of spaces
        assertThat(parse(t, PORT, ' ', false, FtpHelper.ACTIVE, V4)).isEqualTo(1);
        assertThat(found(t)).isEqualTo("198.51.100.7:50000 [198,51,100,7,195,80]");
        t = "PORT198,51,100,7,195,80\r\n";                            // the first digit starts the numbers
        assertThat(parse(t, PORT, ' ', false, FtpHelper.ACTIVE, V4)).isEqualTo(1);
        assertThat(parse("PORT 198,51,100,7,195\r\n", PORT, ' ', false, FtpHelper.ACTIVE, V4)).isEqualTo(-1);
        assertThat(parse("PORT", PORT, ' ', false, FtpHelper.ACTIVE, V4)).isEqualTo(-1);
        assertThat(parse("PASV\r\n", PORT, ' ', false, FtpHelper.ACTIVE, V4)).isZero();
    }

    // -------------------------------------------------------------------------------- EPRT, EPSV: extended

    @Test
    void eprtIpv4AndIpv6() {
        String t = "EPRT |1|132.235.1.2|6275|\r\n";
        assertThat(parse(t, EPRT, ' ', true, FtpHelper.EPRT, V4)).isEqualTo(1);
        assertThat(found(t)).isEqualTo("132.235.1.2:6275 [|1|132.235.1.2|6275|]");
        t = "EPRT !1!132.235.1.2!6275!\r\n";                          // any delimiter from 33 to 126
        assertThat(parse(t, EPRT, ' ', true, FtpHelper.EPRT, V4)).isEqualTo(1);
        assertThat(ftp.port).isEqualTo(6275);

        t = "EPRT |2|1080::8:800:200C:417A|5282|\r\n";
        assertThat(parse(t, EPRT, ' ', true, FtpHelper.EPRT, V6)).isEqualTo(1);
        assertThat(IpAddr.v6(ftp.addrHi, ftp.addrLo)).isEqualTo(IpAddr.parse("1080::8:800:200c:417a"));
        assertThat(ftp.port).isEqualTo(5282);
        assertThat(t.substring((int) ftp.start, (int) ftp.end)).isEqualTo("|2|1080::8:800:200C:417A|5282|");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
            "EPRT |2|1080::8:800:200C:417A|5282|   # 2",   // the other family
            "EPRT |1|132.235.1.2|6275|             # 10",
            "EPRT |1|132.235.1.2|0|                # 2",   // port 0
            "EPRT |1|132.235.1|6275|               # 2",   // three octets
            "EPRT |1|132.235.1.256|6275|           # 2",
            "EPRT |1|132.235..2|6275|              # 2",   // an empty octet
            "EPRT |1|132.235.1.2.3|6275|           # 2",
            "EPRT |1|132.235.1.2|6275              # 2",   // no closing delimiter
            "EPRT |1|132.235.1.2/6275|             # 2",
            "EPRT |||6275|                         # 2",   // no family and address: only for EPSV replies
            "EPRT |3|132.235.1.2|6275|             # 2",
            "EPRT |1|132.235.1.2|62a75|            # 2",
    })
    void eprtRefused(String text, int af) {
        assertThat(parse(text.strip() + "\r\n", EPRT, ' ', true, FtpHelper.EPRT, af)).isEqualTo(-1);
    }

    @Test
    void eprtDelimiterOutOfRangeAndPortWrap() {
        assertThat(parse("EPRT \t1\t132.235.1.2\t6275\t\r\n", EPRT, ' ', true, FtpHelper.EPRT, V4)).isEqualTo(-1);
        assertThat(parse("EPRT |1|132.235.1.2|70000|\r\n", EPRT, ' ', true, FtpHelper.EPRT, V4)).isEqualTo(1);
        assertThat(ftp.port).as("a 16-bit port, as __u16 hport").isEqualTo(70000 & 0xFFFF);
        assertThat(parse("EPRT |1|132.235.1.2|65536|\r\n", EPRT, ' ', true, FtpHelper.EPRT, V4)).as("wraps to 0").isEqualTo(-1);
    }

    @Test
    void epsvRepliesKeepThePresetAddressUnlessTheyNameOne() {
        ftp.addrHi = 0;
        ftp.addrLo = IpAddr.parse("203.0.113.11").lo();
        String t = "229 Entering Extended Passive Mode (|||6446|)\r\n";
        assertThat(parse(t, EPSV, '(', true, FtpHelper.EPSV, V4)).isEqualTo(1);
        assertThat(found(t)).isEqualTo("203.0.113.11:6446 [|||6446|]");
        t = "229 Entering Extended Passive Mode (|1|203.0.113.12|6446|)\r\n";
        assertThat(parse(t, EPSV, '(', true, FtpHelper.EPSV, V4)).isEqualTo(1);
        assertThat(found(t)).isEqualTo("203.0.113.12:6446 [|1|203.0.113.12|6446|]");
        assertThat(parse("229 Entering Extended Passive Mode (||6446|)\r\n", EPSV, '(', true, FtpHelper.EPSV, V4)).isEqualTo(-1);
        assertThat(parse("229 Entering Extended Passive Mode 6446\r\n", EPSV, '(', true, FtpHelper.EPSV, V4))
                .as("extended: no digit shortcut, the parenthesis is needed").isEqualTo(-1);
    }

    // ---------------------------------------------------------------------------------- in4_pton, in6_pton

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "::, ::", "::1, ::1", "2001:db8::, 2001:db8::", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
            "1::8, 1::8", "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0", "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
            "::ffff:192.0.2.1, ::ffff:c000:201", "64:ff9b::198.51.100.7, 64:ff9b::c633:6407",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304", "0001:0DB8::00AB, 1:db8::ab",
    })
    void in6ptonAccepts(String text, String expected) {
        InetPton p = new InetPton();
        MemorySegment seg = MemorySegment.ofArray(ascii(text + "|rest"));
        assertThat(p.in6(seg, 0, seg.byteSize(), '|')).isTrue();
        assertThat(IpAddr.v6(p.hi, p.lo)).isEqualTo(IpAddr.parse(expected));
        assertThat(p.end).as("stops on the delimiter").isEqualTo(text.length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::", ":1::", "1:2:3:4:5:6:7", "1:::2", "::1.2.3",
            "1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "'1:2 ::'",
    })
    void in6ptonRefuses(String text) {
        InetPton p = new InetPton();
        MemorySegment seg = MemorySegment.ofArray(ascii(text + "|"));
        assertThat(p.in6(seg, 0, seg.byteSize(), '|')).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.0.0.0, 0.0.0.0", "192.0.2.1, 192.0.2.1", "010.001.0.255, 10.1.0.255"})
    void in4ptonAccepts(String text, String expected) {
        InetPton p = new InetPton();
        MemorySegment seg = MemorySegment.ofArray(ascii(text + "|"));
        assertThat(p.in4(seg, 0, seg.byteSize(), '|')).isTrue();
        assertThat(IpAddr.v4((int) p.lo).toString()).isEqualTo(expected);
        MemorySegment bare = MemorySegment.ofArray(ascii(text));
        assertThat(p.in4(bare, 0, bare.byteSize(), '|')).as("the end of the range ends it too").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1.2.3", "1.2.3.4.5", "1..3.4", "256.1.1.1", ".1.2.3", "1.2.3.4a", "1.2.3.", "'1.2.3.4 '"})
    void in4ptonRefuses(String text) {
        InetPton p = new InetPton();
        MemorySegment seg = MemorySegment.ofArray(ascii(text + "|"));
        assertThat(p.in4(seg, 0, seg.byteSize(), '|')).isFalse();
    }

    // ------------------------------------------------------------------------------------------------ ports

    @Test
    void portsAreTheModulesParameter() {
        assertThat(new FtpHelper().ports()).containsExactly(21);
        assertThat(new FtpHelper(21, 2121).ports()).containsExactly(21, 2121);
        assertThatThrownBy(() -> new FtpHelper(1, 2, 3, 4, 5, 6, 7, 8, 9)).hasMessageContaining("expected 1..8");
        assertThatThrownBy(() -> new FtpHelper(0)).hasMessageContaining("port 0 out of range");
        assertThatThrownBy(() -> new FtpHelper(new int[0])).hasMessageContaining("0 ports");
    }
}
