package io.hookway.portal.dashboard.eventtypes;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.portal.dashboard.DashboardPage;
import io.hookway.portal.dashboard.PrettyJson;
import io.hookway.portal.eventtype.EventTypeController;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

/** The event-type catalog with each type's schema, as {@code GET /v1/event-types}. */
@Controller
@DashboardPage
class EventTypePages {

	private final EventTypeController eventTypes;

	private final PrettyJson pretty;

	EventTypePages(EventTypeController eventTypes, PrettyJson pretty) {
		this.eventTypes = eventTypes;
		this.pretty = pretty;
	}

	@GetMapping("/dashboard/event-types")
	Mono<Rendering> list(@RequestParam(required = false) @Nullable String cursor) {
		return this.eventTypes.list("100", cursor)
			.map((page) -> Rendering.view("dashboard/event-types/list")
				.modelAttribute("section", "event-types")
				.modelAttribute("eventTypes", page.data())
				.modelAttribute("nextCursor", (page.nextCursor() != null) ? page.nextCursor() : "")
				.modelAttribute("pretty", this.pretty)
				.build());
	}

}
