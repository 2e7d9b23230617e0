package io.hookway.core.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Tells the dispatchers that new work was committed, with PostgreSQL NOTIFY. A committing
 * transaction that notified takes a database-wide lock, so this sends at most one
 * notification per channel per {@link #MIN_INTERVAL_NANOS} from a process, in its own
 * statement after the work's commit, never one per row. A notification lost in between is
 * covered by the dispatchers' polling.
 */
public final class QueueNotifier {

	/** New or due-again tasks. */
	public static final String TASKS = "hookway_tasks";

	/** Deliveries made due outside the dispatcher, such as a manual retry. */
	public static final String DELIVERIES = "hookway_deliveries";

	private static final Log logger = LogFactory.getLog(QueueNotifier.class);

	private static final long MIN_INTERVAL_NANOS = 20_000_000L;

	private final DatabaseClient database;

	private final Map<String, AtomicLong> lastSent = new ConcurrentHashMap<>();

	public QueueNotifier(DatabaseClient database) {
		this.database = database;
	}

	/** Work on the channel was committed: notify, unless this process just did. */
	public void committed(String channel) {
		AtomicLong last = this.lastSent.computeIfAbsent(channel,
				(c) -> new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS));
		long previous = last.get();
		long now = System.nanoTime();
		if (now - previous < MIN_INTERVAL_NANOS || !last.compareAndSet(previous, now)) {
			return;
		}
		this.database.sql("select pg_notify(:channel, '')")
			.bind("channel", channel)
			.then()
			.subscribe(null, (ex) -> logger.debug("NOTIFY " + channel + " failed; polling will pick the work up", ex));
	}

}
