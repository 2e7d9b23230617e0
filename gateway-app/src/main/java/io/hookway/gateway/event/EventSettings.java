package io.hookway.gateway.event;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Published events.
 *
 * @param maxPayloadSize the largest {@code data} an event may carry, as compact JSON; a
 * larger one is refused with 413
 */
@ConfigurationProperties("hookway.events")
public record EventSettings(@DefaultValue("256KB") DataSize maxPayloadSize) {

	/** Above this an event is no webhook any receiver should be sent. */
	private static final DataSize MAX = DataSize.ofMegabytes(64);

	public EventSettings {
		if (maxPayloadSize.toBytes() < 1 || maxPayloadSize.compareTo(MAX) > 0) {
			throw new IllegalArgumentException("hookway.events.max-payload-size must be between 1B and " + MAX);
		}
	}

}
