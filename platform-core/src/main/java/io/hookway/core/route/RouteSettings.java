package io.hookway.core.route;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

/**
 * The operator's routes: {@code hookway.routes.<name>.*}. The gateway accepts calls for
 * them; the dispatcher runs those calls against their upstreams. Both read the same
 * settings.
 *
 * @param routes the routes by name, the {@code {route}} of {@code /api/{route}/…}
 */
@ConfigurationProperties("hookway")
public record RouteSettings(@DefaultValue Map<String, Route> routes) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	public RouteSettings {
		routes = Map.copyOf(new LinkedHashMap<>(routes));
		for (Map.Entry<String, Route> entry : routes.entrySet()) {
			if (!NAME.matcher(entry.getKey()).matches()) {
				throw new IllegalArgumentException("Route name '" + entry.getKey()
						+ "' must be lower-case letters, digits and dashes (hookway.routes.<name>)");
			}
		}
	}

	public Optional<Route> route(String name) {
		return Optional.ofNullable(this.routes.get(name));
	}

	/**
	 * One route.
	 *
	 * @param upstream base URL of the internal service; the call's path and query are
	 * appended
	 * @param timeout per attempt
	 * @param maxAttempts attempts in all before the task fails
	 * @param backoff delay before the first retry, doubling each time, with jitter
	 * @param methods the methods the route accepts
	 * @param maxConcurrency calls in flight to the upstream at once, per dispatcher
	 * process
	 * @param completionDeadline how long an upstream that answered 202 has to report the
	 * result
	 */
	public record Route(URI upstream, @DefaultValue("30s") Duration timeout, @DefaultValue("5") int maxAttempts,
			@DefaultValue("1s") Duration backoff, @DefaultValue( {
					"POST", "PUT", "PATCH", "DELETE" }) Set<String> methods,
			@DefaultValue("24h") Duration completionDeadline, @DefaultValue("64") int maxConcurrency){

		public Route {
			if (upstream == null || upstream.getScheme() == null || upstream.getHost() == null) {
				throw new IllegalArgumentException(
						"A route's upstream must be an absolute URL such as http://reports:8080");
			}
			if (maxConcurrency < 1) {
				throw new IllegalArgumentException("A route's max-concurrency must be at least 1");
			}
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("A route's max-attempts must be at least 1");
			}
			methods = Set.copyOf(methods.stream().map((method) -> method.toUpperCase(java.util.Locale.ROOT)).toList());
		}

		public boolean allows(HttpMethod method) {
			return this.methods.contains(method.name());
		}

		public List<String> allowedMethods() {
			return this.methods.stream().sorted().toList();
		}

	}

}
