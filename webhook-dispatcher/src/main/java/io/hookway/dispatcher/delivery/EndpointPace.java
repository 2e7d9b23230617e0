package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;
import io.hookway.dispatcher.queue.NotYet;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Endpoints' rate limits, for all dispatchers together: before a delivery to an endpoint
 * with a limit is sent, it reserves a turn in PostgreSQL (migration V10's
 * {@code endpoint_pace}). Turns are one over the limit seconds apart, so deliveries start
 * evenly spaced whichever dispatcher sends them; the asks of many endpoints that wait for
 * a free writer go together as one upsert. A delivery waits for its turn here, in its
 * slot, as long as its attempt would still end within three quarters of its lease (and at
 * most {@link #MAX_WAIT}); with no turn free that soon it is put off ({@link NotYet})
 * until shortly before its turn would come, its attempt not counted. Endpoints without a
 * limit never come here.
 */
final class EndpointPace {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDeliverer.class);

	/**
	 * Each endpoint's asks take the turns from its next free one (the last reservation's
	 * first turn plus its turns, or now if that has passed) that fall within the horizon,
	 * at most as many as asked. Rows go in endpoint order, the same in every dispatcher,
	 * so two statements never wait for each other's rows crosswise.
	 */
	private static final String RESERVE = """
			with asked as (
			    select * from unnest(cast(:endpoints as uuid[]), cast(:turns as integer[]),
			                         cast(:perSecond as integer[]), cast(:horizons as double precision[]))
			        as a(endpoint_id, turns, per_second, horizon)
			)
			insert into endpoint_pace as p (endpoint_id, first_at, granted, per_second)
			select endpoint_id, now(), least(turns, 1 + floor(per_second * horizon)::int), per_second
			from asked order by endpoint_id
			on conflict (endpoint_id) do update
			set (first_at, granted, per_second) = (
			    select n.at, greatest(0, least(a.turns,
			               1 + floor(a.per_second * (a.horizon - extract(epoch from n.at - now())))::int)),
			           a.per_second
			    from asked a
			    cross join (select greatest(p.first_at + p.granted * interval '1 second' / p.per_second, now()) as at) n
			    where a.endpoint_id = excluded.endpoint_id)
			returning endpoint_id, granted, per_second, extract(epoch from first_at - now())::float8 as first_in""";

	/**
	 * Longest wait for a turn: a dispatcher that stops loses the turns it reserved, and
	 * no other gets them for that long.
	 */
	private static final Duration MAX_WAIT = Duration.ofSeconds(10);

	/** How long a delivery is put off when its turn could not be reserved. */
	private static final Duration RETRY = Duration.ofSeconds(1);

	private final DatabaseClient database;

	/** How long after its claim an attempt may start and still end in time. */
	private final Duration lastStart;

	/** How long a delivery claimed afresh may wait for its turn. */
	private final Duration freshWait;

	private final GroupedWriter<Ask, Turn> writer;

	EndpointPace(DatabaseClient database, Duration lease, Duration timeout) {
		this.database = database;
		this.lastStart = lease.multipliedBy(3).dividedBy(4).minus(timeout);
		this.freshWait = (this.lastStart.compareTo(MAX_WAIT) < 0) ? this.lastStart : MAX_WAIT;
		this.writer = new GroupedWriter<>(256, 2, Integer.MAX_VALUE, this::reserve);
	}

	/**
	 * Completes when the delivery's turn has come; fails with {@link NotYet} when no turn
	 * is free within the time it can wait.
	 */
	Mono<Void> turn(ClaimedDelivery delivery, int perSecond) {
		Duration canWait = this.lastStart.minus(delivery.lease().age());
		Ask ask = new Ask(delivery.endpointId(), perSecond,
				canWait.isNegative() ? Duration.ZERO : (canWait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : canWait);
		return this.writer.submit(ask)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("no turn was answered")))
			.onErrorMap((ex) -> {
				logger.debug("Could not reserve a turn of a rate-limited endpoint; the delivery is put off: {}",
						ex.toString());
				return new NotYet(RETRY);
			})
			.flatMap((turn) -> turn.granted() ? Mono.delay(turn.in()).then() : Mono.error(new NotYet(putOff(turn))));
	}

	/**
	 * Until the turn, were those before it all taken, is near enough for a delivery
	 * claimed again to wait for; at the soonest one turn on.
	 */
	private Duration putOff(Turn turn) {
		Duration spacing = Duration.ofNanos(1_000_000_000L / turn.perSecond());
		Duration until = turn.in().minus(this.freshWait);
		return (until.compareTo(spacing) > 0) ? until : spacing;
	}

	private Mono<Map<Ask, Turn>> reserve(List<Ask> asks) {
		// an upsert may not update a row twice: one endpoint's asks share its row
		Map<UUID, List<Ask>> byEndpoint = new TreeMap<>();
		for (Ask ask : asks) {
			byEndpoint.computeIfAbsent(ask.endpointId, (endpoint) -> new ArrayList<>(1)).add(ask);
		}
		int size = byEndpoint.size();
		UUID[] endpoints = new UUID[size];
		Integer[] turns = new Integer[size];
		Integer[] perSecond = new Integer[size];
		Double[] horizons = new Double[size];
		int i = 0;
		for (Map.Entry<UUID, List<Ask>> endpoint : byEndpoint.entrySet()) {
			List<Ask> its = endpoint.getValue();
			endpoints[i] = endpoint.getKey();
			turns[i] = its.size();
			perSecond[i] = its.get(its.size() - 1).perSecond;
			// every turn taken must suit every ask that may get it
			horizons[i] = its.stream().mapToLong((ask) -> ask.canWait.toNanos()).min().orElse(0) / 1e9;
			i++;
		}
		return this.database.sql(RESERVE)
			.bind("endpoints", endpoints)
			.bind("turns", turns)
			.bind("perSecond", perSecond)
			.bind("horizons", horizons)
			.map((row, metadata) -> Map.entry(row.get("endpoint_id", UUID.class),
					new Reserved(row.get("granted", Integer.class), row.get("per_second", Integer.class),
							row.get("first_in", Double.class))))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.map((reserved) -> {
				Map<Ask, Turn> answers = new HashMap<>(asks.size() * 2);
				byEndpoint.forEach((endpoint, its) -> {
					Reserved reservation = reserved.get(endpoint);
					for (int k = 0; k < its.size() && reservation != null; k++) {
						answers.put(its.get(k), reservation.turn(k));
					}
				});
				return answers;
			});
	}

	/**
	 * What one upsert took for an endpoint: {@code granted} turns, the first
	 * {@code firstIn} seconds from now.
	 */
	private record Reserved(int granted, int perSecond, double firstIn) {

		/**
		 * The k-th ask's turn: its own if granted, else the one it would have next, were
		 * those before it all taken.
		 */
		Turn turn(int k) {
			double seconds = Math.max(0, this.firstIn + (double) k / this.perSecond);
			return new Turn(k < this.granted, Duration.ofNanos((long) (seconds * 1e9)), this.perSecond);
		}

	}

	/** A turn, {@code in} from now; the delivery's if granted. */
	private record Turn(boolean granted, Duration in, int perSecond) {

	}

	/**
	 * One delivery's ask; equal only to itself, as asks for one endpoint wait together.
	 */
	private static final class Ask {

		final UUID endpointId;

		final int perSecond;

		final Duration canWait;

		Ask(UUID endpointId, int perSecond, Duration canWait) {
			this.endpointId = endpointId;
			this.perSecond = perSecond;
			this.canWait = canWait;
		}

	}

}
