package io.jlvs.ctl.keepalived.check;

import io.jlvs.ctl.keepalived.ConfNode;
import io.jlvs.ctl.keepalived.Diagnostics;
import io.jlvs.ha.check.CheckKey;
import io.jlvs.ha.check.CheckPolicy;
import io.jlvs.ha.check.CheckSpec;
import io.jlvs.ha.check.ConnectOptions;
import io.jlvs.ha.check.DnsChecker;
import io.jlvs.ha.check.FileChecker;
import io.jlvs.ha.check.HexPattern;
import io.jlvs.ha.check.HttpChecker;
import io.jlvs.ha.check.MiscChecker;
import io.jlvs.ha.check.PingChecker;
import io.jlvs.ha.check.SmtpChecker;
import io.jlvs.ha.check.TcpChecker;
import io.jlvs.ha.check.UdpChecker;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checker blocks of a {@code real_server} (keepalived.conf(5), {@code check_*.c}) turned into
 * {@link CheckKey}s for {@link io.jlvs.ha.check.CheckRunner}: one {@link CheckSpec} (what, against which
 * target) and one {@link CheckPolicy} (when) per block, keepalived's defaults applied.
 *
 * <p>Keywords of every kind but MISC_CHECK and FILE_CHECK: {@code connect_ip}, {@code connect_port},
 * {@code bindto}, {@code bind_port}, {@code connect_timeout}, {@code fwmark} (applied by PING_CHECK; reported as
 * skipped elsewhere, since JDK sockets cannot carry SO_MARK), {@code bind_if} (skipped). Timing keywords of every
 * kind but FILE_CHECK: {@code retry} ({@code nb_get_retry} for HTTP_GET/SSL_GET), {@code delay_before_retry},
 * {@code warmup}, {@code delay_loop}, {@code alpha}; {@code log_all_failures} is skipped (logging only).
 *
 * <p>A keyword jlvs does not know is {@link Diagnostics#skipped skipped} by name; a bad value, a missing
 * required keyword (HTTP_GET without url, url without path, MISC_CHECK without misc_path, FILE_CHECK without a
 * known track_file) or a target without a port is an {@link Diagnostics#error error}, and the block yields
 * nothing. BFD_CHECK is skipped whole.
 */
public final class CheckerBlocks {

    /** Every checker block keyword of keepalived. */
    public static final Set<String> KEYWORDS = Set.of("HTTP_GET", "SSL_GET", "TCP_CHECK", "SMTP_CHECK", "DNS_CHECK",
            "MISC_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK");

    /** FILE_CHECK has no timing keywords: keepalived follows the file with inotify; jlvs reads it every second. */
    public static final Duration FILE_POLL = Duration.ofSeconds(1);

    private CheckerBlocks() {}

    public static boolean isChecker(String keyword) {
        return KEYWORDS.contains(keyword);
    }

    /**
     * The check {@code block} describes, or empty when it is skipped (BFD_CHECK) or invalid (reported).
     *
     * @param block a checker block, e.g. the {@code HTTP_GET { ... }} inside a real_server
     * @param ctx   what the real_server and virtual_server give it
     * @param d     where skipped keywords and errors go
     */
    public static Optional<CheckKey> parse(ConfNode block, CheckerContext ctx, Diagnostics d) {
        String kind = block.keyword();
        if (!block.args().isEmpty() && !kind.equals("BFD_CHECK")) {
            d.skipped(block, kind + ": unexpected arguments " + block.args());
        }
        return switch (kind) {
            case "TCP_CHECK" -> simple(block, ctx, d, Kind.TCP);
            case "PING_CHECK" -> simple(block, ctx, d, Kind.PING);
            case "HTTP_GET", "SSL_GET" -> http(block, ctx, d);
            case "SMTP_CHECK" -> smtp(block, ctx, d);
            case "DNS_CHECK" -> dns(block, ctx, d);
            case "UDP_CHECK" -> udp(block, ctx, d);
            case "MISC_CHECK" -> misc(block, ctx, d);
            case "FILE_CHECK" -> file(block, ctx, d);
            case "BFD_CHECK" -> {
                d.skipped(block, "BFD_CHECK is not implemented (no BFD in jlvs)");
                yield Optional.empty();
            }
            default -> throw new IllegalArgumentException("not a checker block: " + kind);
        };
    }

    private enum Kind { TCP, PING, HTTP, SSL, SMTP, DNS, UDP, MISC }

    // ---- the kinds ----

    private static Optional<CheckKey> simple(ConfNode block, CheckerContext ctx, Diagnostics d, Kind kind) {
        Common c = new Common(kind);
        for (ConfNode n : block.children()) {
            if (!c.accept(n, d)) {
                unknown(block, n, d);
            }
        }
        ConnectOptions co = c.connect(block, ctx, d);
        if (co == null || !c.ok) {
            return Optional.empty();
        }
        CheckSpec spec = kind == Kind.PING ? new PingChecker.Spec(co) : new TcpChecker.Spec(co);
        return Optional.of(new CheckKey(spec, c.policy(ctx)));
    }

    private static Optional<CheckKey> http(ConfNode block, CheckerContext ctx, Diagnostics d) {
        boolean tls = block.keyword().equals("SSL_GET");
        Common c = new Common(tls ? Kind.SSL : Kind.HTTP);
        List<HttpChecker.Url> urls = new ArrayList<>();
        String vhost = null;
        HttpChecker.Protocol protocol = HttpChecker.Protocol.HTTP_1_0;
        boolean sni = false;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            if (c.accept(n, d)) {
                continue;
            }
            switch (n.keyword()) {
                case "nb_get_retry" -> c.retry(n, d);
                case "virtualhost" -> {
                    vhost = Values.arg(n, d);
                    ok &= vhost != null;
                }
                case "http_protocol" -> {
                    String v = Values.arg(n, d);
                    switch (v == null ? "" : v) {
                        case "1.0" -> protocol = HttpChecker.Protocol.HTTP_1_0;
                        case "1.0C", "1.0c" -> protocol = HttpChecker.Protocol.HTTP_1_0C;
                        case "1.1" -> protocol = HttpChecker.Protocol.HTTP_1_1;
                        default -> {
                            if (v != null) {
                                d.error(n, "http_protocol: invalid version '" + v + "' (1.0, 1.0C or 1.1)");
                            }
                            ok = false;
                        }
                    }
                }
                case "enable_sni" -> {
                    Boolean b = Values.flag(n, d);
                    if (b == null) {
                        ok = false;
                    } else if (!tls) {
                        d.skipped(n, "enable_sni has no effect on HTTP_GET");
                    } else {
                        sni = b;
                    }
                }
                case "fast_recovery" -> ok &= Values.flag(n, d) != null; // jlvs always checks every url per attempt
                case "url" -> {
                    HttpChecker.Url u = url(n, d);
                    if (u == null) {
                        ok = false;
                    } else {
                        urls.add(u);
                    }
                }
                default -> unknown(block, n, d);
            }
        }
        if (urls.isEmpty() && ok) {
            d.error(block, block.keyword() + " has no url");
            ok = false;
        }
        ConnectOptions co = c.connect(block, ctx, d);
        if (co == null || !ok || !c.ok) {
            return Optional.empty();
        }
        String effectiveHost = vhost != null ? vhost : ctx.virtualHost();
        return Optional.of(new CheckKey(new HttpChecker.Spec(co, tls, urls, effectiveHost, protocol, sni),
                c.policy(ctx)));
    }

    private static HttpChecker.Url url(ConfNode block, Diagnostics d) {
        String path = null;
        String digest = null;
        List<HttpChecker.StatusRange> codes = new ArrayList<>();
        String vhost = null;
        String regex = null;
        int flags = 0;
        boolean noMatch = false;
        ConfNode noMatchNode = null;
        Integer min = null;
        Integer max = null;
        ConfNode offsetNode = null;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            switch (n.keyword()) {
                case "path" -> {
                    path = Values.arg(n, d);
                    ok &= path != null;
                }
                case "digest" -> {
                    String v = Values.arg(n, d);
                    if (v == null) {
                        ok = false;
                    } else if (digest != null) {
                        d.error(n, "digest '" + v + "' is a duplicate");
                        ok = false;
                    } else if (!v.matches("[0-9A-Fa-f]{32}")) {
                        d.error(n, "digest '" + v + "' must be 32 hex digits (an MD5, as genhash prints it)");
                        ok = false;
                    } else {
                        digest = v;
                    }
                }
                case "status_code" -> {
                    if (n.args().isEmpty()) {
                        d.error(n, "status_code: missing value");
                        ok = false;
                    }
                    for (String a : n.args()) {
                        HttpChecker.StatusRange r = statusRange(a);
                        if (r == null) {
                            d.error(n, "status_code: invalid HTTP status code '" + a + "' (100-599 or a range)");
                            ok = false;
                        } else {
                            codes.add(r);
                        }
                    }
                }
                case "virtualhost" -> {
                    vhost = Values.arg(n, d);
                    ok &= vhost != null;
                }
                case "regex" -> {
                    if (n.args().size() != 1) {
                        d.error(n, "regex: expected one pattern (quote it if it has blanks)");
                        ok = false;
                    } else {
                        regex = n.arg(0);
                    }
                }
                case "regex_no_match" -> {
                    noMatch = true;
                    noMatchNode = n;
                }
                case "regex_options" -> {
                    for (String o : n.args()) {
                        switch (o) {
                            case "caseless" -> flags |= Pattern.CASE_INSENSITIVE;
                            case "multiline" -> flags |= Pattern.MULTILINE;
                            case "dotall" -> flags |= Pattern.DOTALL;
                            case "extended" -> flags |= Pattern.COMMENTS;
                            case "ucp" -> flags |= Pattern.UNICODE_CHARACTER_CLASS;
                            case "utf" -> flags |= Pattern.UNICODE_CASE;
                            default -> d.skipped(n, "regex_options: PCRE2 option '" + o + "' not supported");
                        }
                    }
                }
                case "regex_min_offset" -> {
                    Long v = Values.integer(n, 0, Integer.MAX_VALUE, d);
                    ok &= v != null;
                    min = v == null ? null : v.intValue();
                    offsetNode = n;
                }
                case "regex_max_offset" -> {
                    Long v = Values.integer(n, 0, Integer.MAX_VALUE - 1, d);
                    ok &= v != null;
                    max = v == null ? null : v.intValue();
                    offsetNode = n;
                }
                case "regex_stack" -> d.skipped(n, "regex_stack is a PCRE2 JIT setting, not needed by jlvs");
                default -> d.skipped(n, "unknown keyword '" + n.keyword() + "' in url");
            }
        }
        if (path == null) {
            if (ok) {
                d.error(block, "url has no path");
            }
            return null;
        }
        if (regex == null && (noMatch || offsetNode != null)) {
            d.skipped(noMatchNode != null ? noMatchNode : offsetNode, "regex parameters without regex are ignored");
            noMatch = false;
            min = null;
            max = null;
        }
        if (min != null && max != null && min > max) {
            d.error(offsetNode, "regex_min_offset " + min + " is beyond regex_max_offset " + max);
            ok = false;
        }
        if (regex != null) {
            try {
                Pattern.compile(regex, flags);
            } catch (PatternSyntaxException e) {
                d.error(block, "regex '" + regex + "' is invalid: " + e.getDescription());
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        return new HttpChecker.Url(path, codes, digest, vhost, regex, flags, noMatch, min == null ? 0 : min,
                max == null ? -1 : max);
    }

    /** {@code 200} or {@code 200-299}, within 100-599, or null. */
    static HttpChecker.StatusRange statusRange(String a) {
        int dash = a.indexOf('-');
        try {
            int lo = Integer.parseInt(dash < 0 ? a : a.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(a.substring(dash + 1));
            return new HttpChecker.StatusRange(lo, hi);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<CheckKey> smtp(ConfNode block, CheckerContext ctx, Diagnostics d) {
        Common c = new Common(Kind.SMTP);
        String helo = null;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            if (c.accept(n, d)) {
                continue;
            }
            switch (n.keyword()) {
                case "helo_name" -> {
                    helo = Values.arg(n, d);
                    ok &= helo != null;
                }
                case "host" -> d.skipped(n, "the deprecated SMTP_CHECK host sub-block is not implemented:"
                        + " use one SMTP_CHECK per host with connect_ip");
                default -> unknown(block, n, d);
            }
        }
        ConnectOptions co = c.connect(block, ctx, d);
        if (co == null || !ok || !c.ok) {
            return Optional.empty();
        }
        return Optional.of(new CheckKey(new SmtpChecker.Spec(co, helo), c.policy(ctx)));
    }

    private static Optional<CheckKey> dns(ConfNode block, CheckerContext ctx, Diagnostics d) {
        Common c = new Common(Kind.DNS);
        int type = DnsChecker.TYPE_SOA;
        String name = DnsChecker.DEFAULT_NAME;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            if (c.accept(n, d)) {
                continue;
            }
            switch (n.keyword()) {
                case "type" -> {
                    String v = Values.arg(n, d);
                    int t = v == null ? -1 : DnsChecker.type(v);
                    if (t < 0) {
                        if (v != null) {
                            d.error(n, "type: unknown DNS query type '" + v + "' (" + String.join("|",
                                    new java.util.TreeSet<>(DnsChecker.TYPES.keySet())) + ")");
                        }
                        ok = false;
                    } else {
                        type = t;
                    }
                }
                case "name" -> {
                    String v = Values.arg(n, d);
                    if (v == null) {
                        ok = false;
                        break;
                    }
                    try {
                        DnsChecker.encodeName(v);
                        name = v;
                    } catch (IllegalArgumentException e) {
                        d.error(n, "name: " + e.getMessage());
                        ok = false;
                    }
                }
                default -> unknown(block, n, d);
            }
        }
        ConnectOptions co = c.connect(block, ctx, d);
        if (co == null || !ok || !c.ok) {
            return Optional.empty();
        }
        return Optional.of(new CheckKey(new DnsChecker.Spec(co, type, name), c.policy(ctx)));
    }

    private static Optional<CheckKey> udp(ConfNode block, CheckerContext ctx, Diagnostics d) {
        Common c = new Common(Kind.UDP);
        HexPattern payload = null;
        boolean require = false;
        HexPattern reply = null;
        int min = 0;
        int max = UdpChecker.DEFAULT_MAX_REPLY_LENGTH;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            if (c.accept(n, d)) {
                continue;
            }
            switch (n.keyword()) {
                case "payload" -> {
                    if (n.args().isEmpty()) {
                        d.error(n, "payload: missing hex string");
                        ok = false;
                        break;
                    }
                    try {
                        payload = HexPattern.parse(String.join(" ", n.args()), false);
                    } catch (IllegalArgumentException e) {
                        d.error(n, "payload: invalid hex string: " + e.getMessage());
                        ok = false;
                    }
                }
                case "require_reply" -> {
                    require = true;
                    if (!n.args().isEmpty()) {
                        try {
                            reply = HexPattern.parse(String.join(" ", n.args()), true);
                        } catch (IllegalArgumentException e) {
                            d.error(n, "require_reply: invalid hex string: " + e.getMessage());
                            ok = false;
                        }
                    }
                }
                case "min_reply_length" -> {
                    Long v = Values.integer(n, 0, 65535, d);
                    ok &= v != null;
                    min = v == null ? min : v.intValue();
                }
                case "max_reply_length" -> {
                    Long v = Values.integer(n, 0, 65535, d);
                    ok &= v != null;
                    max = v == null ? max : v.intValue();
                }
                default -> unknown(block, n, d);
            }
        }
        if (min > max) {
            d.error(block, "UDP_CHECK min_reply_length " + min + " > max_reply_length " + max + ": would always fail");
            ok = false;
        }
        ConnectOptions co = c.connect(block, ctx, d);
        if (co == null || !ok || !c.ok) {
            return Optional.empty();
        }
        return Optional.of(new CheckKey(new UdpChecker.Spec(co, payload, require, reply, min, max), c.policy(ctx)));
    }

    private static Optional<CheckKey> misc(ConfNode block, CheckerContext ctx, Diagnostics d) {
        Common c = new Common(Kind.MISC);
        List<String> command = null;
        Duration timeout = null;
        boolean dynamic = false;
        String user = null;
        String group = null;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            if (c.accept(n, d)) {
                continue;
            }
            switch (n.keyword()) {
                case "misc_path" -> {
                    command = Values.commandLine(n.args());
                    if (command.isEmpty()) {
                        d.error(n, "misc_path: missing script");
                        ok = false;
                    }
                }
                case "misc_timeout" -> {
                    Long v = Values.integer(n, 0, Integer.MAX_VALUE / 1000, d);
                    ok &= v != null;
                    timeout = v == null || v == 0 ? null : Duration.ofSeconds(v);
                }
                case "misc_dynamic" -> dynamic = true;
                case "user" -> {
                    user = Values.arg(n, d);
                    group = n.arg(1);
                    ok &= user != null;
                }
                default -> unknown(block, n, d);
            }
        }
        if (command == null) {
            if (ok) {
                d.error(block, "MISC_CHECK has no misc_path");
            }
            return Optional.empty();
        }
        if (!ok || !c.ok) {
            return Optional.empty();
        }
        CheckPolicy policy = c.policy(ctx);
        Duration t = timeout != null ? timeout : policy.delayLoop();
        return Optional.of(new CheckKey(new MiscChecker.Spec(command, t, dynamic, user, group), policy));
    }

    private static Optional<CheckKey> file(ConfNode block, CheckerContext ctx, Diagnostics d) {
        TrackFile tf = null;
        Integer weight = null;
        Boolean reverse = null;
        boolean dynamic = false;
        boolean ok = true;
        for (ConfNode n : block.children()) {
            switch (n.keyword()) {
                case "track_file" -> {
                    String name = Values.arg(n, d);
                    if (name == null) {
                        ok = false;
                    } else {
                        tf = ctx.trackFiles().get(name);
                        if (tf == null) {
                            d.error(n, "track_file " + name + " not found (declare it in a top-level track_file block)");
                            ok = false;
                        }
                    }
                }
                case "weight" -> {
                    Long w = Values.integer(n, -Integer.MAX_VALUE, Integer.MAX_VALUE, d);
                    if (w == null) {
                        ok = false;
                        break;
                    }
                    weight = w.intValue();
                    reverse = false;
                    String opt = n.arg(1);
                    if ("reverse".equals(opt)) {
                        reverse = true;
                    } else if (opt != null && !opt.equals("noreverse")) {
                        d.error(n, "weight: unknown option '" + opt + "' (reverse|noreverse)");
                        ok = false;
                    }
                }
                case "dynamic" -> dynamic = true;
                default -> d.skipped(n, "unknown keyword '" + n.keyword() + "' in FILE_CHECK");
            }
        }
        if (tf == null) {
            if (ok) {
                d.error(block, "FILE_CHECK has no track_file");
            }
            return Optional.empty();
        }
        if (!ok) {
            return Optional.empty();
        }
        FileChecker.Spec spec = new FileChecker.Spec(tf.name(), tf.file(), weight != null ? weight : tf.weight(),
                reverse != null ? reverse : tf.reverse(), dynamic);
        return Optional.of(new CheckKey(spec, new CheckPolicy(FILE_POLL, 0, FILE_POLL, Duration.ZERO, false)));
    }

    private static void unknown(ConfNode block, ConfNode n, Diagnostics d) {
        d.skipped(n, "unknown keyword '" + n.keyword() + "' in " + block.keyword());
    }

    // ---- the keywords every kind shares ----

    /** Collects the common connection and timing keywords of one block. */
    private static final class Common {
        final Kind kind;
        InetAddress connectIp;
        Integer connectPort;
        InetAddress bindTo;
        Integer bindPort;
        Duration connectTimeout;
        int fwmark;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;
        Boolean alpha;
        boolean ok = true;

        Common(Kind kind) {
            this.kind = kind;
        }

        /** Handles {@code n} if it is a common keyword of this kind; false otherwise. */
        boolean accept(ConfNode n, Diagnostics d) {
            boolean connection = kind != Kind.MISC;
            switch (n.keyword()) {
                case "connect_ip" -> {
                    if (!connection) {
                        return false;
                    }
                    connectIp = Values.ip(n, d);
                    ok &= connectIp != null;
                }
                case "connect_port" -> {
                    if (!connection) {
                        return false;
                    }
                    connectPort = Values.port(n, d);
                    ok &= connectPort != null;
                }
                case "bindto" -> {
                    if (!connection) {
                        return false;
                    }
                    bindTo = Values.ip(n, d);
                    ok &= bindTo != null;
                }
                case "bind_port" -> {
                    if (!connection) {
                        return false;
                    }
                    bindPort = Values.port(n, d);
                    ok &= bindPort != null;
                }
                case "bind_if" -> {
                    if (!connection) {
                        return false;
                    }
                    d.skipped(n, "bind_if (SO_BINDTODEVICE) is not implemented");
                }
                case "connect_timeout" -> {
                    if (!connection) {
                        return false;
                    }
                    connectTimeout = Values.positiveTimer(n, d);
                    ok &= connectTimeout != null;
                }
                case "fwmark" -> {
                    if (!connection) {
                        return false;
                    }
                    Long v = Values.integer(n, 0, 0xFFFFFFFFL, d);
                    if (v == null) {
                        ok = false;
                    } else if (kind == Kind.PING) {
                        fwmark = (int) (long) v;
                    } else {
                        d.skipped(n, "fwmark (SO_MARK) is applied by PING_CHECK only");
                    }
                }
                case "retry" -> retry(n, d);
                case "delay_before_retry" -> {
                    delayBeforeRetry = Values.timer(n, d);
                    ok &= delayBeforeRetry != null;
                }
                case "warmup" -> {
                    warmup = Values.timer(n, d);
                    ok &= warmup != null;
                }
                case "delay_loop" -> {
                    delayLoop = Values.positiveTimer(n, d);
                    ok &= delayLoop != null;
                }
                case "alpha" -> {
                    alpha = Values.flag(n, d);
                    ok &= alpha != null;
                }
                case "log_all_failures" -> {
                    ok &= Values.flag(n, d) != null;
                    d.skipped(n, "log_all_failures: jlvs logs transitions only");
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        void retry(ConfNode n, Diagnostics d) {
            Long v = Values.integer(n, 0, Integer.MAX_VALUE, d);
            ok &= v != null;
            retry = v == null ? retry : Integer.valueOf(v.intValue());
        }

        /** The connection target, or null when it cannot be made (reported). */
        ConnectOptions connect(ConfNode block, CheckerContext ctx, Diagnostics d) {
            InetAddress target = connectIp != null ? connectIp : ctx.realServerAddress();
            int port = connectPort != null && connectPort != 0 ? connectPort : ctx.realServerPort();
            if (port == 0 && kind != Kind.PING && kind != Kind.MISC) {
                d.error(block, block.keyword() + ": no port to connect to (the real server has none): set connect_port");
                return null;
            }
            InetSocketAddress bind = null;
            if (bindTo != null || bindPort != null) {
                InetAddress local = bindTo;
                if (local == null) {
                    local = wildcard(target);
                }
                if ((local instanceof Inet6Address) != (target instanceof Inet6Address)) {
                    d.error(block, block.keyword() + ": bindto " + local.getHostAddress() + " and target "
                            + target.getHostAddress() + " are of different address families");
                    return null;
                }
                bind = new InetSocketAddress(local, bindPort == null ? 0 : bindPort);
            }
            Duration timeout = connectTimeout != null ? connectTimeout
                    : ctx.connectTimeout() != null ? ctx.connectTimeout() : ConnectOptions.DEFAULT_CONNECT_TIMEOUT;
            return new ConnectOptions(new InetSocketAddress(target, kind == Kind.PING ? 0 : port), bind, timeout,
                    fwmark);
        }

        CheckPolicy policy(CheckerContext ctx) {
            Duration loop = delayLoop != null ? delayLoop : ctx.delayLoop();
            int r = retry != null ? retry : ctx.retry() != null ? ctx.retry() : switch (kind) {
                case MISC -> 0;
                case DNS -> 3;
                default -> 1;
            };
            Duration dbr = delayBeforeRetry != null ? delayBeforeRetry
                    : ctx.delayBeforeRetry() != null ? ctx.delayBeforeRetry() : switch (kind) {
                        case HTTP, SSL -> Duration.ofSeconds(3);
                        case DNS -> loop;
                        default -> Duration.ofSeconds(1);
                    };
            Duration w = warmup != null ? warmup : ctx.warmup() != null ? ctx.warmup() : loop;
            boolean a = alpha != null ? alpha : ctx.alpha();
            return new CheckPolicy(loop, r, dbr, w, a);
        }

        private static InetAddress wildcard(InetAddress like) {
            return InetAddress.ofLiteral(like instanceof Inet6Address ? "::" : "0.0.0.0");
        }
    }
}
