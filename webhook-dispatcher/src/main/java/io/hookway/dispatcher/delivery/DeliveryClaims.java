package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;

import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.HandBacks;
import io.hookway.dispatcher.queue.Lanes;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The delivery queue's statements: claiming due deliveries with what sending them takes,
 * and handing deliveries back.
 */
final class DeliveryClaims {

	/**
	 * A round over the lanes (application, endpoint) that hold ready rows, from the
	 * claim's start (past the application served last): applications after the start,
	 * then from the first up to it, at most {@code :maxApps}; per application at most
	 * {@code :perApp} endpoints that are not busy here, again from the start; each found
	 * by one index probe (a loose index scan), never by reading the rows of a lane. Each
	 * application gets an equal share of the claim, split over its lanes, and each lane
	 * gives its oldest rows that are not locked. Payloads carry task results, up to the
	 * response limit each: the claim stops before the payload bytes it would hold pass
	 * what the worker has room for.
	 */
	private static final String CLAIM = """
			with recursive apps as (
			    (select application_id from webhook_deliveries
			     where status = 'PENDING' and ready and application_id > :start
			     order by application_id limit 1)
			  union all
			    select (select d.application_id from webhook_deliveries d
			            where d.status = 'PENDING' and d.ready and d.application_id > apps.application_id
			            order by d.application_id limit 1)
			    from apps where apps.application_id is not null
			), head as (
			    (select application_id from webhook_deliveries
			     where status = 'PENDING' and ready order by application_id limit 1)
			  union all
			    select (select d.application_id from webhook_deliveries d
			            where d.status = 'PENDING' and d.ready and d.application_id > head.application_id
			              and d.application_id <= :start
			            order by d.application_id limit 1)
			    from head where head.application_id is not null
			), chosen_apps as (
			    select application_id from (
			        select application_id from apps where application_id is not null
			        union all
			        select application_id from head where application_id is not null and application_id <= :start
			        limit :maxApps) a
			), lanes as materialized (
			    select a.application_id, l.endpoint_id
			    from chosen_apps a
			    cross join lateral (
			        with recursive eps as (
			            (select coalesce(
			                (select endpoint_id from webhook_deliveries
			                 where status = 'PENDING' and ready and application_id = a.application_id
			                   and endpoint_id > :start
			                 order by endpoint_id limit 1),
			                (select endpoint_id from webhook_deliveries
			                 where status = 'PENDING' and ready and application_id = a.application_id
			                 order by endpoint_id limit 1)) as endpoint_id)
			          union all
			            select (select d.endpoint_id from webhook_deliveries d
			                    where d.status = 'PENDING' and d.ready and d.application_id = a.application_id
			                      and d.endpoint_id > eps.endpoint_id
			                    order by d.endpoint_id limit 1)
			            from eps where eps.endpoint_id is not null
			        )
			        select endpoint_id from eps
			        where endpoint_id is not null and endpoint_id <> all(:busy)
			        limit :perApp
			    ) l
			    limit :maxLanes
			), quota as (
			    select l.application_id, l.endpoint_id,
			           least(coalesce(r.room, :perLane), greatest(1, ceil(:limit::numeric
			               / (select count(distinct application_id) from lanes)
			               / count(*) over (partition by l.application_id))))::int as q
			    from lanes l
			    left join unnest(:roomIds, :rooms) as r(endpoint_id, room) on r.endpoint_id = l.endpoint_id
			), picked as (
			    select d.id, d.message_id, d.next_attempt_at
			    from quota cross join lateral (
			        select id, message_id, next_attempt_at from webhook_deliveries d
			        where d.status = 'PENDING' and d.ready and d.application_id = quota.application_id
			          and d.endpoint_id = quota.endpoint_id and d.next_attempt_at <= now()
			        order by d.next_attempt_at limit quota.q
			        for update skip locked
			    ) d
			    limit :limit
			), sized as (
			    select picked.id,
			           ((row_number() over w = 1 and :atLeastOne) or sum(octet_length(m.payload)) over w <= :bytes)
			               as fits
			    from picked join webhook_messages m on m.id = picked.message_id
			    window w as (order by picked.next_attempt_at, picked.id)
			), claimed as (
			    update webhook_deliveries d
			    set attempt_count = d.attempt_count + 1, next_attempt_at = now() + make_interval(secs => :lease),
			        ready = false, locked_by = :worker, lease_id = :leaseId, updated_at = now()
			    from sized where d.id = sized.id and sized.fits
			    returning d.id, d.message_id, d.endpoint_id, d.application_id, d.attempt_count
			)
			select c.id, c.message_id, c.endpoint_id, c.application_id, c.attempt_count, m.event_type, m.payload,
			       m.trace_parent, %s,
			       exists (select 1 from sized where not sized.fits) as cut
			from claimed c
			join webhook_messages m on m.id = c.message_id
			join webhook_endpoints e on e.id = c.endpoint_id""".formatted(DeliveryRows.ENDPOINT_COLUMNS);

