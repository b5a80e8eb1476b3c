package io.jlvs.netio;

import java.io.IOException;

/** A frame over {@link UnixConnection#MAX_FRAME_BYTES}, refused by the writer or by the reader. */
public final class FrameTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public FrameTooLargeException(String message) {
        super(message);
    }
}
