package io.jlvs.bench;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes per IPv4 connection of a full {@link ConnTable}: builds a table for N connections (10 million by
 * default), fills it, and reports the table's own accounting (slab + index + wheel), the process's resident set
 * (VmRSS/VmHWM) and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, NMT's total and the
 * "Other" category where FFM allocations are booked.
 *
 * <pre>
 * java -Xms32m -Xmx32m -XX:+UseSerialGC -XX:NativeMemoryTracking=summary \
 *      -cp jlvs-bench/target/jlvs-bench.jar io.jlvs.bench.ConnTableMemory 10000000
 * </pre>
 */
public final class ConnTableMemory {
    private ConnTableMemory() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        System.out.printf("connections: %,d IPv4, java %s, heap max %,d bytes%n", n, Runtime.version(), Runtime.getRuntime().maxMemory());

        Snapshot before = Snapshot.take();
        long t0 = System.nanoTime();
        ConnTable table = new ConnTable(n, 0, 0);
        long t1 = System.nanoTime();
        // distinct clients and ports: 10.0.0.0/8 sources, 64 ports each, NAT to 8 real servers
        for (int i = 0; i < n; i++) {
            int c = table.create(ConnTable.AF_INET, 6, 0, 0x0A000000L + (i >>> 6), 1024 + (i & 63), 0, 0xC633640AL, 80,
                    ConnTable.AF_INET, 0, 0xC6120000L + (i & 7), 8080, ConnFlags.MASQ, i & 7, 900_000, i * 100L);
            if (c < 0) throw new IllegalStateException("refused at " + i);
        }
        long t2 = System.nanoTime();
        int hits = 0;
        for (int i = 0; i < n; i += 97) {
            if (table.lookupIn(ConnTable.AF_INET, 6, 0, 0x0A000000L + (i >>> 6), 1024 + (i & 63), 0, 0xC633640AL, 80) == i) hits++;
        }
        if (hits != (n + 96) / 97) throw new IllegalStateException("lookups missed: " + hits);
        Snapshot after = Snapshot.take();

        System.out.printf("table built in %d ms, filled in %d ms (%.0f ns per create), size %,d%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t2 - t1) / (double) n, table.size());
        System.out.printf("table accounting: slab %,d + index %,d + wheel %,d = %,d bytes = %.2f bytes/conn%n",
                table.slabBytes(), table.indexBytes(), table.wheelBytes(), table.nativeBytes(), table.nativeBytes() / (double) n);
        System.out.printf("heap used (after GC): %,d -> %,d bytes (%+.2f bytes/conn)%n",
                before.heapUsed, after.heapUsed, (after.heapUsed - before.heapUsed) / (double) n);
        System.out.printf("process RSS: %,d -> %,d kB (%.2f bytes/conn), peak (VmHWM) %,d kB = %.1f MiB%n",
                before.rssKb, after.rssKb, (after.rssKb - before.rssKb) * 1024.0 / n, after.hwmKb, after.hwmKb / 1024.0);
        if (after.nmtTotal >= 0) {
            System.out.printf("NMT committed total: %,d -> %,d kB (%.2f bytes/conn); Other (FFM/Unsafe): %,d -> %,d kB (%.2f bytes/conn)%n",
                    before.nmtTotal, after.nmtTotal, (after.nmtTotal - before.nmtTotal) * 1024.0 / n,
                    before.nmtOther, after.nmtOther, (after.nmtOther - before.nmtOther) * 1024.0 / n);
        } else {
            System.out.println("NMT: not enabled (add -XX:NativeMemoryTracking=summary)");
        }
        System.out.printf("fits in 1 GiB: %s (peak RSS of the whole JVM)%n", after.hwmKb * 1024L <= (1L << 30) ? "yes" : "NO");
        table.close();
    }

    record Snapshot(long heapUsed, long rssKb, long hwmKb, long nmtTotal, long nmtOther) {
        static Snapshot take() throws Exception {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            long rss = -1, hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = kb(line);
                if (line.startsWith("VmHWM:")) hwm = kb(line);
            }
            long total = -1, other = -1;
            String nmt = nmt();
            if (nmt != null) {
                for (String line : nmt.split("\n")) {
                    String l = line.trim();
                    if (l.startsWith("Total:")) total = committed(l);
                    if (l.startsWith("-") && l.contains("Other (reserved=")) other = committed(l);
                }
            }
            return new Snapshot(heap, rss, hwm, total, other);
        }

        static long kb(String statusLine) {
            return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
        }

        static long committed(String nmtLine) {
            int i = nmtLine.indexOf("committed=");
            int j = i + "committed=".length(), k = j;
            while (k < nmtLine.length() && Character.isDigit(nmtLine.charAt(k))) k++;
            return Long.parseLong(nmtLine.substring(j, k));
        }

        static String nmt() {
            try {
                Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                        new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()});
                String s = String.valueOf(out);
                return s.contains("Total:") ? s : null;
            } catch (Exception e) {
                return null;
            }
        }
    }
}
