package io.hookway.core.test;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets block on a Reactor thread in the services' tests, beyond its own
 * integrations (Reactor's schedulers, logging to the console): only calls that are not
 * ours and block legitimately, each with the reason. Every refusal is also recorded for
 * {@link BlockingCallCheck}. Found by BlockHound through
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class BlockingCallAllowances implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.blockingMethodCallback((method) -> {
			BlockingOperationError refusal = new BlockingOperationError(method);
			BlockingCalls.record(refusal);
			throw refusal;
		});
	}

}
