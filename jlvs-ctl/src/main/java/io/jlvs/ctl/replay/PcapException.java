package io.jlvs.ctl.replay;

import java.io.IOException;

/**
 * A capture file {@link PcapReader} refuses, with a message meant to be printed as is (no stack trace needed):
 * {@code "in.pcap: record 3 at byte 1234: truncated record: 60 of 98 captured bytes, the file ends at byte 1358
 * (truncated dump file)"}, or {@code "in.pcap: file header at byte 20: ..."} for the global header.
 */
public final class PcapException extends IOException {
    private final long recordNumber;
    private final long byteOffset;

    /**
     * @param recordNumber 1 for the first record, 0 for the global header
     * @param byteOffset   where the record's header starts in the file, or the offending field of the global header
     */
    PcapException(String source, long recordNumber, long byteOffset, String reason) {
        super(source + ": " + (recordNumber == 0 ? "file header" : "record " + recordNumber) + " at byte " + byteOffset
                + ": " + reason);
        this.recordNumber = recordNumber;
        this.byteOffset = byteOffset;
    }

    /** The 1-based number of the record at fault (as Wireshark numbers frames), or 0 for the global header. */
    public long recordNumber() { return recordNumber; }

    /** The offset in the file of the record's header, or of the offending field of the global header. */
    public long byteOffset() { return byteOffset; }
}
