package io.jlvs.ctl.ipvsadm;

import io.jlvs.sched.Scheduler;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel side of each command ({@code ip_vs_ctl.c}, netlink path) and libipvs's per-call texts: kernel errors
 * print {@code ipvs_strerror(errno)} and exit 255; a missing service in -L exits 1.
 */
class IpvsadmExecutorTest {
    final ServiceTable table = new ServiceTable();
    final List<VirtualService> zeroed = new ArrayList<>();
    final StatsProvider stats = new StatsProvider() {
        @Override public IpvsStats service(VirtualService svc) { return IpvsStats.ZERO; }
        @Override public IpvsStats dest(VirtualService svc, RealServer d) { return IpvsStats.ZERO; }
        @Override public void zero(VirtualService svc) { zeroed.add(svc); }
    };
    final IpvsadmExecutor ipvsadm = new IpvsadmExecutor(table, TestNames.parser(), stats, 4096);

    static final ServiceKey WEB = ServiceKey.tcp("198.51.100.10", 80);

    IpvsadmResult run(String line) { return ipvsadm.run(Arrays.asList(line.split(" "))); }

    void ok(String line) {
        IpvsadmResult r = run(line);
        assertThat(r.err()).as(line).isEmpty();
        assertThat(r.exitStatus()).as(line).isZero();
    }

    void kernelError(String line, String message) {
        IpvsadmResult r = run(line);
        assertThat(r.err()).as(line).isEqualTo(message + "\n");
        assertThat(r.out()).as(line).isEmpty();
        assertThat(r.exitStatus()).as(line).isEqualTo(255);
    }

    static final String EINVAL = "Invalid operation.  Possibly wrong module version, address not unicast, ...";

    @Test
    void addServiceBindsTheNamedScheduler() {
        ok("-A -t 198.51.100.10:80 -s rr -p 600 -M 255.255.255.0");
        VirtualService svc = table.get(WEB);
        assertThat(svc.scheduler().name()).isEqualTo("rr");
        assertThat(svc.isPersistent()).isTrue();
        assertThat(svc.timeoutSec()).isEqualTo(600);
        assertThat(svc.netmask()).isEqualTo(0xFFFF_FF00);
        ok("-A -t 198.51.100.10:81");
        assertThat(table.get(ServiceKey.tcp("198.51.100.10", 81)).scheduler().name()).isEqualTo("wlc");
    }

