package io.jlvs.daemon;

import io.jlvs.service.IpAddr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * jlvsd's own configuration file (the services come from jlvsadm or a keepalived.conf): one {@code key value} per
 * line, {@code #} starts a comment. Read and validated here, in one place, before anything starts; every error
 * names the file, the line and the offending token.
 *
 * <pre>
 * interface d0                  # serve these interfaces only (default: every up, non-loopback interface)
 * interface d1
 * address 198.51.100.1          # answer ARP/NDP for this address too (a NAT gateway the kernel does not own)
 * threads 1                     # data-plane threads
 * socket jlvsd                  # the control socket's abstract name
 * metrics 127.0.0.1:9116        # Prometheus endpoint
 * conn-table 1048576            # connections (IPv4); IPv6 gets a sixteenth
 * admin-group 0                 # a group whose members may change the configuration besides root
 * keepalived /etc/keepalived/keepalived.conf
 * </pre>
 */
public record DaemonConfig(List<String> interfaces, List<IpAddr> addresses, int threads, String socket,
                           String metrics, int connTable, int adminGroup, Path keepalived) {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    /** The largest thread count accepted (one per core is the most that helps). */
    public static final int MAX_THREADS = 64;

    public DaemonConfig {
        interfaces = List.copyOf(interfaces);
        addresses = List.copyOf(addresses);
    }

    public static DaemonConfig defaults() {
        return new DaemonConfig(List.of(), List.of(), 1, Jlvsd.DEFAULT_SOCKET, null, 1 << 20, -1, null);
    }

    /** Reads {@code file}; an {@link IllegalArgumentException} with {@code file:line: message} for a bad one. */
    public static DaemonConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file), file.toString());
    }

    public static DaemonConfig parse(List<String> lines, String name) {
        DaemonConfig d = defaults();
        Set<String> ifs = new LinkedHashSet<>();
        Set<IpAddr> addrs = new LinkedHashSet<>();
        int threads = d.threads, connTable = d.connTable, adminGroup = d.adminGroup;
        String socket = d.socket, metrics = d.metrics;
        Path keepalived = null;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = name + ":" + (i + 1) + ": ";
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] w = line.split("\\s+");
            String key = w[0];
            if (w.length != 2) throw new IllegalArgumentException(where + "'" + key + "' takes exactly one value");
            String v = w[1];
            boolean repeatable = key.equals("interface") || key.equals("address");
            if (!repeatable && !seen.add(key)) throw new IllegalArgumentException(where + "'" + key + "' given twice");
            switch (key) {
                case "interface" -> {
                    if (!IFNAME.matcher(v).matches()) throw new IllegalArgumentException(where + "bad interface name '" + v + "'");
                    if (!ifs.add(v)) throw new IllegalArgumentException(where + "interface '" + v + "' given twice");
                }
                case "address" -> {
                    IpAddr a = IpAddr.parse(v);
                    if (a == null) throw new IllegalArgumentException(where + "bad address '" + v + "'");
                    addrs.add(a);
                }
                case "threads" -> threads = integer(where, key, v, 1, MAX_THREADS);
                case "socket" -> {
                    if (v.length() > 107) throw new IllegalArgumentException(where + "socket name longer than 107 characters");
                    socket = v;
                }
                case "metrics" -> metrics = v;
                case "conn-table" -> connTable = integer(where, key, v, 1024, 1 << 28);
                case "admin-group" -> adminGroup = integer(where, key, v, 0, Integer.MAX_VALUE);
                case "keepalived" -> keepalived = Path.of(v);
                default -> throw new IllegalArgumentException(where + "unknown key '" + key
                        + "' (known: interface address threads socket metrics conn-table admin-group keepalived)");
            }
        }
        return new DaemonConfig(new ArrayList<>(ifs), new ArrayList<>(addrs), threads, socket, metrics, connTable,
                adminGroup, keepalived);
    }

    private static int integer(String where, String key, String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "'" + key + "' wants a number, not '" + v + "'");
        }
        if (n < min || n > max) throw new IllegalArgumentException(where + "'" + key + "' must be " + min + ".." + max + ", not " + v);
        return (int) n;
    }
}
