package io.hookway.core.retention;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

@AutoConfiguration
@EnableConfigurationProperties(RetentionSettings.class)
public class RetentionConfiguration {

}