	/**
	 * Waiting rows whose time has come (retries, leases that ran out) become ready, a
	 * batch at a time.
	 */
	private static final String PROMOTE = """
			with due as (
			    select id from webhook_deliveries
			    where status = 'PENDING' and not ready and next_attempt_at <= now()
			    order by next_attempt_at limit :limit
			    for update skip locked
			)
			update webhook_deliveries d set ready = true from due where d.id = due.id""";

	/** What sending deliveries held under a lease takes, as the claim reads it. */
	private static final String LEASED = """
			select d.id, d.message_id, d.endpoint_id, d.application_id, d.attempt_count, m.event_type, m.payload,
			       m.trace_parent, %s
			from webhook_deliveries d
			join webhook_messages m on m.id = d.message_id
			join webhook_endpoints e on e.id = d.endpoint_id
			where d.id = any(:ids) and d.lease_id = :leaseId""".formatted(DeliveryRows.ENDPOINT_COLUMNS);

	/** Due again after each delay, the attempt not counted. */
	private static final String HAND_BACK = """
			update webhook_deliveries d
			set next_attempt_at = now() + make_interval(secs => h.delay), ready = h.delay <= 0,
			    attempt_count = d.attempt_count - 1, locked_by = null, lease_id = null, updated_at = now()
			from unnest(:ids, :leases, :delays) as h(id, lease_id, delay)
			where d.id = h.id and d.lease_id = h.lease_id""";

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private final DeliveryRows rows;

	DeliveryClaims(DatabaseClient database, DispatcherSettings settings, DeliveryRows rows) {
		this.database = database;
		this.settings = settings;
		this.rows = rows;
	}

	/**
	 * Claims ready deliveries fairly across applications and endpoints, leaving out those
	 * to the endpoints given.
	 * @param rooms rows that endpoints with work here can still take (free slots and room
	 * in their line)
	 * @param perLane most rows of any other endpoint: what it can run and line up here
	 */
	Mono<Claimed<ClaimedDelivery>> claim(Claim claim, Set<Object> busyEndpoints, Map<Object, Integer> rooms,
			int perLane) {
		AtomicBoolean cut = new AtomicBoolean();
		UUID[] roomIds = rooms.keySet().toArray(UUID[]::new);
		Integer[] room = Arrays.stream(roomIds).map(rooms::get).toArray(Integer[]::new);
		return this.database.sql(CLAIM)
			.bind("start", claim.start())
			.bind("maxApps", Lanes.MAX_APPLICATIONS)
			.bind("perApp", Lanes.PER_APPLICATION)
			.bind("maxLanes", Lanes.MAX_LANES)
			.bind("perLane", perLane)
			.bind("roomIds", roomIds)
			.bind("rooms", room)
			.bind("limit", claim.rows())
			.bind("atLeastOne", claim.atLeastOne())
			.bind("bytes", claim.bytes())
			.bind("busy", busyEndpoints.toArray(UUID[]::new))
			.bind("lease", this.settings.leaseSeconds())
			.bind("worker", this.settings.workerId())
			.bind("leaseId", claim.lease().id())
			.map((row, metadata) -> {
				if (Boolean.TRUE.equals(row.get("cut", Boolean.class))) {
					cut.set(true);
				}
				return this.rows.read(row, claim.lease());
			})
			.all()
			.collectList()
			.map((deliveries) -> new Claimed<>(deliveries, cut.get()));
	}

	/** Reads deliveries inserted under a lease of this process, for sending. */
	Mono<List<ClaimedDelivery>> leased(LeasedDeliveries deliveries) {
		return this.database.sql(LEASED)
			.bind("ids", deliveries.ids().toArray(UUID[]::new))
			.bind("leaseId", deliveries.lease().id())
			.map((row, metadata) -> this.rows.read(row, deliveries.lease()))
			.all()
			.collectList();
	}

	/** Makes due waiting rows ready; emits how many. */
	Mono<Long> promote(int limit) {
		return this.database.sql(PROMOTE).bind("limit", limit).fetch().rowsUpdated();
	}

	Mono<Void> handBack(List<ClaimedDelivery> deliveries, List<Duration> delays) {
		return HandBacks.columns(deliveries, delays).bindTo(this.database.sql(HAND_BACK)).then();
	}

}
