package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.PacketParser;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.proto.TcpProtocol;
import io.jlvs.service.IpAddr;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.NatHelper;
import io.jlvs.xmit.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The helper runtime alone ({@code ip_vs_app.c}, {@code tcp_app_conn_bind}, the TCP handlers' app calls) over a
 * connection table, with frames placed in a buffer with as much tailroom as each test wants.
 */
class AppsTest {
    static final String CLIENT = "198.51.100.7", VIP = "192.0.2.10", RS = "203.0.113.11";
    static final String MAC_A = "02:00:00:00:00:01", MAC_B = "02:00:00:00:00:02";

    final ConnTable conns = new ConnTable(64, 16, 0);
    final Apps apps = new Apps(conns, new ProtocolTimeouts(), this::create).register(new FtpHelper());
    final Arena arena = Arena.ofConfined();
    final MemorySegment buffer = arena.allocate(2048);
    final Frame frame = new Frame();
    int created;

    @AfterEach
    void close() {
        arena.close();
        conns.close();
    }

    /** The director's part, reduced: a NAT connection controlled by {@code ctl}. */
    int create(int ctl, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport, long daHi, long daLo, int dport, int flags) {
        int c = conns.create(conns.af(ctl), 6, caHi, caLo, cport, vaHi, vaLo, vport, conns.af(ctl), daHi, daLo, dport,
                flags | ConnFlags.MASQ, ConnTable.NONE, 3000, 0);
        if (c != ConnTable.NONE) {
            conns.controlAdd(c, ctl);
            created++;
        }
        return c;
    }

    static long ip(String s) { return IpAddr.parse(s).lo(); }

    int control(int fwd, int vport) {
        int c = conns.create(ConnTable.AF_INET, 6, 0, ip(CLIENT), 40000, 0, ip(VIP), vport, ConnTable.AF_INET, 0, ip(RS), 21,
                fwd, ConnTable.NONE, 60_000, 0);
        conns.state(c, TcpProtocol.S_ESTABLISHED);
        apps.bind(c);
        return c;
    }

    /** Places {@code bytes} in the buffer with {@code tailroom} octets after it, parsed. */
    Frame frame(byte[] bytes, int tailroom) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buffer, 64, bytes.length);
        frame.wrap(buffer, 0, 64 + bytes.length + tailroom, 64, bytes.length);
        assertThat(frame.parse(new PacketParser(), new Flow())).isEqualTo(PacketParser.OK);
        return frame;
    }

    byte[] sent() { return frame.segment().asSlice(frame.start(), frame.length()).toArray(ValueLayout.JAVA_BYTE); }

    static String payload(byte[] f) { return new String(f, 54, f.length - 54, StandardCharsets.US_ASCII); }

    static PacketBuilder fromClient(String text) {
        return PacketBuilder.eth(MAC_A, MAC_B).ipv4(CLIENT, VIP).tcp(40000, 21).ack().seq(1000).ackSeq(5000).payload(text);
    }

    static PacketBuilder fromServer(String text) {
        return PacketBuilder.eth(MAC_B, MAC_A).ipv4(RS, CLIENT).tcp(21, 40000).ack().seq(5000).ackSeq(1000).payload(text);
    }

    int in(int c, byte[] bytes) {
        NatHelper hook = apps.hook(c, conns.state(c));
        assertThat(hook).isNotNull();
        return hook.in(frame(bytes, 256));
    }

    int out(int c, Frame f) { return apps.hook(c, conns.state(c)).out(f); }

    // ------------------------------------------------------------------------------------ registry, binding

    @Test
    void registrationRefusesClashesAndNonTcp() {
        AppHelper other = new AppHelper() {
            @Override public String name() { return "other"; }
            @Override public int[] ports() { return new int[] {8021, 21}; }
            @Override public int in(AppContext ctx) { return Verdict.TX; }
            @Override public int out(AppContext ctx) { return Verdict.TX; }
        };
        assertThatThrownBy(() -> apps.register(other)).hasMessage("other: port 21 already has an application helper");
        assertThat(apps.helperFor(6, 8021)).as("nothing registered on a refusal").isNull();
        assertThatThrownBy(() -> apps.register(new FtpHelper(2121))).hasMessageContaining("already registered");
        AppHelper udp = new AppHelper() {
            @Override public String name() { return "udp"; }
            @Override public int protocol() { return 17; }
            @Override public int[] ports() { return new int[] {53}; }
            @Override public int in(AppContext ctx) { return Verdict.TX; }
            @Override public int out(AppContext ctx) { return Verdict.TX; }
        };
        assertThatThrownBy(() -> apps.register(udp)).hasMessageContaining("only TCP");
        assertThat(apps.helperFor(6, 21)).isInstanceOf(FtpHelper.class);
        assertThat(apps.helperFor(17, 21)).isNull();
    }

    @Test
    void onlyNatTcpConnectionsOnAHelpersPortAreBound() {
        assertThat(apps.isBound(control(ConnFlags.MASQ, 21))).isTrue();
        assertThat(apps.isBound(control(ConnFlags.DROUTE, 21))).as("DR").isFalse();
        assertThat(apps.isBound(control(ConnFlags.TUNNEL, 21))).as("TUN").isFalse();
        assertThat(apps.isBound(control(ConnFlags.MASQ, 80))).as("another port").isFalse();
        int t = conns.create(ConnTable.AF_INET, 6, 0, ip(CLIENT), 0, 0, ip(VIP), 21, ConnTable.AF_INET, 0, ip(RS), 21,
                ConnFlags.MASQ | ConnFlags.TEMPLATE, ConnTable.NONE, 60_000, 0);
        assertThat(apps.bind(t)).as("a template").isFalse();
        int u = conns.create(ConnTable.AF_INET, 17, 0, ip(CLIENT), 1, 0, ip(VIP), 21, ConnTable.AF_INET, 0, ip(RS), 21,
                ConnFlags.MASQ, ConnTable.NONE, 60_000, 0);
        assertThat(apps.bind(u)).as("UDP").isFalse();
        assertThat(apps.hook(u, 0)).isNull();
    }

    @Test
    void unbindingAndUnregistering() {
        int c = control(ConnFlags.MASQ, 21);
        assertThat(apps.seqAdjust().bound()).isEqualTo(1);
        apps.unbind(c);
        assertThat(apps.isBound(c)).isFalse();
        assertThat(apps.seqAdjust().bound()).isZero();
        int d = control(ConnFlags.MASQ, 21);
        assertThat(apps.unregister(FtpHelper.NAME)).isTrue();
        assertThat(apps.unregister(FtpHelper.NAME)).isFalse();
        assertThat(apps.isBound(control(ConnFlags.MASQ, 21))).as("new connections: no helper").isFalse();
        assertThat(apps.helperOf(d)).as("bound ones keep theirs").isInstanceOf(FtpHelper.class);
        apps.register(new FtpHelper(21));
        assertThat(apps.isBound(control(ConnFlags.MASQ, 21))).isTrue();
    }

    // --------------------------------------------------------------------------------------- client commands

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "PASV\\r\\n                | 1",
            "NOOP\\r\\nPASV\\r\\n          | 1",      // anywhere in the segment
            "CWD xPASV\\r\\n           | 1",          // anywhere, really (the kernel scans every offset)
            "pasv\\r\\n                | 1",
            "PASV\\r                  | 0",          // six octets or nothing
            "PASV\\n                  | 0",
            "EPSV\\r\\n                | 3",
            "EPSV 1\\r\\n              | 3",
            "EPSV 2\\r\\n              | 0",          // the other family
            "EPSV ALL\\r\\n            | 0",          // not supported
            "EPSV 1\\n                | 0",
    })
    void passiveCommands(String text, int mode) {
        int c = control(ConnFlags.MASQ, 21);
        assertThat(in(c, fromClient(text.replace("\\r", "\r").replace("\\n", "\n")).build())).isEqualTo(Verdict.TX);
        assertThat(apps.seqAdjust().appData(c)).isEqualTo(mode);
        assertThat(created).isZero();
    }

    @Test
    void epsvAllEndsTheLookSoAPortAfterItInTheSameSegmentIsNotSeenEither() {
        int c = control(ConnFlags.MASQ, 21);
        apps.seqAdjust().appData(c, FtpHelper.PASV);
        in(c, fromClient("EPSV ALL\r\n").build());
        assertThat(apps.seqAdjust().appData(c)).isEqualTo(FtpHelper.PASV);
        in(c, fromClient("PORT 198,51,100,7,195,80\r\nEPSV ALL\r\n").build());
        assertThat(created).isZero();
        in(c, fromClient("PORT 198,51,100,7,195,80\r\n").build());
        assertThat(created).isEqualTo(1);
        assertThat(apps.seqAdjust().appData(c)).as("passive mode off").isEqualTo(FtpHelper.ACTIVE);
    }

    @Test
    void nothingHappensBeforeOrAfterEstablished() {
        int c = control(ConnFlags.MASQ, 21);
        conns.state(c, TcpProtocol.S_SYN_RECV);
        in(c, fromClient("PASV\r\n").build());
        in(c, fromClient("PORT 198,51,100,7,195,80\r\n").build());
        assertThat(apps.seqAdjust().appData(c)).isZero();
        assertThat(created).isZero();
    }

    // ------------------------------------------------------------------------------------ the rewrite itself

    @Test
    void aReplyThatMustGrowWithoutRoomIsDroppedAfterTheConnectionIsMadeAsTheKernelDoes() {
        int c = control(ConnFlags.MASQ, 21);
        apps.seqAdjust().appData(c, FtpHelper.PASV);
        byte[] reply = fromServer("227 =10,1,2,3,4,1\r\n").build();        // "10,1,2,3" -> "192,0,2,10": +2
        Frame f = frame(reply, 1);
        assertThat(out(c, f)).isEqualTo(DropReason.PAYLOAD_REWRITE_FAILED.code());
        assertThat(sent()).as("left as it was").isEqualTo(reply);
        assertThat(created).isEqualTo(1);
        assertThat(apps.seqAdjust().appData(c)).isEqualTo(FtpHelper.ACTIVE);
        assertThat(conns.flags(c) & ConnFlags.SEQ_MASK).isZero();

        apps.seqAdjust().appData(c, FtpHelper.PASV);
        f = frame(reply, 2);
        assertThat(out(c, f)).isEqualTo(Verdict.TX);
        byte[] out = sent();
        assertThat(payload(out)).isEqualTo("227 =192,0,2,10,4,1\r\n");
        assertThat(out.length).isEqualTo(reply.length + 2);
        assertThat(Checksum.verify(out)).isEmpty();
        assertThat(created).as("the second reply finds the same data connection").isEqualTo(1);
    }

    @Test
    void ethernetPaddingIsRoomAndIsDroppedWhenTheReplyShrinks() {
        int c = control(ConnFlags.MASQ, 21);
        apps.seqAdjust().appData(c, FtpHelper.PASV);
        byte[] reply = fromServer("227 =203,0,113,11,4,1\r\n").padTo(120).build();
        Frame f = frame(reply, 0);
        assertThat(out(c, f)).isEqualTo(Verdict.TX);
        byte[] out = sent();
        assertThat(payload(out)).isEqualTo("227 =192,0,2,10,4,1\r\n");
        assertThat(out.length).isEqualTo(54 + 21);
        assertThat(Checksum.verify(out)).isEmpty();
    }

    @Test
    void aPartialChecksumGetsTheNewLengthInItsPseudoHeaderSum() {
        int c = control(ConnFlags.MASQ, 21);
        apps.seqAdjust().appData(c, FtpHelper.PASV);
        Frame f = frame(fromServer("227 Entering Passive Mode (203,0,113,11,156,64)\r\n").partialChecksum().build(), 64);
        f.partialChecksum(f.l4Offset(), 16, false);
        assertThat(out(c, f)).isEqualTo(Verdict.TX);
        f.completeChecksum();
        byte[] out = sent();
        assertThat(payload(out)).isEqualTo("227 Entering Passive Mode (192,0,2,10,156,64)\r\n");
        assertThat(Checksum.verify(out)).isEmpty();
    }

    @Test
    void aBadChecksumIsDroppedAndAFirstFragmentOnlyHasItsNumbersFixed() {
        int c = control(ConnFlags.MASQ, 21);
        assertThat(in(c, fromClient("PASV\r\n").badChecksum().build())).isEqualTo(DropReason.BAD_TCP_CHECKSUM.code());
        assertThat(apps.checksumDrops()).isEqualTo(1);
        assertThat(apps.seqAdjust().appData(c)).isZero();

        apps.seqAdjust().update(c, false, 4000, 5);                      // earlier server replies grew by 5
        byte[] first = PacketBuilder.eth(MAC_A, MAC_B).ipv4(CLIENT, VIP).fragment(0, true).tcp(40000, 21).ack()
                .seq(1000).ackSeq(5005).payload("PASV\r\n").build();
        assertThat(in(c, first)).isEqualTo(Verdict.TX);
        assertThat(apps.seqAdjust().appData(c)).as("a fragment's payload is not parsed").isZero();
        byte[] out = sent();
        assertThat(((out[42] & 0xFF) << 24 | (out[43] & 0xFF) << 16 | (out[44] & 0xFF) << 8 | (out[45] & 0xFF)))
                .as("its ack is fixed").isEqualTo(5000);
    }
}
