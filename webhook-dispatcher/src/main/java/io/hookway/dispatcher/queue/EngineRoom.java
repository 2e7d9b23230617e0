package io.hookway.dispatcher.queue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link QueueEngine} holds, bounded by count ({@code max-in-flight} rows in their
 * attempt, as many more being recorded) and by the bytes of the bodies it holds
 * ({@code max-in-flight-bytes}); and which bound cut the last claim short, so that the
 * row or outcome that makes room again asks for a claim at once instead of at the next
 * tick.
 */
final class EngineRoom {

	private final int maxInFlight;

	private final long maxBytes;

	private final int refillThreshold;

	/** Rows claimed whose attempt has not ended, waiting ones included. */
	private final AtomicInteger attempting = new AtomicInteger();

	/** Rows whose outcome is being written. */
	private final AtomicInteger recording = new AtomicInteger();

	/** Rows claimed and not yet recorded or handed back. */
	private final AtomicInteger held = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private volatile boolean roomLimited;

	private volatile boolean bytesLimited;

	private volatile boolean recordsLimited;

	EngineRoom(int maxInFlight, long maxBytes, int batchSize) {
		this.maxInFlight = maxInFlight;
		this.maxBytes = maxBytes;
		// a claim per freed slot would cost a query per row: refill once half a batch is
		// free
		this.refillThreshold = Math.max(1, Math.min(batchSize, maxInFlight) / 2);
	}

	/**
	 * What the next claim may take: as many rows as there are free slots, so that one
	 * claim fills what finished work left, and the bytes left; no rows while the bytes or
	 * the outcomes being recorded are at their bound.
	 */
	Space forClaim() {
		long heldBytes = this.bytes.get();
		int free = Math.max(0, this.maxInFlight - this.attempting.get());
		this.recordsLimited = this.recording.get() >= this.maxInFlight;
		this.bytesLimited = heldBytes >= this.maxBytes;
		int rows = (this.bytesLimited || this.recordsLimited) ? 0 : free;
		this.roomLimited = rows < this.refillThreshold;
		return new Space(rows, Math.max(0, this.maxBytes - heldBytes), heldBytes == 0);
	}

	void claimed(boolean cutByBytes) {
		this.bytesLimited = cutByBytes;
	}

	/**
	 * Whether a row of this weight fits the bytes left; any one row fits an empty room.
	 */
	boolean fits(long weight) {
		long heldBytes = this.bytes.get();
		return heldBytes == 0 || heldBytes + weight <= this.maxBytes;
	}

	/** Takes a row in; {@code overBytes} when it is taken only to be handed back. */
	void take(long weight, boolean overBytes) {
		this.held.incrementAndGet();
		this.attempting.incrementAndGet();
		this.bytes.addAndGet(weight);
		if (overBytes) {
			this.bytesLimited = true;
		}
	}

	/** An attempt ended; whether enough slots are free again for a claim. */
	boolean attemptOver() {
		int attempting = this.attempting.decrementAndGet();
		return this.roomLimited && this.maxInFlight - attempting >= this.refillThreshold;
	}

	void recordingStarted() {
		this.recording.incrementAndGet();
	}

	void recordingEnded() {
		this.recording.decrementAndGet();
	}

	/**
	 * A row was recorded or handed back; whether it freed what cut the last claim short.
	 */
	boolean finished(long weight) {
		this.held.decrementAndGet();
		long left = this.bytes.addAndGet(-weight);
		return (this.bytesLimited && left <= this.maxBytes / 2)
				|| (this.recordsLimited && this.recording.get() < this.maxInFlight / 2);
	}

	int held() {
		return this.held.get();
	}

	/**
	 * Room for a claim.
	 *
	 * @param rows how many rows it may take
	 * @param bytes how many bytes of bodies
	 * @param empty whether nothing is held: any one row then fits, whatever its size
	 */
	record Space(int rows, long bytes, boolean empty) {
	}

}
