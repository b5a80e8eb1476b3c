package io.jlvs.ctl.ipvsadm;

import io.jlvs.service.TunnelType;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Which options each command requires, allows or refuses (ipvsadm's {@code commands_v_options}), and which
 * tunnel options each tunnel type requires or refuses ({@code tunnel_types_v_options}), checked in option order
 * as {@code generic_opt_check} and {@code tunnel_opt_check} do, so the first complaint is ipvsadm's.
 *
 * <p>Key: {@code +} required, {@code x} illegal, {@code 1} at most one of the 1s, {@code .} optional. Columns are
 * {@link Opt} in declaration order, grouped by eight.
 */
final class OptionMatrix {
    private OptionMatrix() {}

    private static final Map<Command, String> ROWS = new EnumMap<>(Command.class);

    static {
        // columns:  -n -c svc -s -p -M -r fwd | -w -x -y mcast-if timeout daemon stats rate |
        //           thresholds persistent-conn nosort syncid exact ops pe -b |
        //           mcast-group mcast-port mcast-ttl sync-maxlen tun-info tun-type tun-port tun-nocsum |
        //           tun-csum tun-remcsum
        row(Command.ADD_SERVICE,    "xx+...xx xxxxxxxx xxxxx... xxxxxxxx xx");
        row(Command.EDIT_SERVICE,   "xx+...xx xxxxxxxx xxxxx... xxxxxxxx xx");
        row(Command.DELETE_SERVICE, "xx+xxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.FLUSH,          "xxxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.LIST,           ".11xxxxx xxxx11.. .....xxx xxxx.xxx xx");
        row(Command.ADD_SERVER,     "xx+xxx+. ...xxxxx xxxxxxxx xxxxx... ..");
        row(Command.DELETE_SERVER,  "xx+xxx+x xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.EDIT_SERVER,    "xx+xxx+. ...xxxxx xxxxxxxx xxxxx... ..");
        row(Command.SET_TIMEOUT,    "xxxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.START_DAEMON,   "xxxxxxxx xxx.xxxx xxx.xxxx ....xxxx xx");
        row(Command.STOP_DAEMON,    "xxxxxxxx xxxxxxxx xxx.xxxx xxxxxxxx xx");
        row(Command.RESTORE,        "xxxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.SAVE,           ".xxxxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
        row(Command.ZERO,           "xx.xxxxx xxxxxxxx xxxxxxxx xxxxxxxx xx");
    }

    private static void row(Command c, String spaced) {
        String r = spaced.replace(" ", "");
        if (r.length() != Opt.values().length) throw new IllegalStateException("matrix row " + c + " has " + r.length());
        ROWS.put(c, r);
    }

    /** ipvsadm's {@code generic_opt_check}: the first missing, illegal or conflicting option, in option order. */
    static void check(Command command, Set<Opt> given) throws IpvsadmException {
        String row = ROWS.get(command);
        if (row == null) return;
        Opt firstExclusive = null;
        for (Opt o : Opt.values()) {
            char rule = row.charAt(o.ordinal());
            if (!given.contains(o)) {
                if (rule == '+') {
                    throw IpvsadmException.usage("You need to supply the '" + o.ipvsadmName + "' option for the '"
                            + command.ipvsadmName + "' command");
                }
            } else if (rule == 'x') {
                throw IpvsadmException.usage("Illegal '" + o.ipvsadmName + "' option with the '" + command.ipvsadmName + "' command");
            } else if (rule == '1') {
                if (firstExclusive == null) {
                    firstExclusive = o;
                } else {
                    throw IpvsadmException.usage("The option '" + o.ipvsadmName + "' conflicts with the '"
                            + firstExclusive.ipvsadmName + "' option in the '" + command.ipvsadmName + "' command");
                }
            }
        }
    }

    /** Tunnel options in the order of the tunnel matrix columns. */
    private static final Opt[] TUN_OPTS = {Opt.TUN_PORT, Opt.TUN_NOCSUM, Opt.TUN_CSUM, Opt.TUN_REMCSUM};
    private static final Map<TunnelType, String> TUN_ROWS = new EnumMap<>(Map.of(
            TunnelType.IPIP, "xxxx",
            TunnelType.GUE, "+111",
            TunnelType.GRE, "x11x"));

    /** ipvsadm's {@code tunnel_opt_check}. */
    static void checkTunnel(TunnelType type, Set<Opt> given) throws IpvsadmException {
        String row = TUN_ROWS.get(type);
        Opt firstExclusive = null;
        for (int j = 0; j < TUN_OPTS.length; j++) {
            Opt o = TUN_OPTS[j];
            char rule = row.charAt(j);
            if (!given.contains(o)) {
                if (rule == '+') {
                    throw IpvsadmException.usage("You need to supply the '" + o.ipvsadmName + "' option for the '"
                            + type.optionName + "' tunnel type");
                }
            } else if (rule == 'x') {
                throw IpvsadmException.usage("Illegal '" + o.ipvsadmName + "' option with the '" + type.optionName + "' tunnel type");
            } else if (rule == '1') {
                if (firstExclusive == null) {
                    firstExclusive = o;
                } else {
                    throw IpvsadmException.usage("The option '" + o.ipvsadmName + "' conflicts with the '"
                            + firstExclusive.ipvsadmName + "' option in the '" + type.optionName + "' tunnel type");
                }
            }
        }
    }
}
