package io.jlvs.conn;

/**
 * Connection flags, with the values of {@code IP_VS_CONN_F_*} in {@code include/uapi/linux/ip_vs.h} (bits 0..15
 * are the ones the sync protocol carries to a backup).
 */
public final class ConnFlags {
    private ConnFlags() {}

    /** Forwarding method in bits 0..2: {@link io.jlvs.service.FwdMethod#code}. */
    public static final int FWD_MASK = 0x0007;
    public static final int MASQ = 0x0000, LOCALNODE = 0x0001, TUNNEL = 0x0002, DROUTE = 0x0003, BYPASS = 0x0004;
    /** Created by the sync protocol. */
    public static final int SYNC = 0x0020;
    /** In the connection table. */
    public static final int HASHED = 0x0040;
    /** No reply packets go through the director (DR, TUN): TCP uses the INPUT_ONLY state table. */
    public static final int NOOUTPUT = 0x0080;
    /** Not established: counted in the dest's inactconns. */
    public static final int INACTIVE = 0x0100;
    public static final int OUT_SEQ = 0x0200;
    public static final int IN_SEQ = 0x0400;
    public static final int SEQ_MASK = 0x0600;
    /** The client port is not known yet (FTP passive data connection). */
    public static final int NO_CPORT = 0x0800;
    /** A persistence template, not a connection. */
    public static final int TEMPLATE = 0x1000;
    /** Forward one packet only. */
    public static final int ONE_PACKET = 0x2000;

    /** Flags a backup takes from a sync message ({@code IP_VS_CONN_F_BACKUP_MASK}). */
    public static final int BACKUP_MASK = FWD_MASK | NOOUTPUT | INACTIVE | SEQ_MASK | NO_CPORT | TEMPLATE;
}
