package io.hookway.core.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.hookway.core.web.ProblemCode;

/**
 * The refusals particular to one operation, beyond those the API document derives for
 * every operation from its access rule, parameters and body (401, 403, 404, 400, 413,
 * 422, 503).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Refuses {

	ProblemCode[] value();

}
