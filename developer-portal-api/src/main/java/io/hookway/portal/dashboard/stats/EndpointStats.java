package io.hookway.portal.dashboard.stats;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * An endpoint's success rate and latency over the last 24 hours, hour by hour, from its
 * delivery attempts: one query, scoped to the application like every other.
 */
@Component
public class EndpointStats {

	private final DatabaseClient database;

	EndpointStats(DatabaseClient database) {
		this.database = database;
	}

	/** The chart of the endpoint; empty hours included, so that gaps show as gaps. */
	public Mono<HourlyChart> lastDay(UUID applicationId, String endpointId) {
		UUID endpoint = IdKind.ENDPOINT.parse(endpointId).orElse(null);
		Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
		Instant start = end.minus(24, ChronoUnit.HOURS);
		if (endpoint == null) {
			return Mono.just(HourlyChart.of(start, Map.of()));
		}
		return this.database.sql("""
				select date_trunc('hour', a.attempted_at) as hour, count(*) as attempts,
				       count(*) filter (where a.status_code between 200 and 299) as succeeded,
				       percentile_disc(0.5) within group (order by a.duration_ms) as median_ms,
				       percentile_disc(0.95) within group (order by a.duration_ms) as p95_ms
				from delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
				where d.endpoint_id = :endpointId and d.application_id = :applicationId
				  and a.attempted_at >= :start and a.attempted_at < :end
				group by 1""")
			.bind("endpointId", endpoint)
			.bind("applicationId", applicationId)
			.bind("start", start)
			.bind("end", end)
			.map((row, metadata) -> new HourlyChart.Hour(row.get("hour", Instant.class),
					number(row.get("attempts", Number.class)), number(row.get("succeeded", Number.class)),
					number(row.get("median_ms", Number.class)), number(row.get("p95_ms", Number.class))))
			.all()
			.collectMap(HourlyChart.Hour::start, (hour) -> hour, HashMap::new)
			.map((hours) -> HourlyChart.of(start, hours));
	}

	private static long number(Number value) {
		return (value != null) ? value.longValue() : 0;
	}

}
