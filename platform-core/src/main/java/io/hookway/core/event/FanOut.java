package io.hookway.core.event;

/**
 * The one rule that decides which endpoints receive a message, for every producer (task
 * outcomes, published events, operational events), so that they cannot disagree: the
 * enabled, not deleted endpoints of the message's application whose subscriptions take
 * its type (migration V9's {@code hookway_subscribed}: the type itself, a prefix wildcard
 * such as {@code invoice.*}, or {@code *}).
 */
public final class FanOut {

	/**
	 * A join condition between {@code webhook_endpoints e} and a message {@code m} with
	 * {@code application_id} and {@code event_type} columns.
	 */
	public static final String SUBSCRIBED_ENDPOINTS = "e.application_id = m.application_id and e.enabled "
			+ "and e.deleted_at is null and hookway_subscribed(e.event_types, m.event_type)";

	private FanOut() {
	}

}
