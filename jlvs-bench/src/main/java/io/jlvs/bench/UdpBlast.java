package io.jlvs.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Load generator of the netns benchmark ({@code scripts/bench-netns.sh}): small UDP datagrams from
 * {@code --flows} sockets (one source port each, so a director sees that many connections) to one address and
 * port, as fast as one thread can send, for at most {@code --seconds} and at most {@code --count} datagrams.
 * Prints what it sent. Bounded in count and time by construction.
 *
 * <pre>java -cp jlvs-bench.jar io.jlvs.bench.UdpBlast ADDR PORT [--seconds S] [--count N] [--flows F] [--size B]</pre>
 */
public final class UdpBlast {
    private UdpBlast() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: UdpBlast ADDR PORT [--seconds S] [--count N] [--flows F] [--size B]");
            System.exit(2);
        }
        InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        double seconds = 5;
        long count = 50_000_000L;
        int flows = 16, size = 18;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--count" -> count = Long.parseLong(args[i + 1]);
                case "--flows" -> flows = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("UdpBlast: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (seconds <= 0 || seconds > 600 || flows < 1 || flows > 4096 || size < 1 || size > 1400 || count < 1) {
            System.err.println("UdpBlast: out of range (seconds 0..600, flows 1..4096, size 1..1400, count >= 1)");
            System.exit(2);
        }
        DatagramChannel[] ch = new DatagramChannel[flows];
        for (int i = 0; i < flows; i++) {
            ch[i] = DatagramChannel.open();
            ch[i].setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            ch[i].connect(to);
        }
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0, errors = 0;
        long start = System.nanoTime();
        for (long round = 1; sent < count; round++) {
            for (int i = 0; i < flows; i++) {
                payload.clear();
                try {
                    ch[i].write(payload);
                    sent++;
                } catch (IOException e) {
                    errors++;   // ECONNREFUSED from an ICMP error, ENOBUFS: counted, the run goes on
                }
            }
            if ((round & 63) == 0 && System.nanoTime() - deadline > 0) break;
        }
        double took = (System.nanoTime() - start) / 1e9;
        for (DatagramChannel c : ch) c.close();
        System.out.printf("sent %d datagrams of %d octets in %.3f s (%.0f pps), %d send errors%n",
                sent, size, took, sent / took, errors);
    }
}
