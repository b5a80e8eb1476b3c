package io.jlvs.ctl.ipvsadm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Port names as {@code getservbyname}/{@code getservbyport} give them: read from {@code /etc/services}
 * ("name port/proto aliases... # comment"), or from a small built-in copy of the common entries when that file
 * is missing. Lookups are exact and case-sensitive; the first matching line wins, as in glibc's files backend.
 */
public final class Services {
    private record Entry(String name, List<String> aliases, int port, String proto) {}

    /** The common entries of Debian's /etc/services, for systems without the file. */
    private static final String BUILT_IN = """
            ftp-data 20/tcp
            ftp 21/tcp
            ssh 22/tcp
            telnet 23/tcp
            smtp 25/tcp mail
            domain 53/tcp
            domain 53/udp
            http 80/tcp www
            kerberos 88/tcp kerberos5 krb5 kerberos-sec
            kerberos 88/udp kerberos5 krb5 kerberos-sec
            pop3 110/tcp pop-3
            ntp 123/udp
            imap2 143/tcp imap
            snmp 161/tcp
            snmp 161/udp
            ldap 389/tcp
            ldap 389/udp
            https 443/tcp
            https 443/udp
            syslog 514/udp
            submission 587/tcp
            ldaps 636/tcp
            imaps 993/tcp
            pop3s 995/tcp
            openvpn 1194/tcp
            openvpn 1194/udp
            mysql 3306/tcp
            sip 5060/tcp
            sip 5060/udp
            postgresql 5432/tcp postgres
            http-alt 8080/tcp webcache
            """;

    private final List<Entry> entries;

    private Services(List<Entry> entries) { this.entries = entries; }

    /** The system's /etc/services, or the built-in table when it cannot be read. */
    public static Services system() {
        Path p = Path.of("/etc/services");
        try {
            if (Files.isReadable(p)) return parse(Files.readString(p, StandardCharsets.ISO_8859_1));
        } catch (IOException ignored) {
            // fall through to the built-in table
        }
        return builtIn();
    }

    /** The built-in table only (tests: the same answers on every machine). */
    public static Services builtIn() { return parse(BUILT_IN); }

    /** A table in /etc/services syntax. */
    public static Services parse(String text) {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            for (String line; (line = r.readLine()) != null; ) {
                int hash = line.indexOf('#');
                if (hash >= 0) line = line.substring(0, hash);
                String[] w = line.trim().split("\\s+");
                if (w.length < 2 || w[0].isEmpty()) continue;
                int slash = w[1].indexOf('/');
                if (slash <= 0) continue;
                int port;
                try {
                    port = Integer.parseInt(w[1].substring(0, slash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (port < 0 || port > 65535) continue;
                List<String> aliases = List.of(w).subList(2, w.length);
                out.add(new Entry(w[0], List.copyOf(aliases), port, w[1].substring(slash + 1).toLowerCase(Locale.ROOT)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Services(List.copyOf(out));
    }

    /** {@code getservbyname(name, proto)}: the port, or -1. */
    public int port(String name, String proto) {
        for (Entry e : entries) {
            if (e.proto.equals(proto) && (e.name.equals(name) || e.aliases.contains(name))) return e.port;
        }
        return -1;
    }

    /** {@code getservbyport(port, proto)}: the official name, or null. */
    public String name(int port, String proto) {
        for (Entry e : entries) if (e.port == port && e.proto.equals(proto)) return e.name;
        return null;
    }
}
