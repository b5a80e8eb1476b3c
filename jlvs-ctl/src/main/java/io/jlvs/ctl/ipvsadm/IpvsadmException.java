package io.jlvs.ctl.ipvsadm;

/**
 * A command line ipvsadm refuses: the exact text it prints on stderr (without the final newline) and the exit
 * status it leaves with: 2 for its own checks ({@code fail(2, ...)}), 255 for popt errors and the
 * "Try `ipvsadm -h'" hint ({@code exit(-1)}).
 */
public final class IpvsadmException extends Exception {
    /** {@code fail(2, ...)}: a value or combination ipvsadm rejects. */
    public static final int EXIT_USAGE = 2;
    /** {@code exit(-1)}: popt could not parse the line, or no command was given first. */
    public static final int EXIT_POPT = 255;

    private final int exitStatus;

    public IpvsadmException(String message, int exitStatus) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
    }

    static IpvsadmException usage(String message) { return new IpvsadmException(message, EXIT_USAGE); }

    public int exitStatus() { return exitStatus; }
}
