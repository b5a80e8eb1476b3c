package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.proto.TcpProtocol;
import io.jlvs.xmit.Verdict;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * FTP through a NAT virtual service, as the kernel's {@code ip_vs_ftp} module ({@code net/netfilter/ipvs/ip_vs_ftp.c},
 * Linux 6.17), bound to the control connections of NAT services on its ports (default 21).
 *
 * <h2>Client to server ({@link #in}, {@code ip_vs_ftp_in}), control connection ESTABLISHED only</h2>
 * <ul>
 *   <li>{@code PASV\r\n} anywhere in the payload (IPv4 only), or {@code EPSV\r\n}, {@code EPSV 1\r\n} (IPv4),
 *       {@code EPSV 2\r\n} (IPv6) anywhere: the connection remembers passive mode (PASV or EPSV) for the reply.
 *       Any other {@code EPSV <x>} ({@code EPSV ALL}, the other family) ends the look at the packet.</li>
 *   <li>{@code PORT h1,h2,h3,h4,p1,p2} (IPv4 only) or {@code EPRT |af|addr|port|} (af 1 for IPv4, 2 for IPv6, the
 *       family of the connection; any delimiter from {@code !} to {@code ~}) at the start of the payload: the
 *       active data connection the real server will open is made now, {@code client addr:port <- VIP:vport-1},
 *       to {@code RS:dport-1} (port 20 for a service on 21), controlled by this connection, in state LISTEN. The
 *       command is <em>not</em> rewritten: the real server connects to the client's own address, and its SYN, on
 *       the way back through the director, is an ordinary NAT reply of that connection (source rewritten to
 *       {@code VIP:20}). Passive mode is forgotten.</li>
 * </ul>
 *
 * <h2>Server to client ({@link #out}, {@code ip_vs_ftp_out}), ESTABLISHED and in passive mode only</h2>
 * <ul>
 *   <li>PASV: {@code 227 ...(h1,h2,h3,h4,p1,p2)} at the start of the payload (the parenthesis optional, the
 *       numbers from the first digit): the passive data connection is found ({@code ip_vs_conn_out_get}
 *       {@code RS addr:port -> client:0}) or made: {@code client:0 -> VIP:port} with {@link ConnFlags#NO_CPORT}
 *       (the client's port is learnt from its SYN), to the address and port the server announced, controlled by
 *       this connection, in state LISTEN. The six numbers are rewritten to the VIP's address and <em>the same
 *       port</em> (the kernel never changes it): {@code 227 Entering Passive Mode (192,0,2,10,p1,p2)}. The
 *       payload grows or shrinks with the address text; later sequence numbers follow ({@link SeqAdjust}).</li>
 *   <li>EPSV: {@code 229 ...(|||port|)} (an address, if the server gives one in its family, replaces the real
 *       server's): the same connection, and the text rewritten to {@code |||port|} (usually the same octets).</li>
 * </ul>
 * Then passive mode is forgotten. A reply or command split across segments is not seen (the kernel does not
 * reassemble the control stream either: each segment is parsed alone, a partial match is "not handled").
 * Numbers wrap as the kernel's: the six PORT/227 numbers are octets ({@code 256} reads as 0), EPRT/EPSV ports
 * are 16 bits and 0 is refused.
 *
 * <p>Differences from the kernel, all from running without conntrack: the kernel hands the rewrite and its
 * sequence adjustment to {@code nf_nat_mangle_tcp_packet} (and drops the reply when there is no conntrack
 * entry); jlvs rewrites in place and feeds IPVS's own sequence bookkeeping ({@code vs_seq_update} through
 * {@link AppContext#replace}), which is what {@code ip_vs_ftp} did before it used conntrack. No expectation is
 * registered ({@code ip_vs_nfct_expect_related}): there is no conntrack to tell.
 */
public final class FtpHelper implements AppHelper {
    public static final String NAME = "ftp";
    public static final int DEFAULT_PORT = 21;
    /** {@code cp->app_data}: {@code IP_VS_FTP_ACTIVE} (= {@code IP_VS_FTP_PORT}), PASV, EPRT, EPSV. */
    public static final int ACTIVE = 0, PASV = 1, EPRT = 2, EPSV = 3;

    private static final int AF_INET = ConnTable.AF_INET, AF_INET6 = ConnTable.AF_INET6;
    private static final byte[] SERVER_STRING_PASV = ascii("227 "), SERVER_STRING_EPSV = ascii("229 ");
    private static final byte[] CLIENT_STRING_PORT = ascii("PORT"), CLIENT_STRING_EPRT = ascii("EPRT");
    private static final byte[] PASV_CMD = ascii("PASV\r\n"), EPSV_CMD = ascii("EPSV");

    private final int[] ports;
    private final InetPton pton = new InetPton();
    /** The replacement text: "xxx,xxx,xxx,xxx,ppp,ppp" or "|||ppppp|". */
    private final byte[] buf = new byte[24];
    private final int[] p = new int[6];

    // what getAddrPort found
    long addrHi, addrLo;
    int port;
    long start, end;

    /** The helper on port 21. */
    public FtpHelper() { this(DEFAULT_PORT); }

    /** The helper on {@code ports} (the module's {@code ports=} parameter): 1..8 ports, each 1..65535. */
    public FtpHelper(int... ports) {
        if (ports.length == 0 || ports.length > Apps.MAX_PORTS) {
            throw new IllegalArgumentException("ftp: " + ports.length + " ports, expected 1.." + Apps.MAX_PORTS);
        }
        for (int port : ports) {
            if (port < 1 || port > 0xFFFF) throw new IllegalArgumentException("ftp: port " + port + " out of range 1..65535");
        }
        this.ports = ports.clone();
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    @Override public String name() { return NAME; }

    @Override public int protocol() { return IpProto.IPPROTO_TCP; }

    @Override public int[] ports() { return ports.clone(); }

    // ------------------------------------------------------------------------------------- client to server

    /** {@code ip_vs_ftp_in}. */
    @Override
    public int in(AppContext ctx) {
        if (ctx.state() != TcpProtocol.S_ESTABLISHED) return Verdict.TX;
        MemorySegment seg = ctx.segment();
        long data = ctx.payloadOffset(), limit = ctx.payloadEnd();
        if (data >= limit) return Verdict.TX;
        ConnTable conns = ctx.conns();
        int c = ctx.conn();
        int af = conns.af(c);
        for (long s = data; s <= limit - 6; s++) {
            int first = seg.get(ValueLayout.JAVA_BYTE, s) | 0x20;
            if (first == 'p' && af == AF_INET && matches(seg, s, PASV_CMD, PASV_CMD.length)) {
                ctx.appData(PASV);                                // passive mode on
                return Verdict.TX;
            }
            if (first == 'e' && matches(seg, s, EPSV_CMD, 4)) {
                int b4 = u8(seg, s + 4);
                if (b4 == ' ' || b4 == '\r') {
                    if (b4 == ' ') {
                        int proto = u8(seg, s + 5);
                        if (s > limit - 7 || u8(seg, s + 6) != '\r') return Verdict.TX;
                        if (!(af == AF_INET6 && proto == '2') && !(af == AF_INET && proto == '1')) return Verdict.TX;
                    }
                    ctx.appData(EPSV);                            // extended passive mode on
                    return Verdict.TX;
                }
            }
        }
        if (!(af == AF_INET && getAddrPort(seg, data, limit, CLIENT_STRING_PORT, ' ', false, ACTIVE, af) == 1)
                && getAddrPort(seg, data, limit, CLIENT_STRING_EPRT, ' ', true, EPRT, af) != 1) {
            return Verdict.TX;
        }
        ctx.appData(ACTIVE);                                      // passive mode off
        int vport = (conns.vport(c) - 1) & 0xFFFF, dport = (conns.dport(c) - 1) & 0xFFFF;
        long vaHi = conns.vaddrHi(c), vaLo = conns.vaddrLo(c);
        int n = conns.lookupIn(af, IpProto.IPPROTO_TCP, addrHi, addrLo, port, vaHi, vaLo, vport);
        if (n == ConnTable.NONE) {
            n = ctx.newConn(addrHi, addrLo, port, vaHi, vaLo, vport, conns.daddrHi(c), conns.daddrLo(c), dport, 0);
            if (n == ConnTable.NONE) return DropReason.CONN_TABLE_FULL.code();
        }
        ctx.listen(n);                                            // "move tunnel to listen state"
        return Verdict.TX;
    }

    // ------------------------------------------------------------------------------------- server to client

    /** {@code ip_vs_ftp_out}. */
    @Override
    public int out(AppContext ctx) {
        if (ctx.state() != TcpProtocol.S_ESTABLISHED) return Verdict.TX;
        int mode = ctx.appData();
        if (mode != PASV && mode != EPSV) return Verdict.TX;
        MemorySegment seg = ctx.segment();
        long data = ctx.payloadOffset(), limit = ctx.payloadEnd();
        if (data >= limit) return Verdict.TX;
        ConnTable conns = ctx.conns();
        int c = ctx.conn();
        int af = conns.af(c);
        if (mode == PASV) {
            if (getAddrPort(seg, data, limit, SERVER_STRING_PASV, '(', false, PASV, af) != 1) return Verdict.TX;
        } else {
            addrHi = conns.daddrHi(c);                            // usually no address: the real server's
            addrLo = conns.daddrLo(c);
            if (getAddrPort(seg, data, limit, SERVER_STRING_EPSV, '(', true, EPSV, af) != 1) return Verdict.TX;
        }
        long caHi = conns.caddrHi(c), caLo = conns.caddrLo(c);
        int n = conns.lookupOut(af, IpProto.IPPROTO_TCP, addrHi, addrLo, port, caHi, caLo, 0);
        if (n == ConnTable.NONE) {
            n = ctx.newConn(caHi, caLo, 0, conns.vaddrHi(c), conns.vaddrLo(c), port, addrHi, addrLo, port,
                    ConnFlags.NO_CPORT);
            if (n == ConnTable.NONE) return DropReason.CONN_TABLE_FULL.code();
        }
        int len = mode == PASV ? pasvText(conns.vaddrLo(n), conns.vport(n)) : epsvText(conns.vport(n));
        boolean mangled = ctx.replace(start, (int) (end - start), buf, len);
        ctx.appData(ACTIVE);
        ctx.listen(n);
        return mangled ? Verdict.TX : DropReason.PAYLOAD_REWRITE_FAILED.code();
    }

    /** "a,b,c,d,p1,p2" in {@link #buf}: the VIP's octets and the port's. */
    private int pasvText(long vaddr, int vport) {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            n = decimal(n, (int) (vaddr >>> shift) & 0xFF);
            buf[n++] = ',';
        }
        n = decimal(n, vport >>> 8);
        buf[n++] = ',';
        return decimal(n, vport & 0xFF);
    }

    /** "|||port|" in {@link #buf}. */
    private int epsvText(int vport) {
        buf[0] = '|';
        buf[1] = '|';
        buf[2] = '|';
        int n = decimal(3, vport);
        buf[n++] = '|';
        return n;
    }

    private int decimal(int at, int v) {
        int digits = v >= 10000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
        for (int i = at + digits - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    // --------------------------------------------------------------------------------------------- parsing

    /**
     * {@code ip_vs_ftp_get_addrport}: the address and port after {@code pattern} at {@code data} (compared
     * without case). {@code skip}: the character before the numbers ({@code '('}, {@code ' '}), optional in the
     * old format, where the first digit also starts them. Old format ({@code ext} false): six decimal numbers
     * separated by commas and ended by any other character, which must come before {@code limit}. Extended:
     * {@code <d>af<d>addr<d>port<d>} with any delimiter {@code d} from 33 to 126; af and address may both be
     * left out ({@code <d><d><d>port<d>}) only in an EPSV reply, where the caller's preset {@link #addrHi}/
     * {@link #addrLo} stands. On 1, {@link #start}..{@link #end} is the text to replace.
     *
     * @return 1 found; 0 the pattern is not there; -1 the pattern is (or may be, the payload being shorter than
     *         it) but what follows is not a valid address and port
     */
    int getAddrPort(MemorySegment seg, long data, long limit, byte[] pattern, int skip, boolean ext, int mode, int af) {
        int plen = pattern.length;
        if (limit - data < plen) return matches(seg, data, pattern, (int) (limit - data)) ? -1 : 0;
        if (!matches(seg, data, pattern, plen)) return 0;
        long s = data + plen;
        if (skip != 0) {
            boolean found = false;
            for (;; s++) {
                if (s == limit) return -1;
                int ch = u8(seg, s);
                if (!found) {
                    if (!ext && isDigit(ch)) break;              // "(" is optional for the old format
                    if (ch == skip) found = true;
                } else if (ch != skip) {
                    break;
                }
            }
        }
        if (!ext) {
            int i = 0;
            p[0] = 0;
            long d;
            for (d = s; ; d++) {
                if (d == limit) return -1;
                int ch = u8(seg, d);
                if (isDigit(ch)) {
                    p[i] = (p[i] * 10 + ch - '0') & 0xFF;         // unsigned char p[6]
                } else if (ch == ',' && i < 5) {
                    p[++i] = 0;
                } else {
                    break;                                        // unexpected character or terminator
                }
            }
            if (i != 5) return -1;
            start = s;
            end = d;
            addrHi = 0;
            addrLo = ((long) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
            port = p[4] << 8 | p[5];
            return 1;
        }
        if (s == limit) return -1;
        start = s;
        int edelim = u8(seg, s++);
        if (edelim < 33 || edelim > 126) return -1;
        if (s == limit) return -1;
        if (u8(seg, s) == edelim) {
            if (mode != EPSV) return -1;                         // no family and address: EPSV replies only
            s++;
            if (s == limit) return -1;
            if (u8(seg, s) != edelim) return -1;
            s++;
        } else {
            int family = u8(seg, s);
            if (af == AF_INET6 && family != '2') return -1;       // the connection's own family only
            if (af == AF_INET && family != '1') return -1;
            s++;
            if (s == limit) return -1;
            if (u8(seg, s) != edelim) return -1;
            s++;
            if (s == limit) return -1;
            boolean ok = af == AF_INET6 ? pton.in6(seg, s, limit, edelim) : pton.in4(seg, s, limit, edelim);
            if (!ok) return -1;
            addrHi = pton.hi;
            addrLo = pton.lo;
            s = pton.end;
            if (s == limit) return -1;
            if (u8(seg, s) != edelim) return -1;
            s++;
        }
        int hport = 0;
        for (;; s++) {
            if (s == limit) return -1;
            int ch = u8(seg, s);
            if (!isDigit(ch)) break;
            hport = (hport * 10 + ch - '0') & 0xFFFF;
        }
        if (hport == 0 || u8(seg, s) != edelim) return -1;
        end = s + 1;
        port = hport;
        return 1;
    }

    /** {@code strncasecmp(at, pattern, n) == 0} (the patterns are ASCII). */
    private static boolean matches(MemorySegment seg, long at, byte[] pattern, int n) {
        for (int i = 0; i < n; i++) {
            int a = u8(seg, at + i), b = pattern[i];
            if (a != b && lower(a) != lower(b)) return false;
        }
        return true;
    }

    private static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

    private static boolean isDigit(int ch) { return ch >= '0' && ch <= '9'; }

    private static int u8(MemorySegment seg, long at) { return seg.get(ValueLayout.JAVA_BYTE, at) & 0xFF; }
}
