package io.jlvs.ctl.ipvsadm;

/** What one ipvsadm invocation leaves: its standard output, its standard error and its exit status. */
public record IpvsadmResult(String out, String err, int exitStatus) {
    public boolean ok() { return exitStatus == 0; }
}
