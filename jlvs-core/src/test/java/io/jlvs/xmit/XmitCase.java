package io.jlvs.xmit;

import io.jlvs.testkit.Vector;

/**
 * A {@link Vector} and how to run it: the transmitter call, and the room around the input frame (the runner
 * also runs every case with no headroom at all, which makes the transmitters move the packet).
 */
record XmitCase(Vector vector, Call call, int headroom, int tailroom, boolean alsoTight) {
    static final int HEADROOM = 128, TAILROOM = 512;

    @FunctionalInterface
    interface Call {
        int run(XmitEnv env, Frame frame, TxPort tx);
    }

    static XmitCase of(Vector v, Call call) { return new XmitCase(v, call, HEADROOM, TAILROOM, true); }

    /** A case that only makes sense with exactly this much room. */
    static XmitCase room(Vector v, Call call, int headroom, int tailroom) {
        return new XmitCase(v, call, headroom, tailroom, false);
    }

    @Override
    public String toString() { return vector.description(); }
}
