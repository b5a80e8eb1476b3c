package io.jlvs.ctl.ipvsadm;

/**
 * How a listing is printed: ipvsadm's {@code FMT_*} bits as booleans. One of stats, rate, thresholds,
 * persistentConn, tunInfo picks the columns (in that order of precedence, as ipvsadm tests them).
 */
public record ListFormat(boolean numeric, boolean stats, boolean rate, boolean thresholds, boolean persistentConn,
                         boolean noSort, boolean exact, boolean tunInfo) {

    /** {@code ipvsadm -L}: names resolved, sorted, the default columns. */
    public static final ListFormat DEFAULT = new ListFormat(false, false, false, false, false, false, false, false);
    /** {@code ipvsadm -L -n}. */
    public static final ListFormat NUMERIC = DEFAULT.withNumeric(true);

    public ListFormat withNumeric(boolean n) {
        return new ListFormat(n, stats, rate, thresholds, persistentConn, noSort, exact, tunInfo);
    }
}