    @Test
    void serviceErrors() {
        ok("-A -t 198.51.100.10:80");
        kernelError("-A -t 198.51.100.10:80", "Service already exists");
        kernelError("-A -t 198.51.100.10:80 -s nosuch", "Service already exists");     // EEXIST is checked first
        kernelError("-A -t 198.51.100.10:81 -s nosuch", "Scheduler or persistence engine not found");
        kernelError("-A -t 198.51.100.10:81 -p --pe nosuch", "Scheduler or persistence engine not found");
        kernelError("-E -t 198.51.100.10:81 -s rr", "No such service");
        kernelError("-E -t 198.51.100.10:81 -s nosuch", "No such service");          // ESRCH before the lookup
        kernelError("-E -t 198.51.100.10:80 -s nosuch", "Scheduler or persistence engine not found");
        kernelError("-D -t 198.51.100.10:81", "No such service");
        kernelError("-Z -t 198.51.100.10:81", "No such service");
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void editServiceRebindsOnlyADifferentScheduler() {
        ok("-A -t 198.51.100.10:80 -s rr");
        Scheduler rr = table.get(WEB).scheduler();
        ok("-E -t 198.51.100.10:80 -s rr -p 30");
        assertThat(table.get(WEB).scheduler()).isSameAs(rr);                         // the same module stays bound
        assertThat(table.get(WEB).timeoutSec()).isEqualTo(30);
        ok("-E -t 198.51.100.10:80 -s wrr");
        assertThat(table.get(WEB).scheduler().name()).isEqualTo("wrr");
        assertThat(table.get(WEB).isPersistent()).isFalse();                          // flags are replaced
        ok("-E -t 198.51.100.10:80");                                                 // -E without -s means wlc
        assertThat(table.get(WEB).scheduler().name()).isEqualTo("wlc");
        ok("-E -t 198.51.100.10:80 -s none");
        assertThat(table.get(WEB).scheduler().name()).isEqualTo("none");
    }

    @Test
    void realServerLifecycle() {
        ok("-A -t 198.51.100.10:80 -s wrr");
        ok("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m -w 3 -x 100 -y 50");
        RealServer d = table.get(WEB).findDest(IpAddr.parse("192.0.2.1"), 8080);
        assertThat(d.fwdMethod()).isEqualTo(FwdMethod.MASQ);
        assertThat(d.weight()).isEqualTo(3);
        assertThat(d.uThreshold()).isEqualTo(100);
        assertThat(d.lThreshold()).isEqualTo(50);
        ok("-e -t 198.51.100.10:80 -r 192.0.2.1:8080 -m -w 0");
        assertThat(d.weight()).isZero();
        assertThat(d.lastWeight()).isEqualTo(3);
        assertThat(d.uThreshold()).isZero();                                          // -e sets every value again
        ok("-d -t 198.51.100.10:80 -r 192.0.2.1:8080");
        assertThat(table.get(WEB).numDests()).isZero();
        assertThat(d.isAvailable()).isFalse();
    }

    @Test
    void realServerErrors() {
        kernelError("-a -t 198.51.100.10:80 -r 192.0.2.1", "Service not defined");
        kernelError("-e -t 198.51.100.10:80 -r 192.0.2.1", "Service not defined");
        kernelError("-d -t 198.51.100.10:80 -r 192.0.2.1", "Service not defined");
        ok("-A -t 198.51.100.10:80");
        ok("-a -t 198.51.100.10:80 -r 192.0.2.1");
        kernelError("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 5", "Destination already exists");
        kernelError("-e -t 198.51.100.10:80 -r 192.0.2.2", "No such destination");
        kernelError("-d -t 198.51.100.10:80 -r 192.0.2.2", "No such destination");
        // a DR real server was added on the virtual port; deleting it by another port finds nothing
        kernelError("-d -t 198.51.100.10:80 -r 192.0.2.1:8080", "No such destination");
        // the kernel refuses a lower threshold above the upper one, 0 ("no limit") included: ERANGE, no libipvs text
        kernelError("-a -t 198.51.100.10:80 -r 192.0.2.3 -y 5", "Numerical result out of range");
        kernelError("-a -t 198.51.100.10:80 -r 192.0.2.3 -x 10 -y 11", "Numerical result out of range");
        kernelError("-e -t 198.51.100.10:80 -r 192.0.2.1 -y 5", "Numerical result out of range");
        // only unicast addresses: EINVAL
        kernelError("-a -t 198.51.100.10:80 -r 224.0.0.1", EINVAL);
        kernelError("-a -t 198.51.100.10:80 -r 255.255.255.255", EINVAL);
        kernelError("-a -t 198.51.100.10:80 -r 0.0.0.1", EINVAL);
        assertThat(table.get(WEB).numDests()).isEqualTo(1);
    }

    @Test
    void ipv6RealServersMustBeUnicast() {
        ok("-A -t [2001:db8::1]:80");
        kernelError("-a -t [2001:db8::1]:80 -r [ff02::1]:80", EINVAL);
        kernelError("-a -t [2001:db8::1]:80 -r [fe80::1]:80", EINVAL);
        kernelError("-a -t [2001:db8::1]:80 -r [::ffff:192.0.2.1]:80", EINVAL);
        ok("-a -t [2001:db8::1]:80 -r [2001:db8::2]:80");
    }

    @Test
    void mixedFamiliesOnlyForTunnelsAndNotWhileSyncing() {
        ok("-A -t 198.51.100.10:80");
        ok("-a -t 198.51.100.10:80 -r [2001:db8::2]:80 -i");
        assertThat(table.get(WEB).dests()[0].af()).isEqualTo(IpAddr.AF_INET6);
        ok("--start-daemon master");
        kernelError("-a -t 198.51.100.10:80 -r [2001:db8::3]:80 -i", EINVAL);
        ok("-d -t 198.51.100.10:80 -r [2001:db8::2]:80");                             // delete is not checked
    }

    @Test
    void gueNeedsATunnelPortInTheKernelToo() {
        ok("-A -t 198.51.100.10:80");
        ok("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue --tun-port 6080");
        RealServer d = table.get(WEB).dests()[0];
        assertThat(d.tunType()).isEqualTo(TunnelType.GUE);
        assertThat(d.tunPort()).isEqualTo(6080);
    }

    @Test
    void flushDeleteZero() {
        ok("-A -t 198.51.100.10:80");
        ok("-A -u 198.51.100.10:53");
        ok("-Z -t 198.51.100.10:80");
        assertThat(zeroed).extracting(VirtualService::key).containsExactly(WEB);
        ok("-Z");
        assertThat(zeroed).hasSize(3);
        ok("-Z -t 0.0.0.0:0");                                                        // no service sent: all
        assertThat(zeroed).hasSize(5);
        ok("-D -u 198.51.100.10:53");
        assertThat(table.size()).isEqualTo(1);
        ok("-C");
        assertThat(table.size()).isZero();
        ok("-C");
    }

    @Test
    void timeoutsZeroMeansUnchanged() {
        ok("--set 10 0 20");
        assertThat(ipvsadm.timeouts()).isEqualTo(new Timeouts(10, 120, 20));
        ok("--set 0 0 0");
        assertThat(ipvsadm.timeouts()).isEqualTo(new Timeouts(10, 120, 20));
    }

    @Test
    void syncDaemonBookkeeping() {
        ok("--start-daemon master");
        kernelError("--start-daemon master --syncid 2", "Daemon has already run");
        ok("--start-daemon backup");
        ok("--stop-daemon master");
        kernelError("--stop-daemon master", "No daemon is running");
    }

    @Test
    void listingErrorsExit1AndParseErrorsKeepTheirStatus() {
        IpvsadmResult r = run("-L -n -t 198.51.100.10:80");
        assertThat(r).isEqualTo(new IpvsadmResult("", "No such service\n", 1));
        assertThat(run("-A -t 198.51.100.10:0")).isEqualTo(
                new IpvsadmResult("", "Zero port specified for non-persistent service\n", 2));
        assertThat(run("-L --bogus")).isEqualTo(new IpvsadmResult("", "--bogus: unknown option\n", 255));
        assertThat(run("-A -6 -f 1")).isEqualTo(new IpvsadmResult("", "-6 used before -f\n\n", 2));
    }

    @Test
    void helpAndVersionGoToStdoutWithStatus0() {
        IpvsadmResult v = run("-v");
        assertThat(v).isEqualTo(new IpvsadmResult("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n", "", 0));
        IpvsadmResult h = run("--help");
        assertThat(h.exitStatus()).isZero();
        assertThat(h.out()).startsWith("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\nUsage:\n"
                + "  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]\n")
                .contains("  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n"
                        + "                                      the default scheduler is wlc.\n")
                .endsWith("  --mcast-ttl ttl                     Multicast TTL (default=1)\n");
    }

    @Test
    void restoreReadsLinesUntilTheFirstBadOne() {
        String rules = String.join("\n",
                "ipvsadm -A -t 198.51.100.10:80 -s rr",
                "",
                "-a -t 198.51.100.10:80 -r 192.0.2.1 -m",
                "-a -t 198.51.100.10:80 -r 192.0.2.1 -m",        // kernel error: reported, restore goes on
                "\t-L\t-n   -t 198.51.100.10:80",
                "-a -t 198.51.100.10:80 -r 192.0.2.2 -w 70000",   // ipvsadm's own check: exit(2), restore stops
                "-a -t 198.51.100.10:80 -r 192.0.2.3");
        IpvsadmResult r = ipvsadm.run(List.of("-R"), new BufferedReader(new StringReader(rules)));
        assertThat(r.err()).isEqualTo("Destination already exists\nillegal weight specified\n");
        assertThat(r.out()).isEqualTo("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  198.51.100.10:80 rr\n"
                + "  -> 192.0.2.1:80                 Masq    1      0          0         \n");
        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(table.get(WEB).numDests()).isEqualTo(1);
    }

    @Test
    void restoreStatusIsTheLastLinesAndRefusesNestedRestore() {
        IpvsadmResult r = ipvsadm.run(List.of("-R"), new BufferedReader(new StringReader(
                "-A -t 198.51.100.10:80\n-A -t 198.51.100.10:80\n")));
        assertThat(r).isEqualTo(new IpvsadmResult("", "Service already exists\n", 255));
        r = ipvsadm.run(List.of("-R"), new BufferedReader(new StringReader("-D -t 198.51.100.10:80\n-R\n-C\n")));
        assertThat(r).isEqualTo(new IpvsadmResult("", "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", 255));
        assertThat(table.size()).isZero();
    }

    @Test
    void libipvsTextsDependOnTheCall() {
        assertThat(Libipvs.strerror(Libipvs.Call.UPDATE_SERVICE, Errno.ESRCH)).isEqualTo("No such service");
        assertThat(Libipvs.strerror(Libipvs.Call.ADD_DEST, Errno.ESRCH)).isEqualTo("Service not defined");
        assertThat(Libipvs.strerror(Libipvs.Call.ADD_SERVICE, Errno.ESRCH)).isEqualTo("No such process");
        assertThat(Libipvs.strerror(Libipvs.Call.UPDATE_DEST, Errno.EEXIST)).isEqualTo("File exists");
        assertThat(Libipvs.strerror(Libipvs.Call.FLUSH, Errno.ENOMEM)).isEqualTo("Memory allocation problem");
        assertThat(Libipvs.strerror(Libipvs.Call.ADD_DEST, Errno.EPERM)).isEqualTo("Permission denied (you must be root)");
        assertThat(Libipvs.strerror(Libipvs.Call.SET_TIMEOUT, Errno.EAFNOSUPPORT))
                .isEqualTo("Operation not supported with specified address family");
    }
}
