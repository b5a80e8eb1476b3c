package io.jlvs.stats;

/**
 * What {@code ipvsadm -L --stats} and {@code --rate} show for one service, real server or the total (the
 * kernel's {@code struct ip_vs_kstats} as {@code ip_vs_copy_stats} fills it): counters since the last
 * {@code -Z}, and rates per second (connections, packets, bytes).
 */
public record StatsSnapshot(long conns, long inPkts, long outPkts, long inBytes, long outBytes,
                            long cps, long inPps, long outPps, long inBps, long outBps) {
}
