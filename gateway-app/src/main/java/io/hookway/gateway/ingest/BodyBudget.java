package io.hookway.gateway.ingest;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;
import io.hookway.gateway.GatewaySettings;

import org.springframework.stereotype.Component;

/**
 * Bytes of route-call bodies the gateway holds at once, from the moment a body starts to
 * arrive until its row is written: what bounds the gateway's memory under many large
 * calls, where counts (insert queue, batch size) alone would let 1 MiB bodies pile up
 * into an OutOfMemoryError. A call that does not fit is refused with a 503 and never
 * stored; its body is read and dropped as it arrives (up to the body limit), so the
 * client gets the answer rather than a reset connection.
 */
@Component
class BodyBudget {

	private final long max;

	private final AtomicLong used = new AtomicLong();

	BodyBudget(GatewaySettings settings) {
		this.max = settings.maxBodiesInFlight().toBytes();
	}

	/**
	 * Takes {@code bytes} from the budget; null, taking nothing, when they do not fit. An
	 * empty budget takes any one call, so that a budget set below what a call may hold (a
	 * gzip body holds its encoded and decoded forms) slows calls down but never refuses
	 * all of them.
	 */
	@Nullable Reservation tryReserve(long bytes) {
		long current;
		do {
			current = this.used.get();
			if (current > 0 && current + bytes > this.max) {
				return null;
			}
		}
		while (!this.used.compareAndSet(current, current + bytes));
		return new Reservation(bytes);
	}

	/** The 503 of a call that does not fit: it is not stored, and may be sent again. */
	static ApiProblem busy() {
		return new ApiProblem(ProblemCode.GATEWAY_BUSY,
				"The gateway is holding as many request bodies as it may; retry shortly.");
	}

	long used() {
		return this.used.get();
	}

	/** One call's share; released once, and shrunk to the body's real size once read. */
	final class Reservation {

		private final AtomicLong held;

		private Reservation(long bytes) {
			this.held = new AtomicLong(bytes);
		}

		void shrinkTo(long bytes) {
			long before = this.held.get();
			if (bytes < before && this.held.compareAndSet(before, bytes)) {
				BodyBudget.this.used.addAndGet(bytes - before);
			}
		}

		void release() {
			long bytes = this.held.getAndSet(0);
			BodyBudget.this.used.addAndGet(-bytes);
		}

	}

}
