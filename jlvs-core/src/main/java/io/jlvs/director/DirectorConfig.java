package io.jlvs.director;

/**
 * The IPVS behaviour switches a director honours, named after their {@code /proc/sys/net/ipv4/vs/*} sysctls
 * ({@code Documentation/networking/ipvs-sysctl.rst}), with the kernel's defaults. Read on the data path;
 * change them between packets.
 */
public final class DirectorConfig {
    /** {@code sloppy_tcp}: create connections on any TCP packet but RST, not only SYN. */
    public boolean sloppyTcp;
    /** {@code sloppy_sctp}: create connections on any SCTP packet, not only INIT. */
    public boolean sloppySctp;
    /** {@code conn_reuse_mode}: bit 1 reschedule a reused port when safe; bit 2 also FIN_WAIT with NOOUTPUT. */
    public int connReuseMode = 1;
    /** {@code expire_nodest_conn}: a packet of a connection whose real server was removed expires it. */
    public boolean expireNodestConn;
    /** {@code expire_quiescent_template}: a persistence template of a weight-0 real server is not reused. */
    public boolean expireQuiescentTemplate;
    /**
     * {@code secure_tcp}: 0 off; 1 and 2 automatic (the SYN-flood state table while memory is short: the mode reads
     * 2 then, back to 1 when not); 3 always. {@link Director} keeps the effective switch.
     */
    public int secureTcp;
    /**
     * {@code drop_entry}: 0 off; 1 and 2 automatic; 3 always. While in effect, once a second 1/32 of the connection
     * table is scanned and half-open (and, rate-limited, idle young) connections are dropped
     * ({@code ip_vs_random_dropentry}).
     */
    public int dropEntry;
    /**
     * {@code amemthresh} for a userspace director: the memory that runs out is the connection table, so "memory is
     * short" means fewer than this many free connection slots. 0: 1/16 of the table's capacity.
     */
    public int amemthreshConns;
    /** {@code cache_bypass}: a firewall-mark service with no real server forwards to the original destination. */
    public boolean cacheBypass;
    /** Connections checked for expiry per {@link Director#expire} call (the duty cycle's work limit). */
    public int expiryWorkLimit = 1024;
}
