package io.hookway.standalone.demo;

import io.hookway.core.security.ApiAccessRules;

import org.springframework.context.annotation.Profile;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.stereotype.Component;

/**
 * The demo upstream and inbox stand in for services outside the platform: no token
 * needed.
 */
@Component
@Profile("demo")
class DemoAccessRules implements ApiAccessRules {

	@Override
	public void configure(AuthorizeExchangeSpec exchanges) {
		exchanges.pathMatchers("/demo/**").permitAll();
	}

}
