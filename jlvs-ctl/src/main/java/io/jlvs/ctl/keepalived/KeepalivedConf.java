package io.jlvs.ctl.keepalived;

import java.util.List;
import java.util.Map;

/**
 * The LVS part of a keepalived.conf, immutable: what {@link LvsConfigReader} makes of the tree and what
 * {@link LvsState} programs.
 *
 * @param file           the top-level file
 * @param configId       the config id conditionals were evaluated against
 * @param global         what jlvs reads from {@code global_defs}
 * @param groups         {@code virtual_server_group}s by name
 * @param virtualServers the virtual servers in file order (those without real servers left out, as keepalived does)
 * @param checkerBlocks  top-level blocks for the checker code, untouched: {@code SSL} (SSL_GET's context) and
 *                       {@code track_file} (FILE_CHECK's files)
 */
public record KeepalivedConf(String file, String configId, GlobalDefs global, Map<String, VirtualServerGroup> groups,
                             List<VirtualServerConf> virtualServers, List<ConfNode> checkerBlocks) {
    public KeepalivedConf {
        groups = Map.copyOf(groups);
        virtualServers = List.copyOf(virtualServers);
        checkerBlocks = List.copyOf(checkerBlocks);
    }

    /** The virtual server with this key, or null. */
    public VirtualServerConf virtualServer(VsKey key) {
        for (VirtualServerConf v : virtualServers) if (v.key().equals(key)) return v;
        return null;
    }

    /** Every real server of every virtual server, in order. */
    public List<RealServerConf> realServers() {
        return virtualServers.stream().flatMap(v -> v.realServers().stream()).toList();
    }
}
