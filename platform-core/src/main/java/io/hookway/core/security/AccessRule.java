package io.hookway.core.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call some paths: the paths' patterns (as Spring Security matches them), the
 * methods (all when empty) and the scopes any one of which is enough (none: public). Kept
 * as data so that the API document states the same scopes the chain enforces.
 *
 * @param methods the methods the rule applies to; every method when empty
 * @param patterns path patterns such as {@code /v1/tasks/*}
 * @param scopes the scopes any one of which admits the call; public when empty
 */
public record AccessRule(List<HttpMethod> methods, List<String> patterns, List<String> scopes) {

	/** Paths anyone may call, with or without a token. */
	public static AccessRule permitAll(String... patterns) {
		return new AccessRule(List.of(), List.of(patterns), List.of());
	}

	/** Every method of the paths needs the scope. */
	public static AccessRule anyMethod(String scope, String... patterns) {
		return new AccessRule(List.of(), List.of(patterns), List.of(scope));
	}

	/** GET of the paths, and HEAD since it reaches the same handler. */
	public static AccessRule read(List<String> scopes, String... patterns) {
		return new AccessRule(List.of(HttpMethod.GET, HttpMethod.HEAD), List.of(patterns), scopes);
	}

	public static AccessRule of(HttpMethod method, String scope, String... patterns) {
		return new AccessRule(List.of(method), List.of(patterns), List.of(scope));
	}

	public boolean isPublic() {
		return this.scopes.isEmpty();
	}

	/** Whether the rule covers a call of that method to that concrete path. */
	public boolean matches(HttpMethod method, String path) {
		if (!this.methods.isEmpty() && !this.methods.contains(method)) {
			return false;
		}
		PathContainer container = PathContainer.parsePath(path);
		return this.patterns.stream()
			.map(PathPatternParser.defaultInstance::parse)
			.anyMatch((PathPattern pattern) -> pattern.matches(container));
	}

	void apply(AuthorizeExchangeSpec exchanges) {
		String[] paths = this.patterns.toArray(String[]::new);
		if (this.methods.isEmpty()) {
			grant(exchanges.pathMatchers(paths));
		}
		else {
			this.methods.forEach((method) -> grant(exchanges.pathMatchers(method, paths)));
		}
	}

	private void grant(AuthorizeExchangeSpec.Access access) {
		if (this.scopes.isEmpty()) {
			access.permitAll();
		}
		else {
			access.hasAnyAuthority(this.scopes.stream().map(ApiAccessRules::scope).toArray(String[]::new));
		}
	}

	/** The first rule of the list covering the call, as the chain picks it. */
	public static @Nullable AccessRule first(List<AccessRule> rules, HttpMethod method, String path) {
		return rules.stream().filter((rule) -> rule.matches(method, path)).findFirst().orElse(null);
	}

}
