package io.hookway.portal.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.hookway.portal.PortalSettings;

import org.springframework.stereotype.Component;

/**
 * Failed client authentications per client id, so that guessing stops after a few tries:
 * once a client id has failed {@code failed-authentications} times in the window that
 * began with its first failure, its requests are refused without checking the secret
 * until that window ends. The windows live in a bounded cache and end by themselves.
 */
@Component
class FailedAuthentications {

	private final int allowed;

	private final Duration window;

	private final Cache<String, Window> windows;

	FailedAuthentications(PortalSettings settings) {
		this.allowed = settings.limits().failedAuthentications();
		this.window = settings.limits().failedAuthenticationWindow();
		this.windows = Caffeine.newBuilder()
			.maximumSize(settings.limits().trackedKeys())
			.expireAfterWrite(this.window)
			.build();
	}

	/** How long the client id is still locked out, if it is. */
	Optional<Duration> lockedFor(String clientId) {
		Window current = this.windows.getIfPresent(clientId);
		if (current == null || current.failures.get() < this.allowed) {
			return Optional.empty();
		}
		Duration left = this.window.minusNanos(System.nanoTime() - current.startNanos);
		return left.isNegative() ? Optional.empty() : Optional.of(left);
	}

	void failed(String clientId) {
		this.windows.get(clientId, (key) -> new Window(System.nanoTime())).failures.incrementAndGet();
	}

	private static final class Window {

		final long startNanos;

		final AtomicInteger failures = new AtomicInteger();

		Window(long startNanos) {
			this.startNanos = startNanos;
		}

	}

}
