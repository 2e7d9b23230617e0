package io.hookway.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings.
 *
 * @param maxBodySize the largest request body a route call may carry
 * @param pollAfterSeconds the {@code Retry-After} a client is given before it polls a
 * task
 */
@ConfigurationProperties("hookway.gateway")
public record GatewaySettings(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("1") int pollAfterSeconds) {
}
