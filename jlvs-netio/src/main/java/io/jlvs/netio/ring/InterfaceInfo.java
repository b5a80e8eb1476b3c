package io.jlvs.netio.ring;

import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.IfReq;
import io.jlvs.netio.sys.Libc;
import io.jlvs.netio.sys.PacketSyscalls;
import io.jlvs.netio.sys.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An interface's index, MAC address and MTU, looked up by name with {@code ioctl} (SIOCGIFINDEX,
 * SIOCGIFHWADDR, SIOCGIFMTU) in the calling thread's network namespace: enough to open a {@link PacketRing}
 * and address frames. A snapshot; the daemon follows changes through rtnetlink.
 *
 * @param mac the 48-bit hardware address, first byte most significant ({@code 0x02_00_00_00_00_01})
 */
public record InterfaceInfo(String name, int index, long mac, int mtu) {

    /** Looks {@code name} up; ENODEV names the interface and the namespace. */
    public static InterfaceInfo lookup(String name) throws ErrnoException {
        NetioAvailability.ensureAvailable();
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= IfReq.IFNAMSIZ) {
            throw new IllegalArgumentException("interface names are 1 to 15 characters: '" + name + "'");
        }
        int fd = (int) Libc.check("socket(AF_INET, SOCK_DGRAM)",
                Libc.socket(PacketSyscalls.AF_INET, PacketSyscalls.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(IfReq.IFREQ);
            MemorySegment.copy(n, 0, req, ValueLayout.JAVA_BYTE, IfReq.IFR_NAME, n.length);
            ioctl(fd, PacketSyscalls.SIOCGIFINDEX, req, "SIOCGIFINDEX", name);
            int index = req.get(ValueLayout.JAVA_INT, IfReq.IFR_IFINDEX);
            ioctl(fd, PacketSyscalls.SIOCGIFMTU, req, "SIOCGIFMTU", name);
            int mtu = req.get(ValueLayout.JAVA_INT, IfReq.IFR_MTU);
            ioctl(fd, PacketSyscalls.SIOCGIFHWADDR, req, "SIOCGIFHWADDR", name);
            long mac = 0;
            for (int i = 0; i < 6; i++) {
                mac = (mac << 8) | (req.get(ValueLayout.JAVA_BYTE, IfReq.IFR_HWADDR_DATA + i) & 0xFF);
            }
            return new InterfaceInfo(name, index, mac, mtu);
        } finally {
            Libc.close(fd);
        }
    }

    private static void ioctl(int fd, long request, MemorySegment req, String what, String name)
            throws ErrnoException {
        int res = PacketSyscalls.ioctl(fd, request, req);
        if (res == -Errno.ENODEV) {
            throw new ErrnoException("ioctl(" + what + ", " + name + ")", Errno.ENODEV,
                    "no interface named " + name + " in this thread's network namespace");
        }
        Libc.check("ioctl(" + what + ", " + name + ")", res);
    }

    /** The MAC's six bytes. */
    public byte[] macBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    /** {@code 02:00:00:00:00:01}. */
    public String macString() {
        return HexFormat.ofDelimiter(":").formatHex(macBytes());
    }
}
