package io.jlvs.director;

import io.jlvs.testkit.Vector;
import io.jlvs.xmit.IpIdent;
import io.jlvs.xmit.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One conversation with a fresh director: the services it is given, then steps in order. A step is a packet
 * {@link Vector} (input frame, expected verdict, expected frames on the transmit and local ports, built from
 * scratch with {@link io.jlvs.testkit.PacketBuilder}), a move of the fake clock (the director's timers run), or a
 * control-path action between packets (a real server removed, a sysctl switched). {@link #run} checks every
 * vector with {@link Vector#check}: the verdict, every frame octet for octet, every checksum of every frame.
 */
final class DirectorCase {
    /** The ID the director's ICMP errors start from (pinned so their frames can be written down). */
    static final int IDENT = 0x4000;

    private sealed interface Step permits Packet, Advance, Action {}

    private record Packet(Vector vector, int fwmark) implements Step {}

    private record Advance(double seconds) implements Step {}

    private record Action(String what, Consumer<DirectorHarness> action) implements Step {}

    final String name;
    private final int capacity;
    private final Consumer<DirectorHarness> setup;
    private final List<Step> steps = new ArrayList<>();

    private DirectorCase(String name, int capacity, Consumer<DirectorHarness> setup) {
        this.name = name;
        this.capacity = capacity;
        this.setup = setup;
    }

    /** A conversation with a director of the harness's default capacity, set up by {@code setup}. */
    static DirectorCase of(String name, Consumer<DirectorHarness> setup) { return new DirectorCase(name, 1024, setup); }

    /** A conversation with a connection table of {@code capacity} IPv4 records (and a quarter as many IPv6). */
    static DirectorCase of(String name, int capacity, Consumer<DirectorHarness> setup) {
        return new DirectorCase(name, capacity, setup);
    }

    DirectorCase packet(Vector v) { steps.add(new Packet(v, 0)); return this; }

    DirectorCase packet(Vector v, int fwmark) { steps.add(new Packet(v, fwmark)); return this; }

    DirectorCase advance(double seconds) { steps.add(new Advance(seconds)); return this; }

    DirectorCase then(String what, Consumer<DirectorHarness> action) { steps.add(new Action(what, action)); return this; }

    /** The packet vectors of this conversation. */
    List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        for (Step s : steps) if (s instanceof Packet p) out.add(p.vector());
        return out;
    }

    /** Runs the conversation; returns one line per problem, each naming its step (empty: all vectors passed). */
    List<String> run() {
        DirectorHarness h = new DirectorHarness(capacity);
        h.verifyOutput = false;                                   // Vector.check verifies, and says which frame
        h.director.icmpErrors().ident(new IpIdent(IDENT));
        setup.accept(h);
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            switch (s) {
                case Packet p -> {
                    n++;
                    Vector v = p.vector();
                    int verdict = h.in(v.input(), p.fwmark(), v.vnet(), v.isTxOffload());
                    for (String problem : v.check(verdict, h.tx.frames, h.tx.offloads, h.local.frames, DirectorCase::verdictName)) {
                        problems.add("packet " + n + " (" + p.vector().description() + "): " + problem);
                    }
                }
                case Advance a -> h.advanceSeconds(a.seconds());
                case Action a -> a.action().accept(h);
            }
        }
        return problems;
    }

    static String verdictName(int verdict) { return verdict == Director.PASS ? "PASS" : Verdict.name(verdict); }

    @Override
    public String toString() { return name; }
}
