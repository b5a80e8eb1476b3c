package io.jlvs.pe;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The Call-ID search of {@code ip_vs_sip_fill_param} / {@code ct_sip_get_header}, rule by rule. */
class SipPersistenceEngineTest {
    static final String INVITE = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.example.com>\r\n"
            + "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            + "%s"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

    final SipPersistenceEngine sip = new SipPersistenceEngine(42);

    /** The Call-ID found in a UDP datagram with this payload, or null when the kernel would drop it. */
    String callId(byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        System.arraycopy(payload, 0, udp, 8, payload.length);
        MemorySegment seg = MemorySegment.ofArray(udp);
        if (!sip.fillParam(17, seg, 0, udp.length)) return null;
        return new String(sip.copyKey(), StandardCharsets.ISO_8859_1);
    }

    String callId(String payload) { return callId(payload.getBytes(StandardCharsets.ISO_8859_1)); }

    static String invite(String callIdLines) { return String.format(INVITE, callIdLines); }

    @Test
    void rfc3261InviteCallIdWithHost() {
        assertThat(callId(invite("Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n")))
                .isEqualTo("a84b4c76e66710@pc33.atlanta.example.com");
    }

    @Test
    void nameIsCaseInsensitiveAndWhitespaceIsOptional() {
        assertThat(callId(invite("call-id:abc\r\n"))).isEqualTo("abc");
        assertThat(callId(invite("CALL-ID \t:\t abc\r\n"))).isEqualTo("abc");
    }

