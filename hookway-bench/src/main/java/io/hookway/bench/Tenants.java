package io.hookway.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The applications every run works with, registered once per invocation through the
 * portal: the main tenant (ingest, end-to-end, the single-endpoint drain, and B of the
 * fairness run), the flooding tenant A with one slow endpoint, and the applications whose
 * endpoints the spread drain goes to.
 *
 * @param token bearer token of the main tenant, whose endpoint is the receiver's
 * {@link WebhookReceiver#url()}
 * @param spreadApplications applications of the spread drain
 * @param spreadEndpoints their endpoints, in turn over the applications
 * @param publishing who publishes events in the publish phase, and to whom
 */
record Tenants(String token, int spreadApplications, int spreadEndpoints, Publishing publishing) {

	/** The event type the publish phase publishes, subscribed to as {@code bench.*}. */
	static final String EVENT_TYPE = "bench.order.created";

	/**
	 * @param token bearer token of an internal service allowed to publish
	 * @param fanOutOne application with one endpoint subscribed to {@link #EVENT_TYPE}
	 * @param fanOutTen application with ten
	 */
	record Publishing(String token, String fanOutOne, String fanOutTen) {

		String application(int fanOut) {
			return (fanOut == 1) ? this.fanOutOne : this.fanOutTen;
		}

	}

	static final String OPERATOR_ID = "hookway-operator";

	static final String OPERATOR_SECRET = "bench-operator-secret-0123456789";

	/** Where A's endpoint points; under it the receiver answers after the slow delay. */
	static final String FLOOD = "flood";

	static Tenants register(String portalUrl, WebhookReceiver receiver, int applications, int endpoints)
			throws IOException, InterruptedException {
		PortalClient portal = new PortalClient(portalUrl);
		String operator = portal.operatorToken(OPERATOR_ID, OPERATOR_SECRET);
		String token = portal.application(operator, "bench");
		portal.endpoint(token, receiver.url());
		portal.endpoint(portal.application(operator, "flood"), receiver.slowUrl(FLOOD));
		Publishing publishing = publishing(portal, operator, receiver);
		// a thousand registrations one after the other take minutes on a busy machine
		ExecutorService pool = Executors.newFixedThreadPool(REGISTERING_AT_ONCE);
		try {
			List<Future<String>> tokens = new ArrayList<>();
			for (int application = 0; application < applications; application++) {
				String name = "spread-" + application;
				tokens.add(pool.submit(() -> portal.application(operator, name)));
			}
			List<Future<?>> registered = new ArrayList<>();
			for (int endpoint = 0; endpoint < endpoints; endpoint++) {
				int application = endpoint % applications;
				String applicationToken = tokens.get(application).get();
				String url = receiver.spreadUrl(application, endpoint / applications);
				registered.add(pool.submit(() -> {
					portal.endpoint(applicationToken, url);
					return null;
				}));
			}
			for (Future<?> endpoint : registered) {
				endpoint.get();
			}
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Registering the spread drain's tenants failed", ex.getCause());
		}
		finally {
			pool.shutdownNow();
		}
		return new Tenants(token, applications, endpoints, publishing);
	}

	private static Publishing publishing(PortalClient portal, String operator, WebhookReceiver receiver)
			throws IOException, InterruptedException {
		portal.eventType(operator, EVENT_TYPE);
		String publisher = portal.application(operator, "publisher", "events:publish").token();
		PortalClient.Client one = portal.application(operator, "fan-out-1", "webhooks:manage");
		portal.endpoint(one.token(), receiver.url() + "/published/f1/e0", "bench.*");
		PortalClient.Client ten = portal.application(operator, "fan-out-10", "webhooks:manage");
		for (int endpoint = 0; endpoint < 10; endpoint++) {
			portal.endpoint(ten.token(), receiver.url() + "/published/f10/e" + endpoint, "bench.*");
		}
		return new Publishing(publisher, one.id(), ten.id());
	}

	/**
	 * Registrations in flight at once: no more than the portal lets one client have in
	 * its secret-hashing pool.
	 */
	private static final int REGISTERING_AT_ONCE = 4;

	/** LIKE pattern of the URL of the main tenant's one endpoint. */
	static String singleEndpoint(WebhookReceiver receiver) {
		return receiver.url();
	}

	/** LIKE pattern of the spread drain's endpoints' URLs. */
	static String spreadEndpoints(WebhookReceiver receiver) {
		return receiver.url() + "/spread/%";
	}

	/** LIKE pattern of the URL of A's slow endpoint. */
	static String floodEndpoint(WebhookReceiver receiver) {
		return receiver.slowUrl(FLOOD);
	}

}
