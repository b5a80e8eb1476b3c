package io.jlvs.xmit;

/**
 * Local node ({@code ip_vs_null_xmit}): the real server is one of the director's own addresses, so the
 * packet goes to the local stack untouched (IPVS returns {@code NF_ACCEPT} and the kernel delivers it). Here
 * the local stack is a second {@link TxPort} (a TAP device); the {@code tx} argument is not used. A partial
 * checksum is completed and a GSO super-frame cut into its segments ({@link Segmenter}), the only changes: a TAP
 * without a virtio-net header can carry neither.
 */
public final class LocalNodeXmit implements Xmit {
    private final TxPort local;
    private final Segmenter segmenter = new Segmenter();

    public LocalNodeXmit(TxPort local) { this.local = local; }

    @Override
    public int transmit(Frame f, XmitConn conn, TxPort tx) {
        return OutRoute.deliverLocal(f, local, segmenter);
    }
}
