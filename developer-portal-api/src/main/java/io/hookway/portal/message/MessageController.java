package io.hookway.portal.message;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.portal.PortalSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application's messages (API.md §9): what was published to it, newest first, and
 * where each one went. A message is shown from the envelope that was signed and sent, so
 * its {@code timestamp} and {@code data} are exactly what receivers got. Every query
 * names the caller's application.
 */
@RestController
@Tag(name = "messages")
public class MessageController {

	/** An event type, a prefix wildcard ({@code invoice.*}) or {@code *}. */
	private static final Pattern TYPE = Pattern.compile("\\*|[a-z0-9_-]+(\\.[a-z0-9_-]+)*(\\.\\*)?");

	private static final int MAX_TYPE_LENGTH = 128;

	/** Before every stored message: the lower bound when there is no {@code after}. */
	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	/**
	 * Read from the signed text as {@code json}, not {@code jsonb}, which would rewrite
	 * numbers, spacing and key order: {@code data} is shown exactly as it was sent.
	 */
	private static final String ENVELOPE = "payload::json ->> 'timestamp' as timestamp, "
			+ "(payload::json -> 'data')::text as data";

	private final DatabaseClient database;

	private final PortalSettings settings;

	MessageController(DatabaseClient database, PortalSettings settings) {
		this.database = database;
		this.settings = settings;
	}

	/**
	 * Messages created strictly between {@code after} and {@code before}, of one type or
	 * a prefix wildcard (the rule subscriptions follow, {@code hookway_subscribed}).
	 * Payloads can be large: a page stops before its payload bytes pass
	 * {@code hookway.portal.limits.message-page-bytes}, always showing one message.
	 */
	@Operation(operationId = "listMessages", summary = "List the application's messages, newest first")
	@GetMapping("/v1/messages")
	public Mono<Page<MessageView>> list(@AuthenticationPrincipal Jwt jwt,
			@Parameter(description = "An event type, a prefix wildcard such as invoice.* or *.",
					schema = @Schema(maxLength = MAX_TYPE_LENGTH,
							pattern = "^(\\*|[a-z0-9_-]+(\\.[a-z0-9_-]+)*(\\.\\*)?)$")) @RequestParam(
									required = false) @Nullable String type,
			@Parameter(schema = @Schema(format = "date-time")) @RequestParam(required = false) @Nullable String after,
			@Parameter(schema = @Schema(format = "date-time")) @RequestParam(required = false) @Nullable String before,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		if (type != null && (type.length() > MAX_TYPE_LENGTH || !TYPE.matcher(type).matches())) {
			throw ApiProblem.badParameter("type",
					"type must be an event type such as invoice.paid, a prefix wildcard such as invoice.* or *.");
		}
		Instant from = (after != null) ? time("after", after) : EARLIEST;
		Instant to = (before != null) ? time("before", before) : Page.Position.START.createdAt();
		if (from.isAfter(to)) {
			throw ApiProblem.badParameter("before", "before must not be earlier than after.");
		}
		UUID applicationId = Caller.of(jwt).requireApplication();
		int size = Page.limit(limit);
		Page.Position position = Page.after(cursor);
		return this.database.sql("""
				with page as (
				    select id, created_at, octet_length(payload) as size
				    from webhook_messages
				    where application_id = :applicationId and (created_at, id) < (:createdAt, :id)
				      and created_at > :after and created_at < :before
				      and hookway_subscribed(array[cast(:type as text)], event_type)
				    order by created_at desc, id desc
				    limit :limit
				), sized as (
				    select id, (row_number() over w = 1 or sum(size) over w <= :bytes) as fits
				    from page
				    window w as (order by created_at desc, id desc)
				)
				select m.id, m.event_type, m.created_at, s.fits,
				       case when s.fits then m.payload::json ->> 'timestamp' end as timestamp,
				       case when s.fits then (m.payload::json -> 'data')::text end as data
				from sized s join webhook_messages m on m.id = s.id
				order by m.created_at desc, m.id desc""")
			.bind("applicationId", applicationId)
			.bind("createdAt", position.createdAt())
			.bind("id", position.id())
			.bind("after", from)
			.bind("before", to)
			.bind("type", (type != null) ? type : "*")
			.bind("limit", size + 1)
			.bind("bytes", this.settings.limits().messagePageBytes().toBytes())
			.map((row, metadata) -> {
				boolean fits = Boolean.TRUE.equals(row.get("fits", Boolean.class));
				return new Positioned(fits ? view(row) : null, fits,
						new Page.Position(row.get("created_at", Instant.class), row.get("id", UUID.class)));
			})
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, size, Positioned::fits, Positioned::position, Positioned::view));
	}

	@Operation(operationId = "getMessage", summary = "Get a message with its deliveries")
	@GetMapping("/v1/messages/{messageId}")
	public Mono<MessageDetail> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String messageId) {
		UUID id = IdKind.MESSAGE.parse(messageId).orElseThrow(() -> notFound(messageId));
		UUID applicationId = Caller.of(jwt).requireApplication();
		Mono<List<DeliveryState>> deliveries = this.database
			.sql("select id, endpoint_id, status from webhook_deliveries "
					+ "where message_id = :id and application_id = :applicationId order by created_at, id")
			.bind("id", id)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> new DeliveryState(IdKind.DELIVERY.format(row.get("id", UUID.class)),
					IdKind.ENDPOINT.format(row.get("endpoint_id", UUID.class)), row.get("status", String.class)))
			.all()
			.collectList();
		return this.database
			.sql("select id, event_type, " + ENVELOPE
					+ " from webhook_messages where id = :id and application_id = :applicationId")
			.bind("id", id)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> view(row))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(messageId)))
			.flatMap((message) -> deliveries.map((states) -> new MessageDetail(message, states)));
	}

	private static Instant time(String parameter, String value) {
		return Rfc3339.parse(value)
			.orElseThrow(() -> ApiProblem.badParameter(parameter, parameter + " " + Rfc3339.EXPECTED + "."));
	}

	private static MessageView view(Readable row) {
		return new MessageView(IdKind.MESSAGE.format(row.get("id", UUID.class)), row.get("event_type", String.class),
				row.get("timestamp", String.class), row.get("data", String.class));
	}

	private static ApiProblem notFound(String messageId) {
		return ApiProblem.notFound("There is no message " + messageId + ".");
	}

	/** A message as its receivers got it; {@code data} is the signed JSON, verbatim. */
	public record MessageView(String id, String type, @Nullable String timestamp, @JsonRawValue @Nullable String data) {
	}

	public record MessageDetail(@JsonUnwrapped MessageView message, List<DeliveryState> deliveries) {
	}

	public record DeliveryState(String id, String endpointId, String status) {
	}

	private record Positioned(@Nullable MessageView view, boolean fits, Page.Position position) {
	}

}
