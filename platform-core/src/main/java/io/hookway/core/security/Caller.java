package io.hookway.core.security;

import java.util.Optional;
import java.util.UUID;

import io.hookway.core.id.IdKind;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, read from the verified token. The application id always comes from the
 * token, never from the request.
 */
public record Caller(String clientId, Optional<UUID> applicationId) {

	/** The claim that carries the application id in tokens of the embedded issuer. */
	public static final String APPLICATION_CLAIM = "app_id";

	/**
	 * The caller of a verified token; parsed once per token, however many calls it is
	 * sent with.
	 */
	public static Caller of(Jwt jwt) {
		return (jwt instanceof VerifiedJwt verified) ? verified.caller() : parse(jwt);
	}

	static Caller parse(Jwt jwt) {
		String application = jwt.getClaimAsString(APPLICATION_CLAIM);
		return new Caller(jwt.getSubject(), Optional.ofNullable(application).flatMap(IdKind.APPLICATION::parse));
	}

	/** The caller's application; a token that names none cannot act as one (403). */
	public UUID requireApplication() {
		return this.applicationId.orElseThrow(() -> new ApiProblem(ProblemCode.NOT_AN_APPLICATION,
				"This call needs an application's token; the token does not name an application."));
	}

}
