package io.hookway.gateway.ingest;

import java.util.concurrent.atomic.AtomicLong;

import io.hookway.core.web.ApiProblem;
import io.hookway.gateway.GatewaySettings;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Bytes of route-call bodies the gateway holds at once, from the moment a body starts to
 * arrive until its row is written: what bounds the gateway's memory under many large
 * calls, where counts (insert queue, batch size) alone would let 1 MiB bodies pile up
 * into an OutOfMemoryError. A call that does not fit is refused at once with a 503,
 * before its body is read, so it is never stored.
 */
@Component
class BodyBudget {

	private final long max;

	private final AtomicLong used = new AtomicLong();

	BodyBudget(GatewaySettings settings) {
		this.max = settings.maxBodiesInFlight().toBytes();
	}

	/** Takes {@code bytes} from the budget, or throws the 503 that says "try later". */
	Reservation reserve(long bytes) {
		long current;
		do {
			current = this.used.get();
			if (current + bytes > this.max) {
				ApiProblem busy = new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "gateway_busy",
						"The gateway is holding as many request bodies as it may; retry shortly.");
				// the body is left unread: close rather than read it to reuse the
				// connection
				busy.getHeaders().set(HttpHeaders.CONNECTION, "close");
				throw busy;
			}
		}
		while (!this.used.compareAndSet(current, current + bytes));
		return new Reservation(bytes);
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
