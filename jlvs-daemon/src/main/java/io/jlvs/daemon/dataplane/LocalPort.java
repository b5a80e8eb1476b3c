package io.jlvs.daemon.dataplane;

import io.jlvs.netio.Tun;
import io.jlvs.netio.sys.Errno;
import io.jlvs.packet.IfEther;
import io.jlvs.packet.NetworkOrder;
import io.jlvs.xmit.TxPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local stack's port (IPVS's LocalNode: a real server whose address is the director's own): the IP packet of
 * each frame is written into a TUN device, so the host's stack receives it as if it had arrived on that interface
 * and the local server answers the client directly. The device's reverse-path filter is switched off (the client
 * is routed through another interface) and it accepts local sources (a packet read from it is handed back to the
 * host). The device is opened non-blocking: the data plane reads from it the replies of local NAT real servers
 * ({@link LocalReplyRoute}). No allocation per packet; a write the kernel refuses is counted.
 */
final class LocalPort implements TxPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPort.class);
    private final Tun tun;
    private final int ifIndex;
    long written, refused, read, readErrors;

    /** The TUN device's descriptor, to wait on. */
    int fd() { return tun.fd(); }

    private LocalPort(Tun tun, int ifIndex) {
        this.tun = tun;
        this.ifIndex = ifIndex;
    }

    static LocalPort open(String name) throws IOException {
        Tun t = Tun.open(name, true);
        try {
            t.bringUp();
            for (String knob : new String[] {"rp_filter", "accept_local"}) {
                Path p = Path.of("/proc/sys/net/ipv4/conf", t.name(), knob);
                Files.writeString(p, knob.equals("rp_filter") ? "0\n" : "1\n");
            }
            String all = Files.readString(Path.of("/proc/sys/net/ipv4/conf/all/rp_filter")).strip();
            if (!all.equals("0") && !all.equals("2")) {
                LOG.warn("net.ipv4.conf.all.rp_filter={}: LocalNode packets from clients routed through another interface "
                        + "are dropped by the kernel's strict reverse-path filter; set it to 2 (loose) or 0", all);
            }
        } catch (IOException | RuntimeException e) {
            t.close();
            throw new IOException("local-stack device " + name + ": " + e.getMessage(), e);
        }
        int index;
        try {
            index = Integer.parseInt(Files.readString(Path.of("/sys/class/net", t.name(), "ifindex")).strip());
        } catch (IOException | NumberFormatException e) {
            index = 0;
        }
        return new LocalPort(t, index);
    }

    /** The TUN device's interface index (0 if unknown). */
    int ifIndex() { return ifIndex; }

    /**
     * The next IP packet the host routed into the device ({@link LocalReplyRoute}: replies of local NAT real
     * servers), read to {@code offset} of {@code buf} without waiting.
     *
     * @return its length, or 0 when none is queued (an error is counted and reads as none)
     */
    int receive(MemorySegment buf, long offset, int capacity) {
        int r = tun.readNow(buf, offset, capacity);
        if (r > 0) {
            read++;
            return r;
        }
        if (r < 0 && r != -Errno.EAGAIN) readErrors++;
        return 0;
    }

    /** Hands an IP packet read from the device back to the host, which forwards it by its routes. */
    boolean sendBack(MemorySegment buf, long offset, int length) {
        if (tun.write(buf, offset, length) < 0) {
            refused++;
            return false;
        }
        written++;
        return true;
    }

    @Override
    public boolean send(int ifIndex, MemorySegment seg, long offset, int length) {
        int l2 = 14;
        if (length >= 18 && NetworkOrder.u16(seg, offset + 12) == IfEther.ETH_P_8021Q) l2 = 18;
        if (length <= l2) {
            refused++;
            return false;
        }
        int r = tun.write(seg, offset + l2, length - l2);
        if (r < 0) {
            refused++;
            return false;
        }
        written++;
        return true;
    }

    @Override
    public void close() { tun.close(); }
}
