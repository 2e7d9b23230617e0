package io.hookway.core.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The token settings, also for a process without a web server (the migration run). */
@AutoConfiguration
@EnableConfigurationProperties(AuthSettings.class)
public class AuthSettingsConfiguration {

}
