package io.hookway.portal.dashboard.access;

import java.util.UUID;

import io.hookway.core.id.IdKind;
import io.hookway.core.security.Caller;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A signed-in browser: the application it acts for. Every page scopes its queries by
 * {@link #applicationId()}, which comes from the session row, never from the request.
 *
 * @param applicationId the application
 * @param applicationName its name, for the page header
 */
public record DashboardSession(UUID applicationId, String applicationName) {

	/**
	 * The session as the portal's API handlers know a caller: an in-process token naming
	 * the application, so that a page runs the very code (rules, limits, errors) of the
	 * JSON call it mirrors. It is never signed, sent or accepted from outside.
	 */
	public Jwt asCaller() {
		return Jwt.withTokenValue("dashboard-session")
			.header("alg", "none")
			.subject("dashboard")
			.claim(Caller.APPLICATION_CLAIM, IdKind.APPLICATION.format(this.applicationId))
			.build();
	}

}
