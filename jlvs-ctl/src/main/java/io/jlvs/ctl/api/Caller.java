package io.jlvs.ctl.api;

import java.util.Set;

/**
 * Who sent a request: the peer credentials of the control socket ({@code SO_PEERCRED}: pid, uid, gid), plus the
 * supplementary groups if the transport looked them up ({@code /proc/<pid>/status}, "Groups:").
 */
public record Caller(int uid, int gid, int pid, Set<Integer> groups) {
    public static final Caller ROOT = new Caller(0, 0, 0);

    public Caller {
        groups = Set.copyOf(groups);
    }

    public Caller(int uid, int gid, int pid) { this(uid, gid, pid, Set.of()); }

    public boolean inGroup(int g) { return gid == g || groups.contains(g); }
}
