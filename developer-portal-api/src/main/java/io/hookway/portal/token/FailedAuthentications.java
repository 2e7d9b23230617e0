package io.hookway.portal.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.hookway.portal.PortalSettings;

import org.springframework.stereotype.Component;

/**
 * Failed client authentications, so that guessing stops after a few tries. They are
 * counted per client id and address, so that a stranger's wrong guesses lock out only the
 * stranger's address, not the client itself; and per address across all client ids, so
 * that one address cannot guess at many client ids instead. Once a key has failed its
 * allowance in the window that began with its first failure, its requests are refused
 * without checking the secret until that window ends. The windows live in bounded caches
 * and end by themselves.
 */
@Component
class FailedAuthentications {

	private final Windows perClient;

	private final Windows perAddress;

	FailedAuthentications(PortalSettings settings) {
		PortalSettings.Limits limits = settings.limits();
		this.perClient = new Windows(limits.failedAuthentications(), limits.failedAuthenticationWindow(),
				limits.trackedKeys());
		this.perAddress = new Windows(limits.failedAuthenticationsPerAddress(), limits.failedAuthenticationWindow(),
				limits.trackedKeys());
	}

	/** How long the client id is still locked out at this address, if it is. */
	Optional<Duration> lockedFor(ClientAddress client) {
		return this.perClient.lockedFor(client);
	}

	/** How long the address is still locked out for every client id, if it is. */
	Optional<Duration> addressLockedFor(String address) {
		return this.perAddress.lockedFor(address);
	}

	void failed(ClientAddress client) {
		this.perClient.failed(client);
		this.perAddress.failed(client.address());
	}

	private static final class Windows {

		private final int allowed;

		private final Duration window;

		private final Cache<Object, Window> windows;

		Windows(int allowed, Duration window, int maxKeys) {
			this.allowed = allowed;
			this.window = window;
			this.windows = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterWrite(window).build();
		}

		Optional<Duration> lockedFor(Object key) {
			Window current = this.windows.getIfPresent(key);
			if (current == null || current.failures.get() < this.allowed) {
				return Optional.empty();
			}
			Duration left = this.window.minusNanos(System.nanoTime() - current.startNanos);
			return left.isNegative() ? Optional.empty() : Optional.of(left);
		}

		void failed(Object key) {
			this.windows.get(key, (k) -> new Window(System.nanoTime())).failures.incrementAndGet();
		}

	}

	private static final class Window {

		final long startNanos;

		final AtomicInteger failures = new AtomicInteger();

		Window(long startNanos) {
			this.startNanos = startNanos;
		}

	}

}
