package io.hookway.core.security;

/**
 * Whether an application may act, as stored in {@code applications.status} and shown to
 * operators: the tokens of a disabled one are refused.
 */
public enum ApplicationStatus {

	ACTIVE, DISABLED

}
