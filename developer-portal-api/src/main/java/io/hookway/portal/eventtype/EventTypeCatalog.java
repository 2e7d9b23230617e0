package io.hookway.portal.eventtype;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The event-type catalog in {@code event_types}: the deployment's, not an application's.
 * Listed by name, so that a page's cursor is the last name shown.
 */
@Component
class EventTypeCatalog {

	private static final String COLUMNS = "name, description, schema::text as schema, deprecated, platform, created_at";

	private final DatabaseClient database;

	EventTypeCatalog(DatabaseClient database) {
		this.database = database;
	}

	/** The new type; empty when the name is taken. */
	Mono<EventTypeView> create(String name, String description, @Nullable String schema, boolean deprecated) {
		DatabaseClient.GenericExecuteSpec insert = this.database
			.sql("insert into event_types (name, description, schema, deprecated) "
					+ "values (:name, :description, :schema::jsonb, :deprecated) on conflict (name) do nothing "
					+ "returning " + COLUMNS)
			.bind("name", name)
			.bind("description", description)
			.bind("deprecated", deprecated);
		insert = (schema != null) ? insert.bind("schema", schema) : insert.bindNull("schema", String.class);
		return insert.map(EventTypeCatalog::view).one();
	}

	Mono<Page<EventTypeView>> page(@Nullable String limit, @Nullable String cursor) {
		int size = Page.limit(limit);
		return this.database
			.sql("select " + COLUMNS + " from event_types where name > :after order by name limit :limit")
			.bind("after", after(cursor))
			.bind("limit", size + 1)
			.map(EventTypeCatalog::view)
			.all()
			.collectList()
			.map((rows) -> {
				List<EventTypeView> shown = rows.subList(0, Math.min(size, rows.size()));
				String next = (rows.size() > size) ? encode(shown.get(shown.size() - 1).name()) : null;
				return new Page<>(List.copyOf(shown), next);
			});
	}

	Mono<EventTypeView> find(String name) {
		return this.database.sql("select " + COLUMNS + " from event_types where name = :name")
			.bind("name", name)
			.map(EventTypeCatalog::view)
			.one();
	}

	/**
	 * Changes what is given of a type the operator created; the platform's own are left
	 * as they are (empty).
	 * @param schema the new schema, when {@code setSchema}; null removes it
	 */
	Mono<EventTypeView> update(String name, @Nullable String description, boolean setSchema, @Nullable String schema,
			@Nullable Boolean deprecated) {
		DatabaseClient.GenericExecuteSpec update = this.database.sql("""
				update event_types
				set description = coalesce(:description, description),
				    schema = case when :setSchema then :schema::jsonb else schema end,
				    deprecated = coalesce(:deprecated, deprecated), updated_at = now()
				where name = :name and not platform
				""" + "returning " + COLUMNS).bind("name", name).bind("setSchema", setSchema);
		update = (description != null) ? update.bind("description", description)
				: update.bindNull("description", String.class);
		update = (schema != null) ? update.bind("schema", schema) : update.bindNull("schema", String.class);
		update = (deprecated != null) ? update.bind("deprecated", deprecated)
				: update.bindNull("deprecated", Boolean.class);
		return update.map(EventTypeCatalog::view).one();
	}

	/** The name after which the page starts: before every name without a cursor. */
	private static String after(@Nullable String cursor) {
		if (cursor == null || cursor.isEmpty()) {
			return "";
		}
		try {
			String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			// only the exact text this API wrote: the decoder accepts other spellings
			if (EventTypeNames.wellFormed(name) && encode(name).equals(cursor)) {
				return name;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: refused below
		}
		throw ApiProblem.badRequest("cursor is not a cursor this API returned.");
	}

	private static String encode(String name) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
	}

	private static EventTypeView view(Readable row) {
		return new EventTypeView(row.get("name", String.class), row.get("description", String.class),
				row.get("schema", String.class), Boolean.TRUE.equals(row.get("deprecated", Boolean.class)),
				Boolean.TRUE.equals(row.get("platform", Boolean.class)), row.get("created_at", Instant.class));
	}

}