    @Test
    void compactFormIsIFollowedByANonLetter() {
        assertThat(callId(invite("i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com\r\n")))
                .isEqualTo("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
        assertThat(callId(invite("I:xyz\r\n"))).isEqualTo("xyz");
        assertThat(callId(invite("ix: no\r\ni: yes\r\n"))).isEqualTo("yes");           // "ix" is another header
        assertThat(callId(invite("Info: no\r\ni: yes\r\n"))).isEqualTo("yes");
    }

    @Test
    void bareLfAndBareCrEndLinesToo() {
        assertThat(callId("REGISTER sip:x SIP/2.0\nCall-ID: lf\nCSeq: 1 REGISTER\n\n")).isEqualTo("lf");
        assertThat(callId("REGISTER sip:x SIP/2.0\rCall-ID: cr\rCSeq: 1 REGISTER\r\r")).isEqualTo("cr");
    }

    @Test
    void valueMayStartOnAContinuationLine() {
        assertThat(callId(invite("Call-ID:\r\n   continued@host\r\n"))).isEqualTo("continued@host");
        assertThat(callId(invite("Call-ID\r\n\t: folded\r\n"))).isEqualTo("folded");
    }

    @Test
    void continuationLinesAreNotHeaders() {
        assertThat(callId(invite("Subject: hello\r\n Call-ID: fake\r\nCall-ID: real\r\n"))).isEqualTo("real");
    }

    @Test
    void theFirstLineIsNeverAHeader() {
        assertThat(callId("Call-ID: first\r\nCSeq: 1 OPTIONS\r\n\r\n")).isNull();
        assertThat(callId("SIP/2.0 200 OK\r\nCall-ID: second\r\n\r\n")).isEqualTo("second");
    }

    @Test
    void missingCallIdIsRefused() {
        assertThat(callId(invite(""))).isNull();
        assertThat(callId("")).isNull();                                          // no payload at all
        assertThat(callId("\r\n\r\n")).isNull();
    }

    @Test
    void onlyUdp() {
        byte[] p = ("x\r\nCall-ID: abc\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tcp = new byte[20 + p.length];
        System.arraycopy(p, 0, tcp, 20, p.length);
        assertThat(sip.fillParam(6, MemorySegment.ofArray(tcp), 0, tcp.length)).isFalse();
        assertThat(sip.fillParam(132, MemorySegment.ofArray(tcp), 0, tcp.length)).isFalse();
    }

    @Test
    void theCallIdMustEndInALineTerminator() {
        assertThat(callId("x\r\nCall-ID: abc")).isNull();                        // runs to the end of the datagram
        assertThat(callId("x\r\nCall-ID: abc def\r\n")).isNull();                // a space after the word
        assertThat(callId("x\r\nCall-ID: abc;param\r\n")).isNull();
        assertThat(callId("x\r\nCall-ID: abc\n")).isEqualTo("abc");
    }

    @Test
    void atMost255Octets() {
        String ok = "a".repeat(255), tooLong = "a".repeat(256);
        assertThat(callId("x\r\nCall-ID: " + ok + "\r\n")).isEqualTo(ok);
        assertThat(callId("x\r\nCall-ID: " + tooLong + "\r\n")).isNull();
        String host = "b".repeat(100) + "@" + "c".repeat(154);
        assertThat(callId("x\r\nCall-ID: " + host + "\r\n")).isEqualTo(host);
        assertThat(callId("x\r\nCall-ID: " + host + "c\r\n")).isNull();
    }

    @Test
    void wordCharactersAreRfc3261s() {
        String all = "aZ09-.!%*_+`'~()<>:\"/[]?{}\\";
        assertThat(callId("x\r\nCall-ID: " + all + "\r\n")).isEqualTo(all);
        assertThat(callId("x\r\nCall-ID: a@b@c\r\n")).isNull();                  // one '@' only, then CR needed
    }

    @Test
    void latinOneLettersAreLettersAsInTheKernelsCtype() {
        assertThat(callId("x\r\nCall-ID: caf\u00e9\u00c0\u00ff\r\n")).isEqualTo("caf\u00e9\u00c0\u00ff");
        assertThat(callId("x\r\nCall-ID: a\u00d7b\r\n")).isNull();                // multiplication sign: not a letter
        assertThat(callId("x\r\nCall-ID: a\u00a9b\r\n")).isNull();                // copyright sign
        // UTF-8 e-acute is C3 A9: C3 is a Latin-1 letter, A9 is not
        byte[] utf8 = "x\r\nCall-ID: caf\u00e9\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(callId(utf8)).isNull();
        // a compact 'i' followed by a Latin-1 letter is not the compact form
        assertThat(callId("x\r\ni\u00e9: no\r\ni: yes\r\n")).isEqualTo("yes");
    }

    @Test
    void aNameWithoutItsColonEndsTheSearch() {
        // the kernel's ct_sip_get_header breaks out of its loop when the colon is missing
        assertThat(callId(invite("Call-Identity: foo\r\nCall-ID: real\r\n"))).isNull();
        assertThat(callId(invite("i-foo: bar\r\nCall-ID: real\r\n"))).isNull();
        assertThat(callId("x\r\nContent-Length: 3\r\n\r\ni=s\r\nCall-ID: late\r\n")).isNull();   // SDP i= line
        assertThat(callId(invite("Call-ID: \r\nCall-ID: second\r\n"))).isNull();    // whitespace, then no continuation
    }

    @Test
    void anEmptyWordMakesTheSearchGoOnFromThere() {
        assertThat(callId("A\r\nCall-ID: ;\r\nCall-ID: y\r\n")).isEqualTo("y");
        assertThat(callId("A\r\nCall-ID: x@\r\nCall-ID: y\r\n")).isEqualTo("y");   // '@' without a host: empty
        // a second empty one: the kernel adds the offset to its running offset (dataoff += matchoff) and skips z
        assertThat(callId("A\r\nCall-ID: ;\r\nCall-ID: ;\r\nCall-ID: z\r\n")).isNull();
    }

    @Test
    void theSearchSpansTheWholeDatagramIncludingTheBody() {
        assertThat(callId("x\r\nContent-Length: 3\r\n\r\nv=0\r\nCall-ID: inbody\r\n")).isEqualTo("inbody");
    }

    @Test
    void hashIsAFoldOfTheSeededJhashAndNeverZero() {
        assertThat(callId("x\r\nCall-ID: abc\r\n")).isEqualTo("abc");
        int h = JHash.jhash("abc".getBytes(StandardCharsets.US_ASCII), 42);
        int folded = (h ^ (h >>> 16)) & 0xFFFF;
        assertThat(sip.hashKey()).isEqualTo(folded == 0 ? 1 : folded).isBetween(1, 0xFFFF);
        assertThat(sip.matches("abc".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(sip.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(sip.matches("ab".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(sip.show(sip.copyKey())).isEqualTo("abc");
    }

    @Test
    void jhashIsLookup3sHashlittle() {
        // lookup3.c's driver5 self-test: hashlittle("Four score and seven years ago", 30, 0 and 1)
        byte[] k = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertThat(JHash.jhash(k, 0)).isEqualTo(0x17770551);
        assertThat(JHash.jhash(k, 1)).isEqualTo(0xcd628161);
        assertThat(JHash.jhash(new byte[0], 7)).isEqualTo(0xdeadbeef + 7);
    }

    @Test
    void registryKnowsSip() {
        assertThat(PersistenceEngines.names()).containsExactly("sip");
        assertThat(PersistenceEngines.create("sip")).isInstanceOf(SipPersistenceEngine.class);
        assertThat(PersistenceEngines.create("nope")).isNull();
        assertThat(PersistenceEngines.exists("sip")).isTrue();
    }
}
