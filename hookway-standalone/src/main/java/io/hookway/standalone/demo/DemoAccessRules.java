package io.hookway.standalone.demo;

import java.util.List;

import io.hookway.core.security.AccessRule;
import io.hookway.core.security.ApiAccessRules;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The demo upstream and inbox stand in for services outside the platform: no token
 * needed.
 */
@Component
@Profile("demo")
class DemoAccessRules implements ApiAccessRules {

	@Override
	public List<AccessRule> rules() {
		return List.of(AccessRule.permitAll("/demo/**"));
	}

}
