package io.jlvs.ctl.ipvsadm;

import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServerSpec;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The grammar and checks of ipvsadm 1.31 ({@code parse_options}, {@code process_options}); every expected message
 * is the format string of ipvsadm.c with its arguments filled in.
 */
class IpvsadmParserTest {
    static final String VIP = "198.51.100.10";
    static final ServiceKey WEB = ServiceKey.tcp(VIP, 80);
    final IpvsadmParser parser = TestNames.parser();

    IpvsadmCommand parse(String line) throws IpvsadmException {
        return parser.parse(line.isEmpty() ? List.of() : Arrays.asList(line.split(" ")));
    }

    void fails(String line, String message, int status) {
        assertThatThrownBy(() -> parse(line))
                .isInstanceOf(IpvsadmException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((IpvsadmException) e).exitStatus()).as("exit status").isEqualTo(status));
    }

    void usage(String line, String message) { fails(line, message, 2); }

    static final String TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";

    @Nested
    class Commands {
        @Test
        void addServiceFillsIpvsadmsDefaults() throws Exception {
            IpvsadmCommand c = parse("-A -t 198.51.100.10:80");
            assertThat(c.command()).isEqualTo(Command.ADD_SERVICE);
            assertThat(c.service()).isEqualTo(WEB);
            assertThat(c.scheduler()).isEqualTo("wlc");
            assertThat(c.serviceFlags()).isZero();
            assertThat(c.timeoutSec()).isZero();
            assertThat(c.netmask()).isEqualTo(0xFFFF_FFFF);
            assertThat(c.peName()).isEmpty();
            assertThat(c.options()).containsExactly(Opt.SERVICE);
        }

        @Test
        void everyCommandByShortAndLongName() throws Exception {
            assertThat(parse("-E -t 198.51.100.10:80 -s rr").command()).isEqualTo(Command.EDIT_SERVICE);
            assertThat(parse("--edit-service --tcp-service 198.51.100.10:80").command()).isEqualTo(Command.EDIT_SERVICE);
            assertThat(parse("-D -t 198.51.100.10:80").command()).isEqualTo(Command.DELETE_SERVICE);
            assertThat(parse("--delete-service -t 198.51.100.10:80").command()).isEqualTo(Command.DELETE_SERVICE);
            assertThat(parse("-C").command()).isEqualTo(Command.FLUSH);
            assertThat(parse("--clear").command()).isEqualTo(Command.FLUSH);
            assertThat(parse("-R").command()).isEqualTo(Command.RESTORE);
            assertThat(parse("--restore").command()).isEqualTo(Command.RESTORE);
            assertThat(parse("-S").command()).isEqualTo(Command.SAVE);
            assertThat(parse("--save -n").command()).isEqualTo(Command.SAVE);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.ADD_SERVER);
            assertThat(parse("--add-server -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.ADD_SERVER);
            assertThat(parse("-e -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.EDIT_SERVER);
            assertThat(parse("--edit-server -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.EDIT_SERVER);
            assertThat(parse("-d -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.DELETE_SERVER);
            assertThat(parse("--delete-server -t 198.51.100.10:80 -r 192.0.2.1").command()).isEqualTo(Command.DELETE_SERVER);
            assertThat(parse("-L").command()).isEqualTo(Command.LIST);
            assertThat(parse("-l").command()).isEqualTo(Command.LIST);
            assertThat(parse("--list").command()).isEqualTo(Command.LIST);
            assertThat(parse("-Z").command()).isEqualTo(Command.ZERO);
            assertThat(parse("--zero -t 198.51.100.10:80").service()).isEqualTo(WEB);
            assertThat(parse("--set 900 120 300").command()).isEqualTo(Command.SET_TIMEOUT);
            assertThat(parse("-h").command()).isEqualTo(Command.HELP);
            assertThat(parse("--help").command()).isEqualTo(Command.HELP);
            assertThat(parse("-v").command()).isEqualTo(Command.VERSION);
            assertThat(parse("--version").command()).isEqualTo(Command.VERSION);
        }

        @Test
        void noArgumentsListsWithNames() throws Exception {
            IpvsadmCommand c = parse("");
            assertThat(c.command()).isEqualTo(Command.LIST);
            assertThat(c.format()).isEqualTo(ListFormat.DEFAULT);
        }

        @Test
        void helpStopsParsingAtOnce() throws Exception {
            assertThat(parse("-h --no-such-option").command()).isEqualTo(Command.HELP);
        }

        @Test
        void theCommandMustComeFirst() {
            fails("-n -L", TRY, 255);
            fails("-t 198.51.100.10:80 -A", TRY, 255);
            fails("--no-such-option", TRY, 255);
            fails("-s", TRY, 255);
            fails("foo", TRY, 255);
            fails("-", TRY, 255);
        }

        @Test
        void aSecondCommandIsAnInvalidOptionNamingTheWordPoptBlames() {
            // ipvsadm's "multiple commands specified" cannot be reached: the option loop has no case for commands
            usage("-A -D -t 198.51.100.10:80", "invalid option `-D'");
            usage("-AD -t 198.51.100.10:80", "invalid option `-AD'");
            usage("-L --delete-service", "invalid option `--delete-service'");
            usage("-L -h", "invalid option `-h'");
            usage("-L --stop-daemon master", "invalid option `master'");   // popt blames argv[next - 1]
        }
    }

    @Nested
    class Popt {
        @Test
        void combinedShortOptions() throws Exception {
            IpvsadmCommand c = parse("-Ln");
            assertThat(c.command()).isEqualTo(Command.LIST);
            assertThat(c.format().numeric()).isTrue();
            assertThat(parse("-At 198.51.100.10:80").service()).isEqualTo(WEB);
            assertThat(parse("-At198.51.100.10:80").service()).isEqualTo(WEB);
            IpvsadmCommand a = parse("-at 198.51.100.10:80 -mr 192.0.2.1:8080 -w2");
            assertThat(a.dest().fwdMethod()).isEqualTo(FwdMethod.MASQ);
            assertThat(a.dest().port()).isEqualTo(8080);
            assertThat(a.dest().weight()).isEqualTo(2);
        }

        @Test
        void longOptionsWithEquals() throws Exception {
            IpvsadmCommand c = parse("--add-service --tcp-service=198.51.100.10:80 --scheduler=rr --persistent=30");
            assertThat(c.service()).isEqualTo(WEB);
            assertThat(c.scheduler()).isEqualTo("rr");
            assertThat(c.timeoutSec()).isEqualTo(30);
            assertThat(parse("-L --numeric=yes").format().numeric()).isTrue();    // popt ignores =value on a flag
            assertThat(parse("-A -t 198.51.100.10:80 -s=rr").scheduler()).isEqualTo("rr");
        }

        @Test
        void aSingleDashNeverStartsALongOption() {
            // -list is -l -i -s t: the scheduler option is illegal with list (checked before the forwarding one)
            usage("-list -n", "Illegal 'scheduler' option with the 'list' command");
        }

        @Test
        void poptErrorsNameTheWordAndExit255() {
            fails("-L --no-such", "--no-such: unknown option", 255);
            fails("-L --no-such=1", "--no-such=1: unknown option", 255);
            fails("-L -q", "-q: unknown option", 255);
            fails("-Lq", "-Lq: unknown option", 255);
            fails("-A -t", "-t: missing argument", 255);
            fails("-At", "-At: missing argument", 255);
            fails("-L -I 3", "-I: unknown option", 255);                     // --syncid has no short form
        }

        @Test
        void aValueIsTheNextWordWhateverItIs() {
            usage("-A -t -s", "illegal virtual server address[:port] specified");
        }

        @Test
        void leftoverWordsAndDoubleDash() throws Exception {
            usage("-L extra", "unexpected argument extra");
            usage("-L -- -n", "unexpected argument -n");
            assertThat(parse("-A -t 198.51.100.10:80 --sort").command()).isEqualTo(Command.ADD_SERVICE);
        }
    }

    @Nested
    class Persistence {
        @Test
        void pWithoutAValueIs360Seconds() throws Exception {
            IpvsadmCommand c = parse("-A -t 198.51.100.10:80 -p");
            assertThat(c.isPersistent()).isTrue();
            assertThat(c.timeoutSec()).isEqualTo(360);
            assertThat(parse("-A -t 198.51.100.10:80 -p -s rr").timeoutSec()).isEqualTo(360);
        }

        @Test
        void pTakesTheNextWordUnlessItStartsWithADash() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:80 -p 120").timeoutSec()).isEqualTo(120);
            assertThat(parse("-A -t 198.51.100.10:80 -p120").timeoutSec()).isEqualTo(120);
            assertThat(parse("-A -t 198.51.100.10:80 -sp").scheduler()).isEqualTo("p");      // -s takes the rest
            usage("-A -t 198.51.100.10:80 -p rr", "invalid timeout value `rr' specified");
            usage("-A -t 198.51.100.10:80 -p 0", "invalid timeout value `0' specified");
            usage("-A -t 198.51.100.10:80 -p 2678401", "invalid timeout value `2678401' specified");
            assertThat(parse("-A -t 198.51.100.10:80 -p 2678400").timeoutSec()).isEqualTo(2678400);
            usage("-A -t 198.51.100.10:80 --persistent=", "invalid timeout value `' specified");
        }

        @Test
        void zeroPortNeedsPersistence() throws Exception {
            usage("-A -t 198.51.100.10:0", "Zero port specified for non-persistent service");
            usage("-A -t 198.51.100.10", "Zero port specified for non-persistent service");
            usage("-E -t 198.51.100.10", "Zero port specified for non-persistent service");
            assertThat(parse("-A -t 198.51.100.10 -p").service().port()).isZero();
            assertThat(parse("-A -f 1").service().fwmark()).isEqualTo(1);
        }

        @Test
        void netmaskIsIpv4UnlessTheServiceIsAlreadyIpv6() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:80 -p -M 255.255.255.0").netmask()).isEqualTo(0xFFFF_FF00);
            assertThat(parse("-A -t 198.51.100.10:80 -p -M 24").netmask()).isEqualTo(24);     // inet_aton: 0.0.0.24
            usage("-A -t 198.51.100.10:80 -p -M 255.255.255.256", "illegal virtual server persistent mask specified");
            assertThat(parse("-A -t [2001:db8::1]:80 -p -M 64").netmask()).isEqualTo(64);
            assertThat(parse("-A -t [2001:db8::1]:80 -p").netmask()).isEqualTo(128);
            usage("-A -t [2001:db8::1]:80 -p -M 129", "illegal ipv6 netmask specified");
            usage("-A -t [2001:db8::1]:80 -p -M 255.255.255.0", "illegal ipv6 netmask specified");   // atoi: 255
            // -M before the IPv6 service is parsed as IPv4, then the service resets it to 128
            assertThat(parse("-A -M 64 -t [2001:db8::1]:80 -p").netmask()).isEqualTo(128);
        }

        @Test
        void persistenceEngine() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:80 -p --pe sip").peName()).isEqualTo("sip");
        }
    }

    @Nested
    class Services {
        @Test
        void addressForms() throws Exception {
            assertThat(parse("-A -u 198.51.100.10:53").service()).isEqualTo(ServiceKey.udp(VIP, 53));
            assertThat(parse("-A --sctp-service 198.51.100.10:5060").service())
                    .isEqualTo(ServiceKey.of(VirtualService.IPPROTO_SCTP, IpAddr.parse(VIP), 5060));
            assertThat(parse("-A -t 10.1:80").service().addr()).isEqualTo(IpAddr.parse("10.0.0.1"));
            assertThat(parse("-A -t 0xc633640a:80").service()).isEqualTo(WEB);
            assertThat(parse("-A -t [2001:db8::1]:80").service()).isEqualTo(ServiceKey.tcp("2001:db8::1", 80));
            // a bare IPv6 address has no port: the last group is part of the address
            assertThat(parse("-A -t 2001:db8::1:80 -p").service()).isEqualTo(ServiceKey.tcp("2001:db8::1:80", 0));
        }

        @Test
        void portNamesAreLookedUpForTheServiceProtocol() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:http").service().port()).isEqualTo(80);
            assertThat(parse("-A -t 198.51.100.10:www").service().port()).isEqualTo(80);      // an alias
            assertThat(parse("-A -u 198.51.100.10:domain").service().port()).isEqualTo(53);
            usage("-A -u 198.51.100.10:http", "illegal virtual server address[:port] specified");   // http is tcp only
            usage("-A -t 198.51.100.10:no-such-port", "illegal virtual server address[:port] specified");
        }

        @Test
        void hostNamesResolveToIpv4() throws Exception {
            IpvsadmParser named = new IpvsadmParser("ipvsadm",
                    new TestNames(Map.of("web.example", IpAddr.parse(VIP)), Map.of()));
            assertThat(named.parse(List.of("-A", "-t", "web.example:http")).service()).isEqualTo(WEB);
            assertThatThrownBy(() -> named.parse(List.of("-A", "-t", "unknown.example:80")))
                    .hasMessage("illegal virtual server address[:port] specified");
        }

        @ParameterizedTest
        @CsvSource({"80", "198.51.100.10:65536", "198.51.100.10:", "[2001:db8::1]", "[2001:db8::1]80",
                "[2001:db8::1:80", "256.1.1.1:80"})
        void illegalVirtualAddresses(String addr) {
            usage("-A -t " + addr, "illegal virtual server address[:port] specified");
        }

        @Test
        void anEmptyAddressIsAllDigits() {
            assertThatThrownBy(() -> parser.parse(List.of("-A", "-t", "")))
                    .hasMessage("illegal virtual server address[:port] specified");
        }

        @Test
        void fwmarks() throws Exception {
            assertThat(parse("-A -f 1").service()).isEqualTo(ServiceKey.fwmark(IpAddr.AF_INET, 1));
            IpvsadmCommand v6 = parse("-A -f 7 -6");
            assertThat(v6.service()).isEqualTo(ServiceKey.fwmark(IpAddr.AF_INET6, 7));
            assertThat(v6.netmask()).isEqualTo(128);
            assertThat(parse("-A --fwmark-service 4294967295 --ipv6").service().fwmark()).isEqualTo(-1);
            usage("-A -f 0", "invalid fwmark value `0' specified");
            usage("-A -f -1", "invalid fwmark value `-1' specified");
            usage("-A -f 4294967296", "invalid fwmark value `4294967296' specified");
            usage("-A -f 1x", "invalid fwmark value `1x' specified");
            usage("-A -6 -f 1", "-6 used before -f\n");
            usage("-A -t [2001:db8::1]:80 -6", "-6 used before -f\n");
        }

        @Test
        void oneServiceOnly() {
            usage("-A -t 198.51.100.10:80 -u 198.51.100.10:53", "multiple 'service-address' options specified");
            usage("-A -t 198.51.100.10:80 -f 1", "multiple 'service-address' options specified");
            usage("-A -t 198.51.100.10:80 -s rr -s wrr", "multiple 'scheduler' options specified");
        }

        @Test
        void onePacketSchedulingIsForUdpAndFwmarkOnly() throws Exception {
            assertThat(parse("-A -u 198.51.100.10:53 -o").serviceFlags()).isEqualTo(VirtualService.F_ONEPACKET);
            assertThat(parse("-A -f 3 -o").serviceFlags()).isEqualTo(VirtualService.F_ONEPACKET);
            usage("-A -t 198.51.100.10:80 -o", "One-Packet Scheduling is only for UDP virtual services");
        }

        @Test
        void schedulerNamesAreCutTo15Characters() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:80 -s abcdefghijklmnopq").scheduler()).isEqualTo("abcdefghijklmno");
        }
    }

    @Nested
    class SchedulerFlags {
        @Test
        void shAndMhFlagsNeedTheirScheduler() throws Exception {
            assertThat(parse("-A -t 198.51.100.10:80 -s sh -b sh-fallback,sh-port").serviceFlags())
                    .isEqualTo(SchedFlags.FALLBACK | SchedFlags.PORT);
            assertThat(parse("-A -t 198.51.100.10:80 -b sh-port -s sh").serviceFlags()).isEqualTo(SchedFlags.PORT);
            assertThat(parse("-A -t 198.51.100.10:80 -s mh -b mh-port").serviceFlags()).isEqualTo(SchedFlags.PORT);
            assertThat(parse("-A -t 198.51.100.10:80 -b flag-1,flag-2,flag-3").serviceFlags())
                    .isEqualTo(SchedFlags.SCHED1 | SchedFlags.SCHED2 | SchedFlags.SCHED3);
            usage("-A -t 198.51.100.10:80 -b sh-port", "incompatible scheduler flag `sh-port'");   // wlc by default
            usage("-A -t 198.51.100.10:80 -s sh -b mh-fallback", "incompatible scheduler flag `mh-fallback'");
            usage("-A -t 198.51.100.10:80 -s sh -b sh-port,bogus", "invalid scheduler flag `bogus'");
        }

        @Test
        void flagsComeAfterEveryOptionIsRead() {
            // the flags are checked after the loop: a bad flag loses to a bad later option
            usage("-A -t 198.51.100.10:80 -b bogus -p x", "invalid timeout value `x' specified");
        }
    }

    @Nested
    class RealServers {
        @Test
        void defaultsAreDirectRoutingWeightOne() throws Exception {
            RealServerSpec d = parse("-a -t 198.51.100.10:80 -r 192.0.2.1").dest();
            assertThat(d).isEqualTo(new RealServerSpec(IpAddr.parse("192.0.2.1"), 80, FwdMethod.DROUTE, 1, 0, 0,
                    TunnelType.IPIP, 0, 0));
        }

        @Test
        void portIsTheVirtualPortUnlessGivenAndForcedForDrAndTunnels() throws Exception {
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -m").dest().port()).isEqualTo(80);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -m").dest().port()).isEqualTo(8080);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1:8080").dest().port()).isEqualTo(80);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -g").dest().port()).isEqualTo(80);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1:8080 -i").dest().port()).isEqualTo(80);
            assertThat(parse("-a -f 1 -r 192.0.2.1:8080 -g").dest().port()).isEqualTo(8080);      // fwmark: kept
            assertThat(parse("-a -f 1 -r 192.0.2.1").dest().port()).isZero();
            // -r before -t copies the port the service has at that moment: none yet
            assertThat(parse("-a -r 192.0.2.1 -t 198.51.100.10:80 -m").dest().port()).isZero();
            // -d is not forced: the port names the real server to delete
            assertThat(parse("-d -t 198.51.100.10:80 -r 192.0.2.1:8080").dest().port()).isEqualTo(8080);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1:http-alt -m").dest().port()).isEqualTo(8080);
        }

        @Test
        void weightsAndThresholds() throws Exception {
            RealServerSpec d = parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 0 -x 100 -y 50").dest();
            assertThat(d.weight()).isZero();
            assertThat(d.uThreshold()).isEqualTo(100);
            assertThat(d.lThreshold()).isEqualTo(50);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 65535").dest().weight()).isEqualTo(65535);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -w +7").dest().weight()).isEqualTo(7);
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 65536", "illegal weight specified");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -w -1", "illegal weight specified");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -w 1.5", "illegal weight specified");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -x 2147483648", "illegal u_threshold specified");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -y x", "illegal l_threshold specified");
            usage("-a -t 198.51.100.10:80 -r 80", "illegal real server address[:port] specified");
        }

        @Test
        void addressFamiliesMayDifferOnlyForTunnels() throws Exception {
            usage("-a -t 198.51.100.10:80 -r [2001:db8::1]:80 -m", "Different address family is allowed only for tunneling servers");
            usage("-a -t 198.51.100.10:80 -r [2001:db8::1]:80", "Different address family is allowed only for tunneling servers");
            assertThat(parse("-a -t 198.51.100.10:80 -r [2001:db8::1]:80 -i").dest().addr())
                    .isEqualTo(IpAddr.parse("2001:db8::1"));
            assertThat(parse("-a -f 1 -6 -r [2001:db8::1]:0").dest().port()).isZero();
        }

        @Test
        void tunnelOptions() throws Exception {
            RealServerSpec gue = parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue --tun-port 6080 --tun-csum").dest();
            assertThat(gue.tunType()).isEqualTo(TunnelType.GUE);
            assertThat(gue.tunPort()).isEqualTo(6080);
            assertThat(gue.tunFlags()).isEqualTo(TunnelType.FLAG_CSUM);
            assertThat(parse("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gre --tun-remcsum".replace("--tun-remcsum", "--tun-nocsum"))
                    .dest().tunType()).isEqualTo(TunnelType.GRE);
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -m --tun-type gue", "Tunnel options conflict with forward method");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 --tun-csum", "Tunnel options conflict with forward method");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue", "You need to supply the 'tun-port' option for the 'gue' tunnel type");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gre --tun-port 5", "Illegal 'tun-port' option with the 'gre' tunnel type");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gre --tun-remcsum", "Illegal 'tun-remcsum' option with the 'gre' tunnel type");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-nocsum", "Illegal 'tun-nocsum' option with the 'ipip' tunnel type");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue --tun-port 6080 --tun-csum --tun-remcsum",
                    "The option 'tun-remcsum' conflicts with the 'tun-csum' option in the 'gue' tunnel type");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type vxlan", "illegal tunnel type specified");
            usage("-a -t 198.51.100.10:80 -r 192.0.2.1 -i --tun-type gue --tun-port 0", "illegal tunnel port specified");
        }
    }

    @Nested
    class Matrix {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "-A                                       | You need to supply the 'service-address' option for the 'add-service' command",
                "-E -s rr                                 | You need to supply the 'service-address' option for the 'edit-service' command",
                "-a -t 198.51.100.10:80                   | You need to supply the 'real-server' option for the 'add-server' command",
                "-e -r 192.0.2.1                          | You need to supply the 'service-address' option for the 'edit-server' command",
                "-d -t 198.51.100.10:80 -r 192.0.2.1 -w 2 | Illegal 'weight' option with the 'delete-server' command",
                "-D -t 198.51.100.10:80 -s rr             | Illegal 'scheduler' option with the 'delete-service' command",
                "-A -n -t 198.51.100.10:80                | Illegal 'numeric' option with the 'add-service' command",
                "-A -t 198.51.100.10:80 -r 192.0.2.1      | Illegal 'real-server' option with the 'add-service' command",
                "-a -t 198.51.100.10:80 -r 192.0.2.1 -p   | Illegal 'persistent' option with the 'add-server' command",
                "-C -n                                    | Illegal 'numeric' option with the 'flush' command",
                "-S -t 198.51.100.10:80                   | Illegal 'service-address' option with the 'save' command",
                "-S --nosort                              | Illegal 'nosort' option with the 'save' command",
                "-Z -n                                    | Illegal 'numeric' option with the 'zero' command",
                "-L -s rr                                 | Illegal 'scheduler' option with the 'list' command",
                "-L -c -t 198.51.100.10:80                | The option 'service-address' conflicts with the 'connection' option in the 'list' command",
                "-L --timeout --daemon                    | The option 'daemon' conflicts with the 'timeout' option in the 'list' command",
                "-L -t 198.51.100.10:80 --timeout         | The option 'timeout' conflicts with the 'service-address' option in the 'list' command",
                "-L -c --stats                            | options conflicts in the list command",
                "-L --timeout --rate                      | options conflicts in the list command",
                "-L --daemon --persistent-conn            | options conflicts in the list command",
                "-R -n                                    | Illegal 'numeric' option with the 'restore' command",
                "--set 1 2 3 -n                           | Illegal 'numeric' option with the 'set' command",
                "--stop-daemon master --mcast-interface eth1 | Illegal 'mcast-interface' option with the 'stop-daemon' command",
                "--start-daemon master --tun-info         | Illegal 'tun-info' option with the 'start-daemon' command",
                "-L -n -n                                 | multiple 'numeric' options specified",
        })
        void legality(String line, String message) {
            usage(line.strip(), message);
        }

        @Test
        void listOptions() throws Exception {
            IpvsadmCommand c = parse("-L -n --stats --exact --nosort --sort -t 198.51.100.10:80");
            assertThat(c.format()).isEqualTo(new ListFormat(true, true, false, false, false, true, true, false));
            assertThat(c.has(Opt.SERVICE)).isTrue();
            assertThat(parse("-L -c -n --persistent-conn").has(Opt.CONNECTION)).isTrue();
            assertThat(parse("-L --tun-info --thresholds --rate").format().tunInfo()).isTrue();
            assertThat(parse("-L -X").format().exact()).isTrue();
            assertThat(parse("-L -f 3 -6").service()).isEqualTo(ServiceKey.fwmark(IpAddr.AF_INET6, 3));
        }
    }

    @Nested
    class TimeoutsAndDaemons {
        @Test
        void setTakesThreeTimeouts() throws Exception {
            assertThat(parse("--set 900 0 300").timeouts()).isEqualTo(new Timeouts(900, 0, 300));
            assertThat(parse("--set 1 2 -- 3").timeouts()).isEqualTo(new Timeouts(1, 2, 3));
            usage("--set 1 2", "--set option requires 3 timeout values");
            usage("--set", "--set option requires 3 timeout values");
            usage("--set 1 2 x", "invalid timeout value `x' specified");
            usage("--set 1 2 2678401", "invalid timeout value `2678401' specified");
            usage("--set 1 2 3 4", "unexpected argument 4");
        }

        @Test
        void syncDaemonOptions() throws Exception {
            IpvsadmCommand c = parse("--start-daemon master --mcast-interface eth1 --syncid 5 --sync-maxlen 1400"
                    + " --mcast-group 239.1.2.3 --mcast-port 8849 --mcast-ttl 2");
            assertThat(c.daemon()).isEqualTo(new SyncDaemonSpec(SyncDaemonSpec.State.MASTER, "eth1", 5, 1400,
                    IpAddr.parse("239.1.2.3"), 8849, 2));
            assertThat(parse("--start-daemon backup").daemon().mcastInterface()).isEqualTo("eth0");
            assertThat(parse("--start-daemon backup --mcast-group ff02::1:2").daemon().mcastGroup())
                    .isEqualTo(IpAddr.parse("ff02::1:2"));
            assertThat(parse("--stop-daemon backup --syncid 7").daemon().syncId()).isEqualTo(7);
            usage("--start-daemon primary", "illegal start-daemon parameter specified");
            usage("--stop-daemon primary", "illegal start_daemon specified");
            usage("--start-daemon master --syncid 256", "illegal syncid specified");
            usage("--start-daemon master --mcast-group 192.0.2.1", "invalid IPv4 mcast-group `192.0.2.1'");
            usage("--start-daemon master --mcast-group 2001:db8::1", "invalid IPv6 mcast-group `2001:db8::1'");
            usage("--start-daemon master --mcast-port 0", "illegal mcast-port specified");
            usage("--start-daemon master --mcast-ttl 256", "illegal mcast-ttl specified");
            usage("--start-daemon master --sync-maxlen 65508", "illegal sync-maxlen specified");
            fails("--start-daemon", TRY, 255);
        }
    }
}
