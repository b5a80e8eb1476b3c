package io.jlvs.host;

import java.security.SecureRandom;
import java.util.List;

/**
 * The host's tables as the data plane sees them: interfaces, addresses and routes, each an immutable snapshot
 * behind a volatile reference (our RCU). The control side builds a new snapshot and publishes it; the
 * data-plane threads read the references once per lookup and never lock.
 *
 * <p>Publishers: the daemon's rtnetlink listener ({@link #publish(Links)}, {@link #publish(RouteTable)},
 * {@link #publishHost}) and jlvs's own control side ({@link #publishOwned}: VIPs and NAT-gateway addresses). The
 * address snapshot combines both, so its two publishers are serialized here.
 */
public final class HostTables {
    static final SecureRandom RANDOM = new SecureRandom();

    private volatile Links links = Links.EMPTY;
    private volatile RouteTable routes = RouteTable.EMPTY;
    private volatile LocalAddresses addresses = LocalAddresses.EMPTY;
    private List<HostAddress> host = List.of();
    private List<OwnedAddress> owned = List.of();

    public Links links() { return links; }

    public RouteTable routes() { return routes; }

    public LocalAddresses addresses() { return addresses; }

    /** Replaces the interfaces. */
    public void publish(Links next) { links = next; }

    /** Replaces the routes. */
    public void publish(RouteTable next) { routes = next; }

    /** Replaces the host's own addresses (from rtnetlink), keeping the owned ones. */
    public synchronized void publishHost(List<HostAddress> next) {
        host = List.copyOf(next);
        addresses = LocalAddresses.of(host, owned);
    }

    /** Replaces the addresses jlvs owns (VIPs, NAT gateways), keeping the host's. */
    public synchronized void publishOwned(List<OwnedAddress> next) {
        owned = List.copyOf(next);
        addresses = LocalAddresses.of(host, owned);
    }
}
