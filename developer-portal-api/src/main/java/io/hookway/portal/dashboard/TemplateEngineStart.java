package io.hookway.portal.dashboard;

import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Initialises Thymeleaf's engine while the context starts rather than at the first page:
 * its initialisation reads resources from jars, which would block the event loop that
 * renders that page and make the first developer wait for it.
 */
@Component
class TemplateEngineStart implements SmartInitializingSingleton {

	private final ObjectProvider<ISpringWebFluxTemplateEngine> engine;

	TemplateEngineStart(ObjectProvider<ISpringWebFluxTemplateEngine> engine) {
		this.engine = engine;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.engine.ifAvailable(ISpringWebFluxTemplateEngine::getConfiguration);
	}

}
