/**
 * {@code POST /internal/v1/events} (API.md §9): internal services publish their domain
 * events to an application's endpoints through the same outbox as task outcomes.
 */
@NullMarked
package io.hookway.gateway.event;

import org.jspecify.annotations.NullMarked;
