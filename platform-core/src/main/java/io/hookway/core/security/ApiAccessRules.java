package io.hookway.core.security;

import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;

/**
 * A service's contribution to the one security filter chain of a process: which paths are
 * public and which scope each call needs. Several services share one chain in standalone
 * mode. Rules name each method they allow (HEAD with GET, as it reaches the same
 * handler); everything no service names is denied, to any token.
 */
@FunctionalInterface
public interface ApiAccessRules {

	void configure(AuthorizeExchangeSpec exchanges);

	static String scope(String scope) {
		return "SCOPE_" + scope;
	}

}
