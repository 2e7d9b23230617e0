package io.hookway.portal.eventtype;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ApiProblem.FieldError;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * What an endpoint may subscribe to (API.md §5, §9): a type of the catalog that is not
 * deprecated, a prefix wildcard such as {@code invoice.*} that takes at least one such
 * type, or {@code *}. Matching is the fan-out's own rule, the SQL function
 * {@code hookway_subscribed}, so that what is accepted here is what receives events.
 */
@Component
public class Subscriptions {

	private final DatabaseClient database;

	Subscriptions(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * The subscriptions without repeats, or a 422 problem naming each refused one as
	 * {@code eventTypes[i]}.
	 */
	public Mono<List<String>> check(List<String> requested) {
		if (requested.isEmpty()) {
			return Mono.error(ApiProblem.invalid("eventTypes", "must name at least one event type"));
		}
		return this.database
			.sql("""
					select s.position, s.subscription,
					    exists (select 1 from event_types t where hookway_subscribed(array[s.subscription], t.name)) as known,
					    exists (select 1 from event_types t where hookway_subscribed(array[s.subscription], t.name)
					            and not t.deprecated) as live
					from unnest(:subscriptions::text[]) with ordinality as s (subscription, position)
					order by s.position""")
			.bind("subscriptions", requested.toArray(String[]::new))
			.map((row) -> refusal(row.get("subscription", String.class),
					Boolean.TRUE.equals(row.get("known", Boolean.class)),
					Boolean.TRUE.equals(row.get("live", Boolean.class))))
			.all()
			.collectList()
			.flatMap((refusals) -> {
				List<FieldError> errors = new ArrayList<>();
				for (int i = 0; i < refusals.size(); i++) {
					if (!refusals.get(i).isEmpty()) {
						errors.add(new FieldError("eventTypes[" + i + "]", refusals.get(i)));
					}
				}
				return errors.isEmpty() ? Mono.just(List.copyOf(new LinkedHashSet<>(requested)))
						: Mono.error(ApiProblem.invalid(errors));
			});
	}

	/** Why a subscription is refused; empty when it is not. */
	private static String refusal(String subscription, boolean known, boolean live) {
		boolean wildcard = subscription.equals("*") || subscription.endsWith(".*");
		if (!known) {
			return wildcard ? "matches no event type" : "is not an event type of the catalog (see GET /v1/event-types)";
		}
		if (!live) {
			return wildcard ? "matches only deprecated event types" : "is deprecated";
		}
		return "";
	}

}
