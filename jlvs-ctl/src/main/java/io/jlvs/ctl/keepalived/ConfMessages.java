package io.jlvs.ctl.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Diagnostics} that keeps every message in order: what {@code jlvsd -t} prints and what a reload logs.
 * Errors make the configuration invalid; warnings and skipped keywords do not. Not thread-safe.
 */
public final class ConfMessages implements Diagnostics {
    /** How bad a message is. */
    public enum Kind { ERROR, WARNING, SKIPPED }

    /** One message: {@code file:line: kind: text}. */
    public record Message(Kind kind, String file, int line, String text) {
        public String where() { return file + ":" + line; }

        @Override
        public String toString() { return where() + ": " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + text; }
    }

    /** More messages than this are counted, not kept (a file of garbage must not exhaust memory). */
    static final int MAX_KEPT = 10_000;

    private final List<Message> messages = new ArrayList<>();
    private int errors, warnings, skipped, dropped;

    @Override
    public void skipped(ConfNode node, String why) {
        skipped++;
        add(new Message(Kind.SKIPPED, node.file(), node.line(), node.keyword() + ": " + why));
    }

    @Override
    public void error(ConfNode node, String message) {
        errors++;
        add(new Message(Kind.ERROR, node.file(), node.line(), message));
    }

    @Override
    public void error(String file, int line, String message) {
        errors++;
        add(new Message(Kind.ERROR, file, line, message));
    }

    @Override
    public void warning(ConfNode node, String message) {
        warnings++;
        add(new Message(Kind.WARNING, node.file(), node.line(), message));
    }

    private void add(Message m) {
        if (messages.size() < MAX_KEPT) messages.add(m);
        else dropped++;
    }

    public List<Message> messages() { return List.copyOf(messages); }

    public List<Message> of(Kind kind) { return messages.stream().filter(m -> m.kind() == kind).toList(); }

    public boolean hasErrors() { return errors > 0; }

    public int errorCount() { return errors; }

    public int warningCount() { return warnings; }

    public int skippedCount() { return skipped; }

    /** Messages beyond {@value #MAX_KEPT} that were counted but not kept. */
    public int dropped() { return dropped; }

    /** Every message, one per line, and a summary line. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) sb.append(m).append('\n');
        if (dropped > 0) sb.append("(").append(dropped).append(" more messages not shown)\n");
        return sb.toString();
    }
}
