package io.jlvs.ctl.ipvsadm;

/**
 * libipvs's {@code ipvs_strerror}: the same errno reads differently depending on the call that failed
 * (ESRCH is "No such service" when editing a service but "Service not defined" when adding a real server);
 * errnos with no entry fall back to {@code strerror}.
 */
final class Libipvs {
    private Libipvs() {}

    /** The libipvs functions whose failures ipvsadm reports ({@code ipvs_func}). */
    enum Call {
        ADD_SERVICE, UPDATE_SERVICE, DEL_SERVICE, ZERO_SERVICE, ADD_DEST, UPDATE_DEST, DEL_DEST,
        START_DAEMON, STOP_DAEMON, GET_SERVICES, GET_DESTS, GET_SERVICE, FLUSH, SET_TIMEOUT
    }

    private record Row(Call call, Errno err, String message) {}

    /** In libipvs's order: the first row whose call (null = any) and errno match wins. */
    private static final Row[] TABLE = {
            new Row(Call.ADD_SERVICE, Errno.EEXIST, "Service already exists"),
            new Row(Call.ADD_SERVICE, Errno.ENOENT, "Scheduler or persistence engine not found"),
            new Row(Call.UPDATE_SERVICE, Errno.ESRCH, "No such service"),
            new Row(Call.UPDATE_SERVICE, Errno.ENOENT, "Scheduler or persistence engine not found"),
            new Row(Call.DEL_SERVICE, Errno.ESRCH, "No such service"),
            new Row(Call.ZERO_SERVICE, Errno.ESRCH, "No such service"),
            new Row(Call.ADD_DEST, Errno.ESRCH, "Service not defined"),
            new Row(Call.ADD_DEST, Errno.EEXIST, "Destination already exists"),
            new Row(Call.UPDATE_DEST, Errno.ESRCH, "Service not defined"),
            new Row(Call.UPDATE_DEST, Errno.ENOENT, "No such destination"),
            new Row(Call.DEL_DEST, Errno.ESRCH, "Service not defined"),
            new Row(Call.DEL_DEST, Errno.ENOENT, "No such destination"),
            new Row(Call.START_DAEMON, Errno.EEXIST, "Daemon has already run"),
            new Row(Call.STOP_DAEMON, Errno.ESRCH, "No daemon is running"),
            new Row(Call.GET_SERVICES, Errno.ESRCH, "No such service"),
            new Row(Call.GET_DESTS, Errno.ESRCH, "No such service"),
            new Row(Call.GET_SERVICE, Errno.ESRCH, "No such service"),
            new Row(null, Errno.EPERM, "Permission denied (you must be root)"),
            new Row(null, Errno.EINVAL, "Invalid operation.  Possibly wrong module version, address not unicast, ..."),
            new Row(null, Errno.ENOPROTOOPT, "Protocol not available"),
            new Row(null, Errno.ENOMEM, "Memory allocation problem"),
            new Row(null, Errno.EOPNOTSUPP, "Operation not supported with IPv6"),
            new Row(null, Errno.EAFNOSUPPORT, "Operation not supported with specified address family"),
            new Row(null, Errno.EMSGSIZE, "Module is wrong version"),
    };

    static String strerror(Call call, Errno err) {
        for (Row r : TABLE) {
            if ((r.call == null || r.call == call) && r.err == err) return r.message;
        }
        return err.strerror;
    }
}
