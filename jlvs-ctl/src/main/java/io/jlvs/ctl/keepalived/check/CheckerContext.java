package io.jlvs.ctl.keepalived.check;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a checker block inherits from its {@code real_server} and {@code virtual_server}, resolved by the caller
 * (the real_server's value, else the virtual_server's, else null when the keyword is absent from both). The
 * kind's own defaults (retry 1, MISC_CHECK 0, DNS_CHECK 3; delay_before_retry 1 s, HTTP 3 s, DNS delay_loop;
 * warmup delay_loop; connect_timeout 5 s) are applied by {@link CheckerBlocks}.
 *
 * @param realServerAddress the real server's address (the default {@code connect_ip})
 * @param realServerPort    its port (the default {@code connect_port}); 0 for a fwmark service without port
 * @param delayLoop         {@code delay_loop}, already defaulted (keepalived: 60 s)
 * @param retry             {@code retry}, or null
 * @param delayBeforeRetry  {@code delay_before_retry}, or null
 * @param warmup            {@code warmup}, or null
 * @param connectTimeout    {@code connect_timeout}, or null
 * @param alpha             {@code alpha}
 * @param virtualHost       {@code virtualhost} of the real server, else of the virtual server, or null
 * @param trackFiles        the top-level {@code track_file} declarations by name (see {@link TrackFileBlocks})
 */
public record CheckerContext(InetAddress realServerAddress, int realServerPort, Duration delayLoop, Integer retry,
                             Duration delayBeforeRetry, Duration warmup, Duration connectTimeout, boolean alpha,
                             String virtualHost, Map<String, TrackFile> trackFiles) {

    public CheckerContext {
        Objects.requireNonNull(realServerAddress, "realServerAddress");
        Objects.requireNonNull(delayLoop, "delayLoop");
        trackFiles = Map.copyOf(trackFiles);
    }

    /** A context with keepalived's defaults for a real server at {@code address}:{@code port}. */
    public static CheckerContext defaults(InetAddress address, int port) {
        return new CheckerContext(address, port, io.jlvs.ha.check.CheckPolicy.DEFAULT_DELAY_LOOP, null, null, null,
                null, false, null, Map.of());
    }

    public CheckerContext withTrackFiles(Map<String, TrackFile> files) {
        return new CheckerContext(realServerAddress, realServerPort, delayLoop, retry, delayBeforeRetry, warmup,
                connectTimeout, alpha, virtualHost, files);
    }
}
