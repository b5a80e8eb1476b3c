package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.mac;
import static io.jlvs.packet.NetworkOrder.u16;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3; IP over Ethernet per RFC 894) with up to {@link #MAX_VLAN_TAGS} VLAN tags: 802.1Q
 * (TPID 0x8100) and 802.1ad QinQ (TPID 0x88A8), outermost first. Offsets are relative to the frame start.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination address (6 octets)               |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source address (6 octets)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  EtherType, or TPID of tag 0  | PCP |D|  VLAN id (tag 0)      |   tag: 4 octets, repeated
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  EtherType after the tags     |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} assumes an untagged frame; {@link #walkTags(long)} finds the tags, after which
 * {@link #etherType()} and {@link #payloadOffset()} are those after the last tag. Accessors do not check
 * lengths: the caller validates (see {@link PacketParser}).
 */
public final class EthernetView {
    public static final long DST = 0;
    public static final long SRC = 6;
    public static final long ETHER_TYPE = 12;
    /** Within a tag: the tag's TPID, then its TCI (PCP 3 bits, DEI 1 bit, VLAN id 12 bits). */
    public static final long TAG_TPID = 0, TAG_TCI = 2;
    public static final int HEADER_LENGTH = IfEther.ETH_HLEN;
    public static final int TAG_LENGTH = IfEther.VLAN_HLEN;
    /** One 802.1Q tag, or an 802.1ad S-tag plus a C-tag (QinQ). A third stacked tag is refused. */
    public static final int MAX_VLAN_TAGS = 2;
    /** {@link #vlanId()} of an untagged frame. */
    public static final int NO_VLAN = -1;
    /** {@link #walkTags(long)} results. */
    public static final int TAGS_TRUNCATED = -1, TAGS_LIMIT = -2;

    private MemorySegment seg;
    private long off;
    private int tags;

    public EthernetView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        this.tags = 0;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public long dst() { return mac(seg, off + DST); }

    public EthernetView dst(long mac) { mac(seg, off + DST, mac); return this; }

    public long src() { return mac(seg, off + SRC); }

    public EthernetView src(long mac) { mac(seg, off + SRC, mac); return this; }

    /**
     * Counts the VLAN tags of a frame whose valid bytes end at {@code end} (a segment offset), checking that
     * the Ethernet header, every tag and the EtherType after the tags lie before {@code end}.
     *
     * @return the number of tags (0..{@link #MAX_VLAN_TAGS}), {@link #TAGS_TRUNCATED} or {@link #TAGS_LIMIT}
     */
    public int walkTags(long end) {
        tags = 0;
        if (end - off < HEADER_LENGTH) return TAGS_TRUNCATED;
        long p = off + ETHER_TYPE;
        int n = 0;
        while (isTpid(u16(seg, p))) {
            if (n == MAX_VLAN_TAGS) return TAGS_LIMIT;
            if (end - p < TAG_LENGTH + 2) return TAGS_TRUNCATED;
            n++;
            p += TAG_LENGTH;
        }
        tags = n;
        return n;
    }

    /** True for the tag protocol identifiers Linux's {@code eth_type_vlan} accepts. */
    public static boolean isTpid(int etherType) {
        return etherType == IfEther.ETH_P_8021Q || etherType == IfEther.ETH_P_8021AD;
    }

    /** Tags found by the last {@link #walkTags(long)}, 0 after {@link #wrap}. */
    public int tagCount() { return tags; }

    /** The EtherType after the tags. */
    public int etherType() { return u16(seg, off + ETHER_TYPE + (long) tags * TAG_LENGTH); }

    public EthernetView etherType(int type) { u16(seg, off + ETHER_TYPE + (long) tags * TAG_LENGTH, type); return this; }

    /** Header length including the tags. */
    public int headerLength() { return HEADER_LENGTH + tags * TAG_LENGTH; }

    /** Segment offset of the first octet after the header and its tags. */
    public long payloadOffset() { return off + headerLength(); }

    /** TPID of tag {@code i}, 0 the outermost. */
    public int tpid(int i) { return u16(seg, tagOffset(i) + TAG_TPID); }

    /** Tag control information of tag {@code i}, 0 the outermost. */
    public int tci(int i) { return u16(seg, tagOffset(i) + TAG_TCI); }

    public EthernetView tci(int i, int tci) { u16(seg, tagOffset(i) + TAG_TCI, tci); return this; }

    /** Priority code point of tag {@code i}. */
    public int pcp(int i) { return tci(i) >>> 13; }

    /** VLAN id of the outermost tag (the only one with 802.1Q, the S-tag with QinQ), or {@link #NO_VLAN}. */
    public int vlanId() { return tags > 0 ? tci(0) & 0x0FFF : NO_VLAN; }

    /** VLAN id of the second tag (the C-tag with QinQ), or {@link #NO_VLAN}. */
    public int innerVlanId() { return tags > 1 ? tci(1) & 0x0FFF : NO_VLAN; }

    /** Sets the VLAN id of tag {@code i}, keeping its PCP and DEI bits. */
    public EthernetView vlanId(int i, int vid) { return tci(i, (tci(i) & 0xF000) | (vid & 0x0FFF)); }

    private long tagOffset(int i) { return off + ETHER_TYPE + (long) i * TAG_LENGTH; }
}
