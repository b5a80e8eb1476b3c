package io.jlvs.host;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The host's interfaces by index: an immutable snapshot built on the control side from rtnetlink and published
 * through {@link HostTables#publish(Links)}. {@link #get(int)} is a primitive-keyed lookup that allocates nothing.
 */
public final class Links {
    public static final Links EMPTY = new Links(List.of());

    private final Int2ObjectHashMap<Link> byIndex;
    private final List<Link> all;

    private Links(Collection<Link> links) {
        this.byIndex = new Int2ObjectHashMap<>(Math.max(8, links.size() * 2), 0.5f);
        for (Link l : links) {
            if (byIndex.put(l.ifIndex(), l) != null) {
                throw new IllegalArgumentException("interface index " + l.ifIndex() + " given twice");
            }
        }
        this.all = List.copyOf(new ArrayList<>(links));
    }

    /** A snapshot of these interfaces (indexes must be distinct). */
    public static Links of(Collection<Link> links) { return new Links(links); }

    public static Links of(Link... links) { return new Links(List.of(links)); }

    /** The interface with this index, or null. */
    public Link get(int ifIndex) { return byIndex.get(ifIndex); }

    public List<Link> all() { return all; }

    /** This snapshot with {@code link} added or replacing the one with its index (control side). */
    public Links with(Link link) {
        List<Link> next = new ArrayList<>(all.size() + 1);
        for (Link l : all) if (l.ifIndex() != link.ifIndex()) next.add(l);
        next.add(link);
        return new Links(next);
    }

    /** This snapshot without the interface {@code ifIndex} (control side). */
    public Links without(int ifIndex) {
        List<Link> next = new ArrayList<>(all.size());
        for (Link l : all) if (l.ifIndex() != ifIndex) next.add(l);
        return new Links(next);
    }
}
