package io.hookway.core.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Tells the dispatchers that new work was committed, with PostgreSQL NOTIFY. A committing
 * transaction that notified takes a database-wide lock, so a process sends at most one
 * notification per channel per {@link #MIN_INTERVAL}, in its own statement after the
 * work's commit, never one per row. Work committed inside the interval is announced by
 * one notification at its end, so it waits at most that long for a dispatcher, not for
 * the next poll.
 */
public final class QueueNotifier {

	/** New or due-again tasks. */
	public static final String TASKS = "hookway_tasks";

	/** Deliveries made due outside the dispatcher, such as a manual retry. */
	public static final String DELIVERIES = "hookway_deliveries";

	private static final Log logger = LogFactory.getLog(QueueNotifier.class);

	private static final Duration MIN_INTERVAL = Duration.ofMillis(5);

	private final DatabaseClient database;

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	public QueueNotifier(DatabaseClient database) {
		this.database = database;
	}

	/** Work on the channel was committed: notify now, or at the end of the interval. */
	public void committed(String channel) {
		this.channels.computeIfAbsent(channel, Channel::new).committed();
	}

	private final class Channel {

		private final String name;

		private final AtomicLong lastSent = new AtomicLong(System.nanoTime() - MIN_INTERVAL.toNanos());

		private final AtomicBoolean trailingScheduled = new AtomicBoolean();

		Channel(String name) {
			this.name = name;
		}

		void committed() {
			long previous = this.lastSent.get();
			long waited = System.nanoTime() - previous;
			if (waited >= MIN_INTERVAL.toNanos() && this.lastSent.compareAndSet(previous, System.nanoTime())) {
				send();
			}
			else if (this.trailingScheduled.compareAndSet(false, true)) {
				// the notification that announces everything committed until it is sent
				Mono.delay(Duration.ofNanos(Math.max(0, MIN_INTERVAL.toNanos() - waited))).subscribe((tick) -> {
					this.trailingScheduled.set(false);
					this.lastSent.set(System.nanoTime());
					send();
				});
			}
		}

		private void send() {
			QueueNotifier.this.database.sql("select pg_notify(:channel, '')")
				.bind("channel", this.name)
				.then()
				.subscribe(null,
						(ex) -> logger.debug("NOTIFY " + this.name + " failed; polling will pick the work up", ex));
		}

	}

}
