package io.jlvs.testkit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Text to address octets for tests: MAC addresses ({@code 02:00:00:00:00:01}), IPv4 dotted quads and IPv6
 * literals, with the long/int forms the views use (network order, first octet most significant).
 * Numeric literals only: nothing here resolves names.
 */
public final class Addresses {
    private Addresses() {}

    /** Six octets of a colon- or dash-separated MAC address. */
    public static byte[] mac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) throw new IllegalArgumentException("not a MAC address: " + text);
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            int v = Integer.parseInt(parts[i], 16);
            if (v < 0 || v > 0xFF || parts[i].length() > 2) throw new IllegalArgumentException("not a MAC address: " + text);
            b[i] = (byte) v;
        }
        return b;
    }

    /** A MAC address as 48 bits in a long. */
    public static long macLong(String text) {
        return toLong(mac(text), 0, 6);
    }

    /** Four octets of an IPv4 dotted quad. */
    public static byte[] ipv4(String text) {
        if (text.indexOf(':') >= 0 || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        InetAddress a = InetAddress.ofLiteral(text);
        if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("not an IPv4 address: " + text);
        return a.getAddress();
    }

    /** An IPv4 address as the int of its network-order octets ({@code 192.0.2.1} is {@code 0xC0000201}). */
    public static int ipv4Int(String text) {
        return (int) toLong(ipv4(text), 0, 4);
    }

    /** Sixteen octets of an IPv6 literal (IPv4-mapped forms stay 16 octets). */
    public static byte[] ipv6(String text) {
        if (text.indexOf(':') < 0) throw new IllegalArgumentException("not an IPv6 address: " + text);
        InetAddress a = InetAddress.ofLiteral(text);
        if (a instanceof Inet6Address) return a.getAddress();
        byte[] v4 = a.getAddress();                        // ::ffff:a.b.c.d comes back as an Inet4Address
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    /** First eight octets of an IPv6 address as a long. */
    public static long ipv6Hi(String text) { return toLong(ipv6(text), 0, 8); }

    /** Last eight octets of an IPv6 address as a long. */
    public static long ipv6Lo(String text) { return toLong(ipv6(text), 8, 8); }

    static long toLong(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) v = (v << 8) | (b[off + i] & 0xFF);
        return v;
    }
}
