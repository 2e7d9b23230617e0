package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.Lease;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The delivery queue's statements: claiming due deliveries with what sending them takes,
 * and handing deliveries back.
 */
final class DeliveryClaims {

	/**
	 * Payloads carry task results, up to the response limit each: a claim stops before
	 * the payload bytes it would hold pass what the worker has room for.
	 */
	private static final String CLAIM = """
			with due as (
			    select id, message_id, next_attempt_at from webhook_deliveries
			    where status = 'PENDING' and next_attempt_at <= now() and endpoint_id <> all(:busy)
			    order by next_attempt_at
			    limit :limit
			    for update skip locked
			), sized as (
			    select due.id,
			           ((row_number() over w = 1 and :atLeastOne) or sum(octet_length(m.payload)) over w <= :bytes)
			               as fits
			    from due join webhook_messages m on m.id = due.message_id
			    window w as (order by due.next_attempt_at, due.id)
			), claimed as (
			    update webhook_deliveries d
			    set attempt_count = d.attempt_count + 1, next_attempt_at = now() + make_interval(secs => :lease),
			        locked_by = :worker, lease_id = :leaseId, updated_at = now()
			    from sized where d.id = sized.id and sized.fits
			    returning d.id, d.message_id, d.endpoint_id, d.attempt_count
			)
			select c.id, c.message_id, c.endpoint_id, c.attempt_count, m.payload, e.url,
			       m.trace_parent, e.enabled and e.deleted_at is null as active,
			       e.failing_since is not null as failing, e.secret_encrypted,
			       case when e.previous_secret_expires_at > now() then e.previous_secret_encrypted end as previous_secret,
			       exists (select 1 from sized where not sized.fits) as cut
			from claimed c
			join webhook_messages m on m.id = c.message_id
			join webhook_endpoints e on e.id = c.endpoint_id""";

	/** Due again after each delay, the attempt not counted. */
	private static final String HAND_BACK = """
			update webhook_deliveries d
			set next_attempt_at = now() + make_interval(secs => h.delay), attempt_count = d.attempt_count - 1,
			    locked_by = null, lease_id = null, updated_at = now()
			from unnest(:ids, :leases, :delays) as h(id, lease_id, delay)
			where d.id = h.id and d.lease_id = h.lease_id""";

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private final SecretCipher cipher;

	DeliveryClaims(DatabaseClient database, DispatcherSettings settings, SecretCipher cipher) {
		this.database = database;
		this.settings = settings;
		this.cipher = cipher;
	}

	/** Claims due deliveries, leaving out those to the endpoints given. */
	Mono<Claimed<ClaimedDelivery>> claim(Claim claim, Set<Object> busyEndpoints) {
		AtomicBoolean cut = new AtomicBoolean();
		return this.database.sql(CLAIM)
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
				return claimed(row, claim.lease());
			})
			.all()
			.collectList()
			.map((deliveries) -> new Claimed<>(deliveries, cut.get()));
	}

	Mono<Void> handBack(List<ClaimedDelivery> deliveries, List<Duration> delays) {
		int size = deliveries.size();
		UUID[] ids = new UUID[size];
		UUID[] leases = new UUID[size];
		Double[] seconds = new Double[size];
		for (int i = 0; i < size; i++) {
			ids[i] = deliveries.get(i).id();
			leases[i] = deliveries.get(i).lease().id();
			seconds[i] = delays.get(i).toMillis() / 1000.0;
		}
		return this.database.sql(HAND_BACK).bind("ids", ids).bind("leases", leases).bind("delays", seconds).then();
	}

	private ClaimedDelivery claimed(Readable row, Lease lease) {
		List<WebhookSecret> secrets = new ArrayList<>();
		secrets.add(secret(row.get("secret_encrypted", byte[].class)));
		byte[] previous = row.get("previous_secret", byte[].class);
		if (previous != null) {
			secrets.add(secret(previous));
		}
		return new ClaimedDelivery(row.get("id", UUID.class), row.get("message_id", UUID.class),
				row.get("endpoint_id", UUID.class), row.get("attempt_count", Integer.class),
				row.get("payload", String.class), row.get("url", String.class),
				Boolean.TRUE.equals(row.get("active", Boolean.class)),
				Boolean.TRUE.equals(row.get("failing", Boolean.class)), secrets, row.get("trace_parent", String.class),
				lease);
	}

	private WebhookSecret secret(byte @Nullable [] sealed) {
		if (sealed == null) {
			throw new IllegalStateException("An endpoint has no secret");
		}
		return WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed));
	}

}
