package io.jlvs.ctl.ipvsadm;

/**
 * The ipvsadm commands, in ipvsadm's {@code CMD_*} order, named as its messages name them
 * ({@code "You need to supply the 'scheduler' option for the 'add-service' command"}).
 * {@link #HELP} and {@link #VERSION} stop parsing at once and take no part in the option matrix.
 */
public enum Command {
    ADD_SERVICE("add-service"),
    EDIT_SERVICE("edit-service"),
    DELETE_SERVICE("delete-service"),
    FLUSH("flush"),
    LIST("list"),
    ADD_SERVER("add-server"),
    DELETE_SERVER("delete-server"),
    EDIT_SERVER("edit-server"),
    SET_TIMEOUT("set"),
    START_DAEMON("start-daemon"),
    STOP_DAEMON("stop-daemon"),
    RESTORE("restore"),
    SAVE("save"),
    ZERO("zero"),
    HELP("help"),
    VERSION("version");

    /** The name ipvsadm's messages use ({@code cmdnames[]}). */
    public final String ipvsadmName;

    Command(String ipvsadmName) { this.ipvsadmName = ipvsadmName; }
}
