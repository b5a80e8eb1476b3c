package io.jlvs.daemon;

import io.jlvs.netio.NetioAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jlvs decap}: see {@link DecapEndpoint}. */
@Command(name = "decap", mixinStandardHelpOptions = true, usageHelpWidth = 120, sortOptions = false,
        description = "The real server's tunnel endpoint, for LVS-TUN real servers whose kernel has no ipip, gre or fou "
                + "module: receives IPIP (4in4, 6in4, 4in6, 6in6), GRE and GUE packets addressed to this host and hands the "
                + "inner packet to the local stack through a TUN device. Put the VIP on lo as usual (ip addr add VIP/32 dev "
                + "lo; arp_ignore/arp_announce as for any TUN/DR real server). Runs until SIGTERM/SIGINT, then prints its "
                + "counters.",
        footer = {"",
            "Counters: packets received per socket, delivered to the TUN device, dropped by reason (malformed outer",
            "header, GUE control message or unknown flags, GRE checksum, inner header checks...). Printed on exit, and",
            "every --stats-interval seconds when given.",
            "",
            "The device gets rp_filter 0 (the client's packets arrive on it, the route back leaves by another",
            "interface) and no IPv6 link-local address; it disappears when jlvs decap exits.",
            "",
            "Example, for a director using ipvsadm -a ... -i --tun-type gue --tun-port 6080:",
            "  jlvs decap --gue-port 6080 --stats-interval 10"})
final class DecapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dev", paramLabel = "NAME", defaultValue = "jlvsdecap0",
            description = "the TUN device to create (default: ${DEFAULT-VALUE})")
    String dev;

    @Option(names = "--gue-port", paramLabel = "N", split = ",",
            description = "receive GUE on UDP port N (repeatable; the director's --tun-port)")
    List<Integer> guePorts = new ArrayList<>();

    @Option(names = "--no-ipip", description = "do not receive IPIP (protocols 4 and 41)")
    boolean noIpip;

    @Option(names = "--no-gre", description = "do not receive GRE (protocol 47)")
    boolean noGre;

    @Option(names = "--no-ip6", description = "IPv4 outer headers only: no IPv6 raw sockets, GUE on IPv4 only")
    boolean noIp6;

    @Option(names = "--stats-interval", paramLabel = "S", defaultValue = "0",
            description = "also print the counters every S seconds (default: only on exit)")
    int statsIntervalS;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        DecapEndpoint.Options o;
        try {
            if (statsIntervalS < 0) throw new IllegalArgumentException("bad --stats-interval " + statsIntervalS + " (expected >= 0)");
            o = new DecapEndpoint.Options(dev, guePorts, !noIpip, !noGre, !noIp6);
        } catch (IllegalArgumentException e) {
            err.println("decap: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (!NetioAvailability.isAvailable()) {
            err.println("decap: " + NetioAvailability.unavailabilityCause().orElse("native access unavailable"));
            err.flush();
            return 1;
        }
        DecapEndpoint d;
        try {
            d = DecapEndpoint.start(o);
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            err.println("decap: " + e.getMessage());
            err.flush();
            return 1;
        }
        for (String w : d.warnings()) err.println("decap: warning: " + w);
        out.println("jlvs decap: delivering to " + d.deviceName() + ", receiving on " + String.join(", ", d.listening()));
        out.flush();
        err.flush();
        Thread hook = new Thread(() -> {
            d.close();
            out.print(d.report());
            out.flush();
        }, "decap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long intervalMs = statsIntervalS > 0 ? statsIntervalS * 1000L : Long.MAX_VALUE;
        while (!d.awaitStop(intervalMs)) {
            out.print(d.report());
            out.flush();
        }
        return 0;
    }
}
