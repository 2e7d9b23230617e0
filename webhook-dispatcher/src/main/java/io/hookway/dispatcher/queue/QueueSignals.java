package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wakes the queue workers when new work is committed, through PostgreSQL LISTEN/NOTIFY on
 * one dedicated connection. Notifications are hints: polling still runs as a safety net,
 * and after a lost connection the listener reconnects, listens again and wakes every
 * worker once, in case a notification fell into the gap.
 */
@Component
public class QueueSignals implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(QueueSignals.class);

	private final ConnectionFactory connectionFactory;

	private final Map<String, Consumer<String>> listeners = new ConcurrentHashMap<>();

	private volatile @Nullable Disposable listening;

	QueueSignals(ConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Calls {@code onSignal} for every notification on the channel, and after each
	 * reconnect.
	 */
	public void onSignal(String channel, Runnable onSignal) {
		this.listeners.put(channel, (name) -> onSignal.run());
	}

	@Override
	public void start() {
		this.listening = Mono.usingWhen(Mono.from(this.connectionFactory.create()), this::listen, Connection::close)
			.doOnError((ex) -> logger.warn("Lost the LISTEN connection; reconnecting: " + ex))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
			.subscribe();
	}

	private Mono<Void> listen(Connection connection) {
		PostgresqlConnection postgres = unwrap(connection);
		String statements = String.join("; ", this.listeners.keySet().stream().map((c) -> "LISTEN " + c).toList());
		return Flux.from(postgres.createStatement(statements).execute())
			.flatMap((result) -> result.getRowsUpdated())
			.then(Mono.fromRunnable(this::wakeAll))
			.thenMany(postgres.getNotifications())
			.doOnNext((notification) -> {
				Consumer<String> listener = this.listeners.get(notification.getName());
				if (listener != null) {
					listener.accept(notification.getName());
				}
			})
			.then(Mono.error(new IllegalStateException("notification stream ended")));
	}

	private void wakeAll() {
		this.listeners.forEach((channel, listener) -> listener.accept(channel));
	}

	private static PostgresqlConnection unwrap(Connection connection) {
		Object current = connection;
		while (!(current instanceof PostgresqlConnection) && current instanceof Wrapped<?> wrapped) {
			current = wrapped.unwrap();
		}
		if (current instanceof PostgresqlConnection postgres) {
			return postgres;
		}
		throw new IllegalStateException("LISTEN needs a PostgreSQL connection, got " + connection.getClass());
	}

	@Override
	public void stop() {
		Disposable current = this.listening;
		if (current != null) {
			current.dispose();
		}
		this.listening = null;
	}

	@Override
	public boolean isRunning() {
		return this.listening != null;
	}

}
