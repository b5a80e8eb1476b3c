package io.jlvs.netio.rtnl;

/**
 * A change the kernel announced on an rtnetlink multicast group ({@link RtMonitor}), or the news that some
 * were lost ({@link Resync}). Switch over it:
 *
 * <pre>{@code
 * switch (event) {
 *     case RtEvent.Link(var action, var link) -> ...
 *     case RtEvent.Addr(var action, var addr) -> ...
 *     case RtEvent.Route(var action, var route) -> ...
 *     case RtEvent.Neigh(var action, var neigh) -> ...
 *     case RtEvent.Resync(var cause) -> redump everything with Rtnetlink
 * }
 * }</pre>
 */
public sealed interface RtEvent {

    /** NEW: RTM_NEW* (created <em>or changed</em>: the record is the whole new state); DEL: RTM_DEL*. */
    enum Action { NEW, DEL }

    record Link(Action action, LinkInfo link) implements RtEvent {}

    record Addr(Action action, AddrInfo addr) implements RtEvent {}

    record Route(Action action, RouteInfo route) implements RtEvent {}

    record Neigh(Action action, NeighInfo neigh) implements RtEvent {}

    /**
     * Notifications were lost (the socket overran: ENOBUFS, or a notification could not be read): the listener's
     * view may be stale, so it should dump links, addresses, routes and neighbours again.
     */
    record Resync(String cause) implements RtEvent {}
}
