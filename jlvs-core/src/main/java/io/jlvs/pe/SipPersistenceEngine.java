package io.jlvs.pe;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * {@code --pe sip} ({@code net/netfilter/ipvs/ip_vs_pe_sip.c}): SIP over UDP is kept on one real server per call,
 * whatever port or address of the client network each request comes from, by adding the SIP Call-ID to the
 * persistence template's key.
 *
 * <h2>Finding the Call-ID ({@code ip_vs_sip_fill_param}, {@code get_callid})</h2>
 * The search is the conntrack helper's {@code ct_sip_get_header(SIP_HDR_CALL_ID)} in
 * {@code net/netfilter/nf_conntrack_sip.c}, repeated here rule for rule because its corner cases decide which
 * packets the kernel drops:
 * <ul>
 *   <li>only UDP, and only with at least one octet after the UDP header (to the end of the IP datagram);</li>
 *   <li>a header starts a line: after CR, LF or CRLF (the first line, the request or status line, never
 *       counts); lines starting with a space or tab are continuations and are skipped; the search does not stop
 *       at the empty line before the body;</li>
 *   <li>the name is {@code Call-Id} in any case, or the compact form {@code i} when the next octet is not a
 *       letter; then optional whitespace (spaces, tabs, one continuation line), a colon, optional whitespace.
 *       A name not followed by a colon ends the search with no Call-ID, even if a good one comes later
 *       ({@code i-foo: x} or an SDP {@code i=} line before it);</li>
 *   <li>the value is a word (letters, digits and {@code -.!%*_+`'~()<>:\"/[]?{}}), optionally {@code @} and
 *       another word; an empty value makes the search go on from where the value began (the kernel adds that
 *       offset to its running offset, {@code dataoff += matchoff}, which skips ahead after a second empty
 *       value: kept as it is);</li>
 *   <li>the Call-ID must be at most 255 octets ({@code IP_VS_PEDATA_MAXLEN}) and followed by CR or LF: a value
 *       that runs to the end of the datagram, or goes on with anything else (a space, a {@code ;}), is refused.</li>
 * </ul>
 * Letters are the kernel's {@code ctype} letters: ASCII, and Latin-1 octets 0xC0-0xFF but 0xD7 and 0xF7.
 * When no Call-ID is found {@code ip_vs_sched_persist} returns with {@code *ignored = -1}: the packet is dropped,
 * no ICMP is sent and no template is made (the "fallback to the default persistence logic" in the kernel's
 * comment does not happen). So a SIP service must be UDP: with TCP every new connection is dropped.
 *
 * <h2>Templates</h2>
 * The template key is the usual {@code <protocol, caddr & netmask, 0, vaddr, vport>} plus the Call-ID
 * ({@code ip_vs_sip_ct_match}: same family, client network, virtual address and port, protocol, and an equal
 * {@code pe_data}). The kernel hashes such templates by {@code jhash(Call-ID)} alone; jlvs keeps its table's hash
 * on {@code (af, protocol, caddr, cport)} and puts a 16-bit fold of a randomly seeded {@code jhash} of the Call-ID
 * in the template's client port ({@link #hashKey}), so each call's template sits in its own chain and a lookup
 * compares Call-IDs only on a 16-bit hash match.
 *
 * <p>Not done: {@code ip_vs_sip_conn_out} (a SIP request started by a real server creating a connection and
 * template through {@code ip_vs_new_conn_out}); replies still need a connection made by the client's request.
 */
public final class SipPersistenceEngine implements PersistenceEngine {
    public static final String NAME = "sip";
    /** {@code IP_VS_PEDATA_MAXLEN}: longer Call-IDs are refused. */
    public static final int PEDATA_MAXLEN = 255;

    private static final int UDP_HEADER_LENGTH = 8;
    private static final int IPPROTO_UDP = 17;
    private static final byte[] CALL_ID = "call-id".getBytes(StandardCharsets.US_ASCII);
    private static final int NULL = -1;

    private final int seed;

    // the current key: octets [base + matchOff, base + matchOff + matchLen) of seg
    private MemorySegment seg;
    private long base;
    private int datalen;
    private int matchOff, matchLen;

    public SipPersistenceEngine() { this(new SecureRandom().nextInt()); }

    /** With the hash seed given (tests). */
    public SipPersistenceEngine(int seed) { this.seed = seed; }

    @Override
    public String name() { return NAME; }

    @Override
    public boolean fillParam(int protocol, MemorySegment seg, long l4Offset, long l3End) {
        matchLen = 0;
        if (protocol != IPPROTO_UDP) return false;                 // "Only useful with UDP"
        long dataoff = l4Offset + UDP_HEADER_LENGTH;
        if (dataoff >= l3End) return false;
        this.seg = seg;
        this.base = dataoff;
        this.datalen = (int) (l3End - dataoff);
        if (!getCallId()) {
            matchLen = 0;
            return false;
        }
        return true;
    }

    /** Offset of the Call-ID found by the last {@link #fillParam}, from the start of the UDP payload. */
    public int callIdOffset() { return matchOff; }

    /** Length of the Call-ID found by the last {@link #fillParam} (0 after a failure). */
    public int callIdLength() { return matchLen; }

    @Override
    public int hashKey() {
        int h = JHash.jhash(seg, base + matchOff, matchLen, seed);
        int folded = (h ^ (h >>> 16)) & 0xFFFF;
        return folded == 0 ? 1 : folded;
    }

    @Override
    public boolean matches(byte[] peData) {
        if (peData.length != matchLen) return false;
        long p = base + matchOff;
        for (int i = 0; i < matchLen; i++) {
            if (seg.get(JAVA_BYTE, p + i) != peData[i]) return false;
        }
        return true;
    }

    @Override
    public byte[] copyKey() {
        byte[] k = new byte[matchLen];
        MemorySegment.copy(seg, JAVA_BYTE, base + matchOff, k, 0, matchLen);
        return k;
    }

    @Override
    public String show(byte[] peData) { return new String(peData, StandardCharsets.ISO_8859_1); }

    // ------------------------------------------------------------------------------ ip_vs_pe_sip.c: get_callid

    private boolean getCallId() {
        int dataoff = 0;
        while (true) {
            int ret = getHeader(dataoff);
            if (ret > 0) break;
            if (ret == 0) return false;
            dataoff += matchOff;                                     // sic: as the kernel
        }
        if (matchLen > PEDATA_MAXLEN) return false;                  // too large is useless
        if (matchOff + matchLen == datalen) return false;            // SIP headers end with a line terminator
        int c = at(matchOff + matchLen);
        return c == '\r' || c == '\n';
    }

    // ---------------------------------------------------------------- nf_conntrack_sip.c: ct_sip_get_header

    /** 1 found (matchOff, matchLen set), 0 none, -1 a Call-ID header with an empty value at matchOff. */
    private int getHeader(int dataoff) {
        int limit = datalen;
        for (int p = dataoff; p < limit; p++) {
            int c = at(p);
            if (c != '\r' && c != '\n') continue;                  // find the beginning of a line
            if (++p >= limit) break;
            if (at(p - 1) == '\r' && at(p) == '\n') {
                if (++p >= limit) break;
            }
            if (at(p) == ' ' || at(p) == '\t') continue;           // skip continuation lines
            if (limit - p >= CALL_ID.length && caseEquals(p, CALL_ID)) {
                p += CALL_ID.length;
            } else if (limit - p >= 2 && lower(at(p)) == 'i' && !isAlpha(at(p + 1))) {
                p += 1;                                              // compact form, not followed by a letter
            } else {
                continue;
            }
            p = skipWhitespace(p, limit);                            // find and skip the colon
            if (p == NULL) break;
            if (p >= limit || at(p) != ':' || ++p >= limit) break;
            p = skipWhitespace(p, limit);
            if (p == NULL) break;
            matchOff = p;
            matchLen = callIdLength(p, limit);
            return matchLen == 0 ? -1 : 1;
        }
        return 0;
    }

    private int followContinuation(int p, int limit) {
        if (++p >= limit) return NULL;                               // walk past the newline
        if (at(p - 1) == '\r' && at(p) == '\n') {
            if (++p >= limit) return NULL;
        }
        if (at(p) != ' ' && at(p) != '\t') return NULL;               // not a continuation line
        for (; p < limit; p++) {
            if (at(p) != ' ' && at(p) != '\t') break;
        }
        return p;
    }

    private int skipWhitespace(int p, int limit) {
        for (; p < limit; p++) {
            int c = at(p);
            if (c == ' ' || c == '\t') continue;
            if (c != '\r' && c != '\n') break;
            return followContinuation(p, limit);
        }
        return p;
    }

    /** {@code callid_len}: word, or word '@' word. */
    private int callIdLength(int p, int limit) {
        int len = wordLength(p, limit);
        p += len;
        if (len == 0 || p == limit || at(p) != '@') return len;
        p++;
        len++;
        int domain = wordLength(p, limit);
        return domain == 0 ? 0 : len + domain;
    }

    private int wordLength(int p, int limit) {
        int len = 0;
        while (p < limit && isWordChar(at(p))) {
            p++;
            len++;
        }
        return len;
    }

    private boolean caseEquals(int p, byte[] lowerName) {
        for (int i = 0; i < lowerName.length; i++) {
            if (lower(at(p + i)) != lowerName[i]) return false;
        }
        return true;
    }

    private int at(int i) { return seg.get(JAVA_BYTE, base + i) & 0xFF; }

    private static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

    /** The kernel's {@code isalpha} ({@code lib/ctype.c}): ASCII letters and the Latin-1 letters. */
    static boolean isAlpha(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
    }

    /**
     * {@code iswordc} on the kernel's signed {@code char}: {@code isalnum} (with the Latin-1 letters), and the
     * ASCII punctuation RFC 3261 allows in a word; octets from 0x80 are negative, so only letters pass there.
     */
    static boolean isWordChar(int c) {
        if (isAlpha(c) || (c >= '0' && c <= '9')) return true;
        return c == '!' || c == '"' || c == '%' || (c >= '(' && c <= '+') || c == ':' || c == '<' || c == '>'
                || c == '?' || (c >= '[' && c <= ']') || c == '_' || c == '`' || c == '{' || c == '}' || c == '~'
                || (c >= '-' && c <= '/') || c == '\'';
    }
}
