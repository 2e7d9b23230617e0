package io.hookway.core.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.hookway.core.id.IdKind;
import io.hookway.core.security.Scopes;

import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scope rules of a service as a table: every path template the service serves, and
 * for each of GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS the scope it needs (HEAD
 * follows GET; a few methods take either of two), none where the method is not served
 * (denied to every token), or public. {@link #cases()} expands the table into one call
 * per (method × path) and {@link #check} makes it against a running service with real
 * tokens: without a token 401, with every scope but the needed ones 403, with each needed
 * one neither 401 nor 403. {@link #assertCovers} fails when the service serves a path the
 * table does not name.
 */
public final class AccessMatrix {

	public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	public static final Set<String> ALL_SCOPES = Set.copyOf(Scopes.ALL);

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, Path> paths = new LinkedHashMap<>();

	/**
	 * A served path template (as mapped, e.g. {@code /v1/tasks/{taskId}}) with an example
	 * URL, and the scope of each method that is served.
	 */
	public AccessMatrix path(String template, String example, Map<String, String> scopes) {
		Map<String, Set<String>> all = new LinkedHashMap<>();
		scopes.forEach((method, scope) -> all.put(method, Set.of(scope)));
		if (all.containsKey("GET")) {
			all.putIfAbsent("HEAD", all.get("GET"));
		}
		this.paths.put(template, new Path(template, example, all, false));
		return this;
	}

	/**
	 * Lets a served method of a path named before be called with another scope too:
	 * either one suffices.
	 */
	public AccessMatrix alsoWith(String template, String method, String scope) {
		Map<String, Set<String>> scopes = this.paths.get(template).scopes();
		assertThat(scopes).as("methods of %s named before", template).containsKey(method);
		for (String each : method.equals("GET") ? List.of("GET", "HEAD") : List.of(method)) {
			Set<String> either = new LinkedHashSet<>(scopes.get(each));
			either.add(scope);
			scopes.put(each, either);
		}
		return this;
	}

	/** A path that no rule names: denied whatever the method and the token. */
	public AccessMatrix unlisted(String example) {
		this.paths.put(example, new Path(example, example, Map.of(), false));
		return this;
	}

	/** A path anyone may call with any method. */
	public AccessMatrix open(String template, String example) {
		this.paths.put(template, new Path(template, example, Map.of(), true));
		return this;
	}

	public Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		for (Path path : this.paths.values()) {
			for (String method : METHODS) {
				cases.add(new Case(method, path.example(), path.scopes().getOrDefault(method, Set.of()), path.open()));
			}
		}
		return cases.stream();
	}

	/**
	 * Fails when the service maps a path template or a method of it that the table does
	 * not name; paths under the given prefixes (documentation, actuator) are left out.
	 */
	public void assertCovers(ApplicationContext context, String... ignoredPrefixes) {
		Set<String> missing = new LinkedHashSet<>();
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()) {
			for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
				Collection<String> methods = info.getMethodsCondition().getMethods().stream().map(Enum::name).toList();
				info.getPatternsCondition().getPatterns().forEach((pattern) -> {
					String template = pattern.getPatternString();
					if (Stream.of(ignoredPrefixes).anyMatch(template::startsWith)) {
						return;
					}
					Path path = this.paths.get(template);
					if (path == null) {
						missing.add(template);
					}
					else if (!path.open()) {
						methods.stream()
							.filter((method) -> !path.scopes().containsKey(method))
							.forEach((method) -> missing.add(method + " " + template));
					}
				});
			}
		}
		assertThat(missing).as("served but not in the access matrix").isEmpty();
	}

	/**
	 * Makes the case's call three ways. {@code tokens} mints a token carrying the given
	 * scopes for an application of its own.
	 */
	public static void check(Case call, int port, Tokens tokens) throws Exception {
		HttpResponse<Void> anonymous = send(call, port, null);
		if (call.open()) {
			// the token endpoint may refuse its client itself, never asking for a bearer
			// token
			assertThat(anonymous.statusCode()).as("%s without a token", call).isNotEqualTo(403);
			assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).as("%s without a token", call)
				.doesNotStartWith("Bearer");
			return;
		}
		assertThat(anonymous.statusCode()).as("%s without a token", call).isEqualTo(401);
		Set<String> others = new LinkedHashSet<>(ALL_SCOPES);
		others.removeAll(call.scopes());
		assertThat(send(call, port, tokens.mint(others.toArray(String[]::new))).statusCode())
			.as("%s with every scope but %s", call, call.scopes().isEmpty() ? "none" : call.scopes())
			.isEqualTo(403);
		for (String scope : call.scopes()) {
			assertThat(send(call, port, tokens.mint(scope)).statusCode()).as("%s with %s", call, scope)
				.isNotIn(401, 403);
		}
	}

	private static HttpResponse<Void> send(Case call, int port, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.url()))
			.timeout(Duration.ofSeconds(10))
			.method(call.method(), HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
	}

	/** Ids of each kind that exist nowhere, for example URLs. */
	public static String unknown(IdKind kind) {
		return kind.format(UUID.randomUUID());
	}

	@FunctionalInterface
	public interface Tokens {

		String mint(String... scopes);

	}

	/**
	 * One call of the matrix; {@code scopes} (any one of them suffices) empty when the
	 * method is not served.
	 */
	public record Case(String method, String url, Set<String> scopes, boolean open) {

		@Override
		public String toString() {
			return this.method + " " + this.url + " -> "
					+ (this.open ? "public" : this.scopes.isEmpty() ? "denied" : String.join(" or ", this.scopes));
		}

	}

	private record Path(String template, String example, Map<String, Set<String>> scopes, boolean open) {
	}

}
