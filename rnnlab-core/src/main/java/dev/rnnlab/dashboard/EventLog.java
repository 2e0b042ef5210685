package dev.rnnlab.dashboard;

import java.util.ArrayList;
import java.util.List;

/** An append-only, numbered list of server-sent events that readers wait on (see the package description). */
final class EventLog {
    /** One event: its number (from 0), its type and its JSON payload. */
    record Event(long id, String type, String json) {}

    private final List<Event> events = new ArrayList<>();

    /** Appends an event and wakes every waiting reader. */
    synchronized void append(String type, String json) {
        events.add(new Event(events.size(), type, json));
        notifyAll();
    }

    /** The events from number {@code from} on, waiting up to {@code waitMillis} for one when there are none yet. */
    synchronized List<Event> from(long from, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (events.size() <= from) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return List.of();
            wait(left);
        }
        return new ArrayList<>(events.subList((int) Math.max(0, from), events.size()));
    }

    /** Wakes every waiting reader without an event (so it can notice it should stop). */
    synchronized void wakeAll() {
        notifyAll();
    }
}
