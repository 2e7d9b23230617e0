package io.hookway.dispatcher.delivery;

import java.util.List;
import java.util.UUID;

import io.hookway.dispatcher.queue.Lease;

/**
 * Deliveries inserted already leased to this process (by a task's completion), for its
 * deliverer to send without claiming them.
 *
 * @param ids the deliveries
 * @param lease the lease they were inserted under
 */
public record LeasedDeliveries(List<UUID> ids, Lease lease) {

	public static final LeasedDeliveries NONE = new LeasedDeliveries(List.of(), new Lease(new UUID(0, 0), 0));

	public LeasedDeliveries {
		ids = List.copyOf(ids);
	}

}
