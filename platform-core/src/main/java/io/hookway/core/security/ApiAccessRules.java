package io.hookway.core.security;

import java.util.List;

/**
 * A service's contribution to the one security filter chain of a process: which paths are
 * public and which scope each call needs. Several services share one chain in standalone
 * mode. Rules name each method they allow (HEAD with GET, as it reaches the same
 * handler); everything no service names is denied, to any token. The API document reads
 * the same rules to state each operation's scopes.
 */
@FunctionalInterface
public interface ApiAccessRules {

	/** The rules in the order the chain tries them. */
	List<AccessRule> rules();

	static String scope(String scope) {
		return "SCOPE_" + scope;
	}

}
